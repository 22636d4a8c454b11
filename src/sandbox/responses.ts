/**
 * Response bodies in HubSpot's shapes (https://developers.hubspot.com/docs/api-reference/error-handling,
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines).
 */
import { randomUUID } from "node:crypto";

export interface SandboxResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function errorBody(
  category: string | undefined,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return {
    status: "error",
    message,
    correlationId: randomUUID(),
    ...(category ? { category } : {}),
    ...extra,
  };
}

export const error = (
  status: number,
  category: string | undefined,
  message: string,
  extra: Record<string, unknown> = {},
): SandboxResponse => ({ status, body: errorBody(category, message, extra) });

export const json = (status: number, body: unknown): SandboxResponse => ({ status, body });

export const noContent = (): SandboxResponse => ({ status: 204 });

/**
 * A path the sandbox does not serve. HubSpot would answer it (or 404 it); the sandbox says plainly that it does
 * not know, rather than inventing a 404 that would read as "no such record".
 */
export const notImplemented = (method: string, path: string, hint?: string): SandboxResponse =>
  error(501, "NOT_IMPLEMENTED", `The sandbox does not implement ${method} ${path}${hint ? `. ${hint}` : ""}`);

/** A date version the sandbox does not know (it serves only `API_VERSIONS`). */
export const versionNotImplemented = (version: string, path: string): SandboxResponse =>
  error(
    501,
    "NOT_IMPLEMENTED",
    `API version ${version} is not implemented by the sandbox (${path}); it serves 2026-03, 2026-09 and the numbered versions.`,
  );

export const INVALID_AUTHENTICATION = () =>
  error(
    401,
    "INVALID_AUTHENTICATION",
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
  );

export function expiredAuthentication(expiredAt: number): SandboxResponse {
  const seconds = Math.max(1, Math.round((Date.now() - expiredAt) / 1000));
  return error(
    401,
    "EXPIRED_AUTHENTICATION",
    `The OAuth token used to make this call expired ${seconds} second(s) ago.`,
    {
      context: { "expire time": [new Date(expiredAt).toISOString()] },
    },
  );
}

export function missingScopes(requiredScopes: readonly string[]): SandboxResponse {
  return error(
    403,
    "MISSING_SCOPES",
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [
        {
          message: "One or more of the following scopes are required.",
          context: { requiredGranularScopes: [...requiredScopes] },
        },
      ],
      links: { scopes: "https://developers.hubspot.com/scopes" },
    },
  );
}

/**
 * HubSpot's 429 body (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines): `policyName`
 * says which limit, `groupName` names the bucket (`publicapi:…-ten-secondly:{id}` in a recorded body; the sandbox
 * names the credential's bucket the same way).
 */
export function rateLimited(
  policyName: "TEN_SECONDLY_ROLLING" | "DAILY",
  groupName?: string,
): SandboxResponse {
  const message =
    policyName === "DAILY"
      ? "You have reached your daily limit."
      : "You have reached your ten_secondly_rolling limit.";
  return error(429, "RATE_LIMITS", message, {
    errorType: "RATE_LIMIT",
    policyName,
    ...(groupName ? { groupName } : {}),
    requestId: randomUUID(),
  });
}

/** The generic body the sandbox gives an injected 5xx, like HubSpot's edge. */
export function serverError(status: number): SandboxResponse {
  const messages: Record<number, string> = {
    423: "Locked: too many writes to these records; retry after at least 2 seconds.",
    477: "Migration in progress",
    502: "Bad Gateway: processing limits have been met",
    503: "Service Unavailable",
    504: "Gateway Timeout: processing limits have been met",
  };
  return error(status, status === 423 ? "LOCKED" : undefined, messages[status] ?? `HTTP ${status}`);
}
