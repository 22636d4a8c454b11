/**
 * Maps HubSpot failures to the connector's three kinds, by status, HubSpot `category`/`policyName` and error `code`
 * (never by message text), with messages a person can act on. The original error is kept as `cause`, and its
 * technical message (method, redacted path, category, correlation id) becomes the `internalMessage`.
 * Statuses: https://developers.hubspot.com/docs/api-reference/error-handling
 * Limits: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 */
import {
  type AnyConnectorError,
  ConfigError,
  toConnectorError as fallbackConnectorError,
  isConnectorError,
  SystemError,
  TransientError,
} from "../errors.js";
import {
  HubSpotApiError,
  HubSpotNetworkError,
  HubSpotResponseError,
  type NetworkErrorKind,
} from "./api-errors.js";

/** Statuses after which running again later should work; every 5xx but 501 is transient too. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 423, 429, 477]);

/**
 * Statuses that mean the setup is wrong: the token (401), its scopes or the account's tier (403), the object or
 * base URL (404 for a route every HubSpot account has), headers too large for HubSpot to read (431: the
 * connector's own are small, so a credential far longer than any HubSpot token is what makes them so, a file
 * pasted in place of the token), or a server that does not implement a route the connector needs (501: the one
 * 5xx that is no passing failure, so the base URL is not HubSpot's API).
 */
export const CONFIG_STATUSES: ReadonlySet<number> = new Set([401, 403, 404, 431, 501]);

/** OAuth token-endpoint answers that mean the configured credentials are wrong (`error` code or `status`). */
export const OAUTH_CREDENTIAL_ERRORS = {
  refreshToken: { codes: ["invalid_grant"], categories: ["BAD_REFRESH_TOKEN"] },
  client: {
    codes: ["invalid_client", "unauthorized_client"],
    categories: ["BAD_CLIENT_ID", "BAD_CLIENT_SECRET"],
  },
} as const;

export const REFRESH_TOKEN_REJECTED_MESSAGE =
  "HubSpot rejected the OAuth refresh token (invalid, expired or revoked); reconnect this HubSpot destination (authorize the OAuth app again) to get a new one.";
export const CLIENT_REJECTED_MESSAGE =
  "HubSpot rejected the OAuth client id or client secret; check them against the Auth settings of your HubSpot app.";

export interface ClassifyContext {
  /** What the connector was doing, as a phrase that follows "while": "reading the properties of CONTACT". */
  operation: string;
  /** The object involved (CONTACT, cars, …), named in not-found messages. */
  objectName?: string | undefined;
  /** The account's time zone (`/account-info/v3/details` `timeZone`), named in the daily-limit message. */
  timeZone?: string | undefined;
}

const isOAuthError = (error: unknown, codes: { codes: readonly string[]; categories: readonly string[] }) =>
  error instanceof HubSpotApiError &&
  error.status >= 400 &&
  error.status < 500 &&
  ((error.code !== undefined && codes.codes.includes(error.code)) ||
    (error.category !== undefined && codes.categories.includes(error.category)));

/** The token endpoint's answer to a refresh token that is invalid, expired or revoked. */
export const isBadRefreshToken = (error: unknown): boolean =>
  isOAuthError(error, OAUTH_CREDENTIAL_ERRORS.refreshToken);

/** The token endpoint's answer to an unknown client id or a wrong client secret. */
export const isBadClient = (error: unknown): boolean => isOAuthError(error, OAUTH_CREDENTIAL_ERRORS.client);

export const isTransientStatus = (status: number) =>
  (status >= 500 && status !== 501) || TRANSIENT_STATUSES.has(status);

const NETWORK_TEXT: Record<NetworkErrorKind, string> = {
  timeout: "HubSpot did not answer in time",
  reset: "the connection to HubSpot was closed or reset",
  refused: "the connection to HubSpot was refused",
  dns: "HubSpot's host name could not be resolved",
  tls: "a secure (TLS) connection to HubSpot could not be established",
  aborted: "the request to HubSpot was aborted",
  other: "the request to HubSpot failed",
};

