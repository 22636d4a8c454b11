/**
 * The HubSpot client the commands use: credentials → token provider → HTTP transport, plus typed calls for the
 * account, token introspection, property definitions and custom object schemas. The write path adds its calls on
 * top of `request` / `postJson` (see `crm-batches.ts`).
 */
import { HubSpotResponseError } from "./api-errors.js";
import {
  type AuthKind,
  OAuthTokenProvider,
  StaticTokenProvider,
  type TokenGrant,
  type TokenProvider,
} from "./auth.js";
import {
  HubSpotHttp,
  type HubSpotRequest,
  type HubSpotResponse,
  type RequestGate,
  type RetryPolicy,
} from "./http.js";
import { API_PATHS, DEFAULT_BASE_URL } from "./policies.js";
import { redactPath } from "./redact.js";
import {
  type AccessTokenInfo,
  AccessTokenInfoSchema,
  type AccountDetails,
  AccountDetailsSchema,
  type ObjectSchema,
  ObjectSchemaListSchema,
  type Property,
  PropertyListSchema,
  TokenResponseSchema,
} from "./types.js";

/** The `credentials` of the connector config (the same wire names as Airbyte's HubSpot destination). */
export type HubSpotCredentials = { type: "Private App"; access_token: string } | OAuthCredentials;
export type OAuthCredentials = {
  type: "OAuth";
  client_id: string;
  client_secret: string;
  refresh_token: string;
};

/** Where the client's messages go: LOG messages in Airbyte mode, stderr in pipe mode. Never given a secret. */
export type HubSpotLog = (level: "INFO" | "WARN", message: string) => void;

export interface HubSpotClientOptions {
  /** @default DEFAULT_BASE_URL ("https://api.hubapi.com") */
  baseUrl?: string | undefined;
  auth: HubSpotCredentials;
  /**
   * Wait for the response headers, and longest silence within a body, in milliseconds.
   * @default REQUEST_TIMEOUTS.headersMs / REQUEST_TIMEOUTS.bodyMs
   */
  timeoutMs?: number | undefined;
  /** @default KEEP_ALIVE.connections (8) */
  connections?: number | undefined;
  /** Admission control for every request (the rate governor). @default OPEN_GATE */
  gate?: RequestGate | undefined;
  /** @default RUN_ONCE */
  retry?: RetryPolicy | undefined;
  logger?: HubSpotLog | undefined;
  /** Clock for the OAuth token's expiry. @default Date.now */
  now?: (() => number) | undefined;
}

/** `dataSensitivity` of the properties list: HubSpot returns only non-sensitive ones unless asked. */
export type DataSensitivity = "non_sensitive" | "sensitive" | "highly_sensitive";

export class HubSpotClient {
  readonly authKind: AuthKind;
  private readonly http: HubSpotHttp;
  private readonly tokens: TokenProvider;

  constructor(options: HubSpotClientOptions) {
    const timeouts =
      options.timeoutMs === undefined ? {} : { headersMs: options.timeoutMs, bodyMs: options.timeoutMs };
    const auth = options.auth;
    // The OAuth provider fetches tokens through the transport it serves; the transport asks it only per request.
    this.tokens =
      auth.type === "Private App"
        ? new StaticTokenProvider(auth.access_token)
        : new OAuthTokenProvider({
            refreshToken: auth.refresh_token,
            fetchToken: (refreshToken) => this.refreshAccessToken(auth, refreshToken),
            now: options.now,
            onRefresh: ({ expiresInSeconds }) =>
              options.logger?.(
                "INFO",
                `Obtained a HubSpot OAuth access token${expiresInSeconds === undefined ? "" : ` valid for ${expiresInSeconds} s`}.`,
              ),
          });
    this.authKind = this.tokens.kind;
    this.http = new HubSpotHttp({
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      tokens: this.tokens,
      timeouts,
      connections: options.connections,
      gate: options.gate,
      retry: options.retry,
    });
  }

