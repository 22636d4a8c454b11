/**
 * Who is calling: private app tokens (static, with their scopes) and OAuth apps (refresh token → access token with
 * an expiry). Bodies and statuses follow hubspot-api-notes §6.4 and §7.
 */
import { randomUUID } from "node:crypto";
import {
  error,
  expiredAuthentication,
  INVALID_AUTHENTICATION,
  json,
  type SandboxResponse,
} from "./responses.js";

/** Every scope the sandbox knows; a token with all of them can do everything. */
export const ALL_SCOPES = [
  "oauth",
  "crm.objects.contacts.read",
  "crm.objects.contacts.write",
  "crm.objects.companies.read",
  "crm.objects.companies.write",
  "crm.objects.deals.read",
  "crm.objects.deals.write",
  "crm.objects.products.read",
  "crm.objects.products.write",
  "crm.objects.custom.read",
  "crm.objects.custom.write",
  "crm.schemas.contacts.read",
  "crm.schemas.companies.read",
  "crm.schemas.deals.read",
  "crm.schemas.custom.read",
  "crm.lists.read",
  "crm.lists.write",
  "e-commerce",
  "analytics.behavioral_events.send",
  "behavioral_events.event_definitions.read_write",
] as const;

export const DEFAULT_PRIVATE_APP_TOKEN = "sandbox-private-app-token";
export const DEFAULT_OAUTH_CLIENT = {
  clientId: "sandbox-client-id",
  clientSecret: "sandbox-client-secret",
  refreshTokens: ["sandbox-refresh-token"],
};

export interface PrivateAppToken {
  token: string;
  scopes: readonly string[];
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  refreshTokens: readonly string[];
  scopes: readonly string[];
}

export interface Caller {
  /** Whom the rate limit counts against: the private app, or the OAuth app. */
  key: string;
  oauth: boolean;
  scopes: ReadonlySet<string>;
}

interface IssuedToken {
  client: OAuthClient;
  expiresAt: number;
}

export class SandboxAuth {
  private readonly privateApps: Map<string, PrivateAppToken>;
  private readonly issued = new Map<string, IssuedToken>();

  constructor(
    privateApps: readonly PrivateAppToken[],
    private readonly clients: readonly OAuthClient[],
    private readonly ttlSeconds: number,
    private readonly portalId: number,
  ) {
    this.privateApps = new Map(privateApps.map((app) => [app.token, app]));
  }

  /** The caller of a request, or the 401 HubSpot would answer. */
  identify(authorization: string | undefined): Caller | SandboxResponse {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim();
    if (!token) return INVALID_AUTHENTICATION();
    const app = this.privateApps.get(token);
    if (app) return { key: `app:${token}`, oauth: false, scopes: new Set(app.scopes) };
    const issued = this.issued.get(token);
    if (!issued) return INVALID_AUTHENTICATION();
    if (issued.expiresAt <= Date.now()) return expiredAuthentication(issued.expiresAt);
    return { key: `oauth:${issued.client.clientId}`, oauth: true, scopes: new Set(issued.client.scopes) };
  }

  /** `POST /oauth/v1/token` with `grant_type=refresh_token`. */
  token(form: URLSearchParams): SandboxResponse {
    const badRefresh = () =>
      json(400, {
        error: "invalid_grant",
        error_description: "refresh token is invalid, expired or revoked",
        status: "BAD_REFRESH_TOKEN",
        message: "refresh token is invalid, expired or revoked",
        correlationId: randomUUID(),
      });
    if (form.get("grant_type") !== "refresh_token") {
      return json(400, {
        status: "BAD_GRANT_TYPE",
        message: "grant_type must be one of authorization_code, refresh_token",
      });
    }
    const client = this.clients.find((candidate) => candidate.clientId === form.get("client_id"));
    if (!client) return json(400, { status: "BAD_CLIENT_ID", message: "missing or unknown client_id" });
    if (client.clientSecret !== form.get("client_secret")) {
      return json(400, { status: "BAD_CLIENT_SECRET", message: "missing or invalid client_secret" });
    }
    const refreshToken = form.get("refresh_token") ?? "";
    if (!client.refreshTokens.includes(refreshToken)) return badRefresh();
    const accessToken = `sandbox-oauth-${randomUUID()}`;
    this.issued.set(accessToken, { client, expiresAt: Date.now() + this.ttlSeconds * 1000 });
    return json(200, {
      token_type: "bearer",
      refresh_token: refreshToken,
      access_token: accessToken,
      expires_in: this.ttlSeconds,
    });
  }

  /** `GET /oauth/v1/access-tokens/{token}`: OAuth access tokens only; private app tokens are not known there. */
  introspect(token: string): SandboxResponse {
    const issued = this.issued.get(token);
    if (!issued || issued.expiresAt <= Date.now()) {
      return error(404, "OBJECT_NOT_FOUND", "Token not found or expired");
    }
    return json(200, {
      token,
      user: "sandbox-user@example.com",
      hub_domain: "sandbox.example.com",
      scopes: [...issued.client.scopes],
      hub_id: this.portalId,
      app_id: 424242,
      expires_in: Math.max(0, Math.round((issued.expiresAt - Date.now()) / 1000)),
      user_id: 7,
      token_type: "access",
    });
  }

  /** Expires every access token issued so far (fault injection: a token that runs out mid-run). */
  expireAll(): void {
    const past = Date.now() - 1000;
    for (const issued of this.issued.values()) issued.expiresAt = past;
  }
}