/** Classifies any failure of a HubSpot call; connector errors pass through unchanged. */
export function toConnectorError(error: unknown, context: ClassifyContext): AnyConnectorError {
  if (isConnectorError(error)) return error;
  const options = { cause: error, internalMessage: error instanceof Error ? error.message : String(error) };
  if (error instanceof HubSpotNetworkError) {
    const called = error.url === undefined ? "" : ` (${error.method} ${error.url})`;
    return new TransientError(
      `Could not complete a HubSpot request while ${context.operation}: ${NETWORK_TEXT[error.kind]}${called}. Check the network and the base URL, then try again.`,
      options,
    );
  }
  if (error instanceof HubSpotResponseError) {
    return new SystemError(
      `HubSpot's answer could not be used while ${context.operation}: ${error.message}.`,
      options,
    );
  }
  if (!(error instanceof HubSpotApiError)) return fallbackConnectorError(error);
  if (isBadRefreshToken(error)) return new ConfigError(REFRESH_TOKEN_REJECTED_MESSAGE, options);
  if (isBadClient(error)) return new ConfigError(CLIENT_REJECTED_MESSAGE, options);
  const message = apiErrorMessage(error, context);
  return isTransientStatus(error.status)
    ? new TransientError(message, options)
    : CONFIG_STATUSES.has(error.status)
      ? new ConfigError(message, options)
      : new SystemError(message, options);
}

function apiErrorMessage(error: HubSpotApiError, context: ClassifyContext): string {
  const during = `while ${context.operation}`;
  switch (error.status) {
    case 401:
      return error.category === "EXPIRED_AUTHENTICATION"
        ? `HubSpot rejected the OAuth access token as expired ${during}, even after the connector renewed it; reconnect this HubSpot destination (authorize the OAuth app again), and check this machine's clock.`
        : `HubSpot rejected the access token ${during} (401 ${error.category ?? "Unauthorized"}); check the private app access token, or reconnect this HubSpot destination (authorize the OAuth app again) if you use OAuth.`;
    case 403:
      return forbiddenMessage(error, during);
    case 404: {
      const what = context.objectName
        ? `the object ${context.objectName} does not exist in this HubSpot account`
        : "the object or account does not exist";
      return `HubSpot found nothing at ${error.method} ${error.url ?? error.path} ${during}: ${what}. Check the object name and the base URL.`;
    }
    case 431:
      return `HubSpot refused the request ${during} with 431 Request Header Fields Too Large: the credentials are far longer than any HubSpot token. Check that the config's token field holds the token alone.`;
    case 501:
      return `The server at the base URL does not implement ${error.method} ${error.url ?? error.path} (501 Not Implemented) ${during}: api_base_url must be HubSpot's API (https://api.hubapi.com) or a server that implements the routes the connector calls.`;
    case 423:
      return `HubSpot answered 423 Locked ${during}: the record or account is busy with another change. Try again shortly.`;
    case 429:
      return error.policyName === "DAILY"
        ? `HubSpot's daily API request limit for this account is used up (${during}). It resets at midnight in the account's time zone${context.timeZone ? ` (${context.timeZone})` : ""}; run the sync again after that.`
        : `HubSpot kept answering 429 Too Many Requests${error.policyName ? ` (${error.policyName})` : ""} ${during}; other apps may be using this account's request budget. Try again later.`;
    case 477:
      return `HubSpot answered 477 Migration in Progress ${during}: the account is being moved between data centres${error.retryAfterMs === undefined ? "" : ` (HubSpot suggests waiting ${Math.ceil(error.retryAfterMs / 1000)} s)`}. Try again later.`;
    default:
      if (isTransientStatus(error.status)) {
        return `HubSpot answered ${error.status} ${during} and kept doing so after retries; this is usually temporary. Try again later.`;
      }
      return `HubSpot refused the request ${during} with ${error.status}${error.category ? ` ${error.category}` : ""}: ${error.hubspotMessage ?? "no error message"}.`;
  }
}

function forbiddenMessage(error: HubSpotApiError, during: string): string {
  if (error.category === "MISSING_SCOPES") {
    const scopes = error.requiredScopes;
    const needed = scopes.length > 0 ? ` HubSpot needs one of these scopes: ${scopes.join(", ")}.` : "";
    return `HubSpot refused access ${during}: the app has not been granted a required scope.${needed} Add it to the private app, or reinstall the OAuth app with it, then reconnect.`;
  }
  return `HubSpot refused access ${during} (403${error.category ? ` ${error.category}` : ""}): the account's subscription may not include this feature (custom objects and custom events need an Enterprise hub), or the app's user lacks permission.`;
}