  /** Any HubSpot call: the seam the write path builds on. */
  request<T>(request: HubSpotRequest): Promise<HubSpotResponse<T>> {
    return this.http.request<T>(request);
  }

  async getJson<T>(path: string, query?: HubSpotRequest["query"]): Promise<HubSpotResponse<T>> {
    return this.http.request<T>(
      query === undefined ? { method: "GET", path } : { method: "GET", path, query },
    );
  }

  /** POST a JSON body; the shape `crm-batches.ts` needs of its transport. */
  async postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<{ status: number; body: T }> {
    const request: HubSpotRequest = { method: "POST", path, json: body };
    if (signal !== undefined) request.signal = signal;
    const { status, body: answer } = await this.http.request<T>(request);
    return { status, body: answer };
  }

  /** `GET /account-info/v3/details`: portal id, time zone, data hosting location. */
  async getAccountDetails(): Promise<AccountDetails> {
    return this.getParsed(API_PATHS.accountDetails, AccountDetailsSchema);
  }

  /**
   * `GET /oauth/v1/access-tokens/{token}`: the scopes and hub id of the current OAuth access token. Undefined for
   * a private app token, which HubSpot's OAuth introspection does not know.
   */
  async getAccessTokenInfo(): Promise<AccessTokenInfo | undefined> {
    if (this.tokens.kind !== "oauth") return undefined;
    const token = await this.tokens.getToken();
    return this.getParsed(API_PATHS.accessTokenInfo(token), AccessTokenInfoSchema, { auth: false });
  }

  /**
   * `GET /crm/v3/properties/{objectType}`: the object's property definitions (not archived). HubSpot leaves out
   * sensitive-data properties unless `dataSensitivity` asks for them, which needs the `.sensitive` scopes.
   */
  async listProperties(
    objectType: string,
    options?: { dataSensitivity?: DataSensitivity },
  ): Promise<Property[]> {
    const query =
      options?.dataSensitivity === undefined ? undefined : { dataSensitivity: options.dataSensitivity };
    const list = await this.getParsed(API_PATHS.properties(objectType), PropertyListSchema, { query });
    return list.results;
  }

  /** `GET /crm/v3/schemas`: the account's custom objects with their properties (Enterprise accounts only). */
  async listSchemas(): Promise<ObjectSchema[]> {
    const list = await this.getParsed(API_PATHS.schemas, ObjectSchemaListSchema);
    return list.results;
  }

  /** The current OAuth access token, if one is held (for introspection and for masking in output). */
  get currentAccessToken(): string | undefined {
    return this.tokens instanceof OAuthTokenProvider ? this.tokens.accessToken : undefined;
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private async getParsed<T>(
    path: string,
    schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown } },
    extra: { query?: HubSpotRequest["query"] | undefined; auth?: boolean } = {},
  ): Promise<T> {
    const request: HubSpotRequest = { method: "GET", path };
    if (extra.query !== undefined) request.query = extra.query;
    if (extra.auth !== undefined) request.auth = extra.auth;
    const response = await this.http.request<unknown>(request);
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) {
      throw new HubSpotResponseError({
        method: "GET",
        path: redactPath(path),
        status: response.status,
        problem: "unexpected-shape",
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  private async refreshAccessToken(auth: OAuthCredentials, refreshToken: string): Promise<TokenGrant> {
    const response = await this.http.request<unknown>({
      method: "POST",
      path: API_PATHS.oauthToken,
      auth: false,
      form: {
        grant_type: "refresh_token",
        client_id: auth.client_id,
        client_secret: auth.client_secret,
        refresh_token: refreshToken,
      },
    });
    const parsed = TokenResponseSchema.safeParse(response.body);
    if (!parsed.success) {
      throw new HubSpotResponseError({
        method: "POST",
        path: API_PATHS.oauthToken,
        status: response.status,
        problem: "unexpected-shape",
      });
    }
    return {
      accessToken: parsed.data.access_token,
      expiresInSeconds: parsed.data.expires_in,
      refreshToken: parsed.data.refresh_token,
    };
  }
}
