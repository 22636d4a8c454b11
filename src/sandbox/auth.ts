/**
 * Who is calling: private app tokens (static, with their scopes) and OAuth apps (refresh token → access token with
 * an expiry). Bodies and statuses follow https://developers.hubspot.com/docs/api-reference/error-handling,
 * https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/guide and
 * https://developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview; the HTTP endpoints that expose this
 * (token, introspection, token info) live in token-routes.ts.
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
  "tickets",
  "crm.objects.line_items.read",
  "crm.objects.line_items.write",
  "crm.schemas.line_items.read",
  "crm.objects.leads.read",
  "crm.objects.leads.write",
  "crm.schemas.contacts.read",
  "crm.schemas.companies.read",
  "crm.schemas.deals.read",
  "crm.schemas.custom.read",
  "crm.schemas.contacts.write",
  "crm.schemas.companies.write",
  "crm.schemas.deals.write",
  "crm.schemas.custom.write",
  "crm.lists.read",
  "crm.lists.write",
  "e-commerce",
  "analytics.behavioral_events.send",
  "behavioral_events.event_definitions.read_write",
] as const;

export const DEFAULT_PRIVATE_APP_TOKEN = "sandbox-private-app-token";

/**
 * A seeded token that can read everything but write no CRM data: every scope except the CRM write scopes (and
 * `e-commerce`, which also writes products, and `tickets`, which reads and writes tickets alike, so this token reads
 * no tickets). For tests of scope checks and of `check`'s missing-scope report.
 */
export const READ_ONLY_PRIVATE_APP_TOKEN = "sandbox-read-only-token";

const writesCrm = (scope: string) =>
  scope === "e-commerce" || scope === "tickets" || (scope.startsWith("crm.") && scope.endsWith(".write"));

/** The scopes of `READ_ONLY_PRIVATE_APP_TOKEN`. */
export const READ_ONLY_SCOPES: readonly string[] = ALL_SCOPES.filter((scope) => !writesCrm(scope));
export const DEFAULT_OAUTH_CLIENT = {
  clientId: "sandbox-client-id",
  clientSecret: "sandbox-client-secret",
  refreshTokens: ["sandbox-refresh-token"],
};

export interface PrivateAppToken {
  token: string;
  scopes: readonly string[];
  /** The app's id, as token info reports it. @default 1000 + its place in the list */
  appId?: number;
  /** The user who made the app, as token info reports it. @default 7 */
  userId?: number;
  /**
   * Whether `POST /oauth/v2/private-apps/get/access-token-info` knows the token. `false` makes it a credential the
   * endpoint answers 401 for, like a service key it may not know (no page says whether it does:
   * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/account-service-keys).
   * @default true
   */
  introspectable?: boolean;
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
  /** Names the caller's rate-limit bucket without the secret: the app id. */
  bucketId: number;
  oauth: boolean;
  scopes: ReadonlySet<string>;
}

/** What `access-token-info` reports for a private-app token. */
export interface TokenInfo {
  userId: number;
  hubId: number;
  appId: number;
  scopes: string[];
}

/** An unexpired OAuth access token, for introspection. */
export interface IssuedTokenInfo {
  client: OAuthClient;
  appId: number;
  expiresInSeconds: number;
}

interface IssuedToken {
  client: OAuthClient;
  expiresAt: number;
}

/** The app ids OAuth clients get, in order (the first matches the v1 introspection's long-standing `app_id`). */
const OAUTH_APP_ID_BASE = 424_242;

export class SandboxAuth {
  private readonly privateApps: Map<string, PrivateAppToken & { appId: number }>;
  private readonly issued = new Map<string, IssuedToken>();

  constructor(
    privateApps: readonly PrivateAppToken[],
    private readonly clients: readonly OAuthClient[],
    private readonly ttlSeconds: number,
    private readonly portalId: number,
  ) {
    this.privateApps = new Map(
      privateApps.map((app, index) => [app.token, { ...app, appId: app.appId ?? 1000 + index }]),
    );
  }

