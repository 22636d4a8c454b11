/**
 * The endpoints that answer without an API token: OAuth token grants and introspection
 * (https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/guide) and private-app
 * token info (https://developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview).
 *
 * - `POST /oauth/v1/token`, `/oauth/v3/token`, `/oauth/{v}/token`: refresh-token grant (form body).
 * - `GET /oauth/v1/access-tokens/{token}`: v1 introspection, OAuth access tokens only.
 * - `POST /oauth/v3/token/introspect`, `/oauth/{v}/token/introspect`: form `token`, `client_id`, `client_secret`
 *   → `{active, hub_id, scopes, expires_in, client_id, …}` (S-OAUTH 2026-03 `PublicAccessTokenInfoResponse`). An
 *   unknown or expired token is `{active:false}` with 200, as RFC 7662 §2.2 has it (inferred: HubSpot documents no
 *   error for it).
 * - `POST /oauth/v2/private-apps/get/access-token-info`: JSON `{tokenKey}` → `{userId, hubId, appId, scopes}`. No
 *   error is documented for an unknown token; 401 INVALID_AUTHENTICATION is inferred (§14.1). EU tokens
 *   (`pat-eu1-…`) must also come as the bearer token, or HubSpot refuses them (community thread cited in §14.1).
 */
import { randomUUID } from "node:crypto";
import type { SandboxAuth } from "./auth.js";
import type { ParsedPath } from "./paths.js";
import { error, INVALID_AUTHENTICATION, json, type SandboxResponse } from "./responses.js";

export interface TokenRequest {
  method: string;
  match: ParsedPath;
  raw: string;
  authorization: string | undefined;
  auth: SandboxAuth;
  portalId: number;
  count: (route: string) => void;
}

/** The answer for an OAuth or token-info path, or undefined when the sandbox does not serve it. */
export function routeTokens(request: TokenRequest): SandboxResponse | undefined {
  const { method, match, auth } = request;
  const rest = match.rest.join("/");
  if (match.family === "token-info") {
    if (method !== "POST" || rest !== "") return undefined;
    request.count("token-info");
    return accessTokenInfo(request);
  }
  const v1 = match.prefix === "/oauth/v1";
  if (method === "POST" && rest === "token") {
    request.count("token");
    const form = new URLSearchParams(request.raw);
    // The sandbox has no authorization page, so it cannot have issued a code: it refuses the grant plainly.
    if (form.get("grant_type") === "authorization_code") {
      return error(
        501,
        "NOT_IMPLEMENTED",
        "The sandbox does not implement the authorization_code grant; use refresh_token.",
      );
    }
    return auth.token(form, !v1);
  }
  if (v1 && method === "GET" && match.rest[0] === "access-tokens" && match.rest.length === 2) {
    request.count("introspect");
    return auth.introspect(match.rest[1] as string);
  }
  if (!v1 && method === "POST" && rest === "token/introspect") {
    request.count("introspect");
    return introspect(request);
  }
  return undefined;
}

function introspect(request: TokenRequest): SandboxResponse {
  const form = new URLSearchParams(request.raw);
  const client = request.auth.client(form);
  if (!("clientId" in client)) return client;
  const token = form.get("token") ?? "";
  const issued = request.auth.issuedToken(token);
  if (!issued) return json(200, { active: false });
  const scopes = [...issued.client.scopes];
  return json(200, {
    active: true,
    token,
    token_type: "access",
    token_use: "access_token",
    client_id: issued.client.clientId,
    app_id: issued.appId,
    hub_id: request.portalId,
    hub_domain: "sandbox.example.com",
    user: "sandbox-user@example.com",
    user_id: 7,
    scopes,
    expires_in: issued.expiresInSeconds,
    is_private_distribution: false,
    signed_access_token: {
      expiresAt: Date.now() + issued.expiresInSeconds * 1000,
      scopes: scopes.join(","),
      hubId: request.portalId,
      userId: 7,
      appId: issued.appId,
      hublet: "na1",
      isPrivateDistribution: false,
      isServiceAccount: false,
      isUserLevel: false,
      installingUserId: 7,
      appInstallId: String(issued.appId),
      audience: "sandbox",
      signature: randomUUID(),
      newSignature: randomUUID(),
      scopeToScopeGroupPks: "",
      trialScopes: "",
      trialScopeToScopeGroupPks: "",
    },
  });
}

function accessTokenInfo(request: TokenRequest): SandboxResponse {
  let body: unknown;
  try {
    body = request.raw ? JSON.parse(request.raw) : undefined;
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : "not JSON";
    return error(400, undefined, `Invalid input JSON on line 1, column 1: ${detail}`);
  }
  const tokenKey = (body as { tokenKey?: unknown } | undefined)?.tokenKey;
  if (typeof tokenKey !== "string" || tokenKey === "") {
    return error(
      400,
      "VALIDATION_ERROR",
      "Invalid input JSON on line 1, column 2. Some required fields were not set: [tokenKey]",
    );
  }
  const bearer = /^Bearer\s+(.+)$/i.exec(request.authorization ?? "")?.[1]?.trim();
  if (tokenKey.startsWith("pat-eu1-") && bearer !== tokenKey) return INVALID_AUTHENTICATION();
  const info = request.auth.privateAppInfo(tokenKey);
  return info ? json(200, info) : INVALID_AUTHENTICATION();
}
