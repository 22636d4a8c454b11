/**
 * Where the bearer token of each request comes from.
 * - Private app (or static auth token): one token, never renewed; a 401 is final.
 * - OAuth: an access token obtained from the refresh token, cached, and renewed
 *   1. proactively, `OAUTH_REFRESH_SKEW_MS` before `expires_in` runs out (HubSpot asks clients to refresh by
 *      `expires_in`, not by waiting for a 401);
 *   2. reactively, once, when HubSpot still answers 401 EXPIRED_AUTHENTICATION (clock skew, a revoked token).
 *   Concurrent callers share one refresh (single flight). The token fetch is injected, so this file does no I/O.
 *   A failed refresh is thrown as a connector error (ConfigError when HubSpot rejects the refresh token).
 * https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/guide
 */
import type { HubSpotApiError } from "./api-errors.js";
import { toConnectorError } from "./classify.js";
import { OAUTH_REFRESH_SKEW_MS } from "./policies.js";

export type AuthKind = "private-app" | "oauth";

export interface TokenProvider {
  readonly kind: AuthKind;
  /** The access token to send as `Authorization: Bearer …`. */
  getToken(): Promise<string>;
  /**
   * Called once per request that HubSpot answered 401. Resolves true when a retry with a (new) token makes sense.
   * @param rejectedToken the token the failed request carried, so that concurrent 401s trigger one refresh only.
   */
  onUnauthorized(error: HubSpotApiError, rejectedToken?: string): Promise<boolean>;
}

/** A private app's access token (or a developer-platform static auth token). */
export class StaticTokenProvider implements TokenProvider {
  readonly kind = "private-app";
  constructor(private readonly token: string) {}

  async getToken(): Promise<string> {
    return this.token;
  }

  /** A static token does not change: retrying cannot help. */
  async onUnauthorized(): Promise<boolean> {
    return false;
  }
}

/** What the token endpoint grants (`POST /oauth/v1/token`). */
export interface TokenGrant {
  accessToken: string;
  /** Seconds the access token lives; undefined = HubSpot did not say, so the token is kept until a 401. */
  expiresInSeconds?: number | undefined;
  /** A new refresh token, if HubSpot issued one. */
  refreshToken?: string | undefined;
}

/** Exchanges a refresh token for an access token (the client's `POST /oauth/v1/token` in production). */
export type TokenFetcher = (refreshToken: string) => Promise<TokenGrant>;

export interface OAuthTokenProviderOptions {
  refreshToken: string;
  fetchToken: TokenFetcher;
  /** @default Date.now */
  now?: () => number;
  /** @default OAUTH_REFRESH_SKEW_MS (60 s) */
  refreshSkewMs?: number;
  /** Told of each new grant (the access token too, so output can be masked for it). */
  onRefresh?: (grant: { accessToken: string; expiresInSeconds: number | undefined }) => void;
}

export class OAuthTokenProvider implements TokenProvider {
  readonly kind = "oauth";
  private refreshToken: string;
  private readonly fetchToken: TokenFetcher;
  private readonly now: () => number;
  private readonly skewMs: number;
  private readonly onRefresh: OAuthTokenProviderOptions["onRefresh"];
  private token: string | undefined;
  /** When the cached token must be renewed (epoch ms); undefined = not before HubSpot rejects it. */
  private renewAt: number | undefined;
  private refreshing: Promise<string> | undefined;

  constructor(options: OAuthTokenProviderOptions) {
    this.refreshToken = options.refreshToken;
    this.fetchToken = options.fetchToken;
    this.now = options.now ?? Date.now;
    this.skewMs = options.refreshSkewMs ?? OAUTH_REFRESH_SKEW_MS;
    this.onRefresh = options.onRefresh;
  }

  /** The cached access token, if one is held (for token introspection). */
  get accessToken(): string | undefined {
    return this.token;
  }

  async getToken(): Promise<string> {
    if (this.token !== undefined && (this.renewAt === undefined || this.now() < this.renewAt))
      return this.token;
    return this.refresh();
  }

  async onUnauthorized(error: HubSpotApiError, rejectedToken?: string): Promise<boolean> {
    if (error.status !== 401 || error.category !== "EXPIRED_AUTHENTICATION") return false;
    // Another request already replaced the token this one carried: retry with the new one.
    if (rejectedToken !== undefined && this.token !== undefined && rejectedToken !== this.token) return true;
    this.token = undefined;
    this.renewAt = undefined;
    await this.refresh();
    return true;
  }

  /** One refresh at a time; every caller that arrives meanwhile gets its result. */
  private refresh(): Promise<string> {
    this.refreshing ??= this.fetchAndStore().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async fetchAndStore(): Promise<string> {
    let grant: TokenGrant;
    try {
      grant = await this.fetchToken(this.refreshToken);
    } catch (error) {
      // Classified here: the token request already had its retries, so the request that needed the token must
      // not retry it again, and a rejected refresh token becomes a ConfigError the user can act on.
      throw toConnectorError(error, { operation: "renewing the HubSpot OAuth access token" });
    }
    const obtainedAt = this.now();
    this.token = grant.accessToken;
    this.renewAt = renewalTime(obtainedAt, grant.expiresInSeconds, this.skewMs);
    if (grant.refreshToken) this.refreshToken = grant.refreshToken;
    this.onRefresh?.({ accessToken: grant.accessToken, expiresInSeconds: grant.expiresInSeconds });
    return grant.accessToken;
  }
}

/**
 * When to renew a token obtained at `obtainedAt` that lives `expiresInSeconds`: `skewMs` before it expires, but
 * never earlier than half its life (a short-lived token would otherwise be renewed on every request).
 */
export function renewalTime(
  obtainedAt: number,
  expiresInSeconds: number | undefined,
  skewMs: number,
): number | undefined {
  if (expiresInSeconds === undefined || !Number.isFinite(expiresInSeconds)) return undefined;
  const lifeMs = Math.max(0, expiresInSeconds * 1000);
  return obtainedAt + Math.max(lifeMs - skewMs, lifeMs / 2);
}