  /** The caller of a request, or the 401 HubSpot would answer. */
  identify(authorization: string | undefined): Caller | SandboxResponse {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim();
    if (!token) return INVALID_AUTHENTICATION();
    const app = this.privateApps.get(token);
    if (app) return { key: `app:${token}`, bucketId: app.appId, oauth: false, scopes: new Set(app.scopes) };
    const issued = this.issued.get(token);
    if (!issued) return INVALID_AUTHENTICATION();
    if (issued.expiresAt <= Date.now()) return expiredAuthentication(issued.expiresAt);
    return {
      key: `oauth:${issued.client.clientId}`,
      bucketId: this.appIdOf(issued.client),
      oauth: true,
      scopes: new Set(issued.client.scopes),
    };
  }

  /** A private-app token as `access-token-info` describes it, or undefined when the endpoint does not know it. */
  privateAppInfo(token: string): TokenInfo | undefined {
    const app = this.privateApps.get(token);
    if (!app || app.introspectable === false) return undefined;
    return { userId: app.userId ?? 7, hubId: this.portalId, appId: app.appId, scopes: [...app.scopes] };
  }

  /** An unexpired OAuth access token, or undefined. */
  issuedToken(token: string): IssuedTokenInfo | undefined {
    const issued = this.issued.get(token);
    if (!issued || issued.expiresAt <= Date.now()) return undefined;
    return {
      client: issued.client,
      appId: this.appIdOf(issued.client),
      expiresInSeconds: Math.max(0, Math.round((issued.expiresAt - Date.now()) / 1000)),
    };
  }

  /** The OAuth client these form fields name and authenticate, or HubSpot's 400 for them. */
  client(form: URLSearchParams): OAuthClient | SandboxResponse {
    const client = this.clients.find((candidate) => candidate.clientId === form.get("client_id"));
    if (!client) return json(400, { status: "BAD_CLIENT_ID", message: "missing or unknown client_id" });
    if (client.clientSecret !== form.get("client_secret")) {
      return json(400, { status: "BAD_CLIENT_SECRET", message: "missing or invalid client_secret" });
    }
    return client;
  }

  private appIdOf(client: OAuthClient): number {
    return OAUTH_APP_ID_BASE + Math.max(0, this.clients.indexOf(client));
  }

  /**
   * `POST /oauth/v1/token` with `grant_type=refresh_token`. The dated twin (`/oauth/2026-03/token`) answers the
   * same with the fields its spec adds (`token_use`, `hub_id`, `scopes`; S-OAUTH 2026-03 `AccessTokenResponse`).
   */
  token(form: URLSearchParams, dated = false): SandboxResponse {
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
    const client = this.client(form);
    if (!("clientId" in client)) return client;
    const refreshToken = form.get("refresh_token") ?? "";
    if (!client.refreshTokens.includes(refreshToken)) return badRefresh();
    const accessToken = `sandbox-oauth-${randomUUID()}`;
    this.issued.set(accessToken, { client, expiresAt: Date.now() + this.ttlSeconds * 1000 });
    return json(200, {
      token_type: "bearer",
      refresh_token: refreshToken,
      access_token: accessToken,
      expires_in: this.ttlSeconds,
      ...(dated ? { token_use: "access_token", hub_id: this.portalId, scopes: [...client.scopes] } : {}),
    });
  }

  /** `GET /oauth/v1/access-tokens/{token}`: OAuth access tokens only; private app tokens are not known there. */
  introspect(token: string): SandboxResponse {
    const issued = this.issuedToken(token);
    if (!issued) return error(404, "OBJECT_NOT_FOUND", "Token not found or expired");
    return json(200, {
      token,
      user: "sandbox-user@example.com",
      hub_domain: "sandbox.example.com",
      scopes: [...issued.client.scopes],
      hub_id: this.portalId,
      app_id: issued.appId,
      expires_in: issued.expiresInSeconds,
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
