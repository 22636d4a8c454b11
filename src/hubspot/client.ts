/**
 * The HubSpot client the commands use: credentials → token provider → HTTP transport, plus typed calls for the
 * account, token introspection, property definitions and custom object schemas. The write path adds its calls on
 * top of `request` / `postJson` (see targets/crm-object/sender.ts).
 */
import { HubSpotResponseError, parseAnswer } from "./api-errors.js";
import {
  type AuthKind,
  OAuthTokenProvider,
  StaticTokenProvider,
  type TokenGrant,
  type TokenProvider,
} from "./auth.js";
import { HubSpotHttp } from "./http.js";
import type { HubSpotRequest, HubSpotResponse, RequestGate, RetryPolicy } from "./http-types.js";
import type { ApiVersion } from "../config/api-versions.js";
import { type ApiPaths, apiPaths } from "./api-paths.js";
import { HubSpotApiError } from "./api-errors.js";
import { DEFAULT_BASE_URL } from "./policies.js";
import type { RequestTally } from "./request-tally.js";
import {
  type AccessTokenInfo,
  AccessTokenInfoSchema,
  type AccountDetails,
  AccountDetailsSchema,
  type ObjectSchema,
  ObjectSchemaListSchema,
  type Pipeline,
  PipelineListSchema,
  type PrivateAppTokenInfo,
  PrivateAppTokenInfoSchema,
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
  /** Which HubSpot API version every call uses. @default DEFAULT_API_VERSION ("2026-09") */
  apiVersion?: ApiVersion | undefined;
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
  /** Told of every OAuth access token obtained, so output can be masked for it too. */
  onAccessToken?: ((token: string) => void) | undefined;
  /** Where this client's requests are counted. @default PROCESS_REQUESTS */
  tally?: RequestTally | undefined;
}

/** `dataSensitivity` of the properties list: HubSpot returns only non-sensitive ones unless asked. */
export type DataSensitivity = "non_sensitive" | "sensitive" | "highly_sensitive";

export class HubSpotClient {
  readonly authKind: AuthKind;
  /** The path map of the configured API version: every call goes through it. */
  readonly paths: ApiPaths;
  private readonly http: HubSpotHttp;
  private readonly tokens: TokenProvider;
  private readonly auth: HubSpotCredentials;

  constructor(options: HubSpotClientOptions) {
    this.paths = apiPaths(options.apiVersion);
    const timeouts =
      options.timeoutMs === undefined ? {} : { headersMs: options.timeoutMs, bodyMs: options.timeoutMs };
    const auth = options.auth;
    this.auth = auth;
    // The OAuth provider fetches tokens through the transport it serves; the transport asks it only per request.
    this.tokens =
      auth.type === "Private App"
        ? new StaticTokenProvider(auth.access_token)
        : new OAuthTokenProvider({
            refreshToken: auth.refresh_token,
            fetchToken: (refreshToken) => this.refreshAccessToken(auth, refreshToken),
            now: options.now,
            onRefresh: ({ accessToken, expiresInSeconds }) => {
              options.onAccessToken?.(accessToken);
              options.logger?.(
                "INFO",
                `Obtained a HubSpot OAuth access token${expiresInSeconds === undefined ? "" : ` valid for ${expiresInSeconds} s`}.`,
              );
            },
          });
    this.authKind = this.tokens.kind;
    this.http = new HubSpotHttp({
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      tokens: this.tokens,
      timeouts,
      connections: options.connections,
      gate: options.gate,
      retry: options.retry,
      tally: options.tally,
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

  /** POST a JSON body; the shape the batch senders and readers need of their transport (transport.ts). */
  async postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<{ status: number; body: T }> {
    const request: HubSpotRequest = { method: "POST", path, json: body };
    if (signal !== undefined) request.signal = signal;
    const { status, body: answer } = await this.http.request<T>(request);
    return { status, body: answer };
  }

  /** Account details (`…/details`): portal id, time zone, data hosting location. */
  async getAccountDetails(): Promise<AccountDetails> {
    return this.getParsed(this.paths.accountDetails(), AccountDetailsSchema);
  }

  /**
   * The scopes and hub id of the current OAuth access token (legacy `GET /oauth/v1/access-tokens/{token}`, dated
   * `POST /oauth/{version}/token/introspect`). Undefined for a private app token or service key.
   */
  async getAccessTokenInfo(): Promise<AccessTokenInfo | undefined> {
    if (this.tokens.kind !== "oauth" || this.auth.type !== "OAuth") return undefined;
    const token = await this.tokens.getToken();
    const { method, path } = this.paths.oauthIntrospect(token);
    if (method === "GET") return this.getParsed(path, AccessTokenInfoSchema, { auth: false });
    const form = { token, client_id: this.auth.client_id, client_secret: this.auth.client_secret };
    const response = await this.http.request<unknown>({ method, path, form, auth: false });
    return parseAnswer(AccessTokenInfoSchema, response, method, path);
  }

  /**
   * A private app token's (or service key's) portal and scopes, from `POST /oauth/v2/private-apps/get/access-token-info`
   * (https://developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview). Undefined for OAuth, and when
   * HubSpot does not know the token there (401/403/404: whether service keys are known to it is not documented), so
   * the caller falls back to probing.
   */
  async getPrivateAppTokenInfo(): Promise<PrivateAppTokenInfo | undefined> {
    if (this.tokens.kind === "oauth") return undefined;
    const token = await this.tokens.getToken();
    const path = this.paths.privateAppTokenInfo();
    try {
      // EU tokens also need the Authorization header (§14.1), so it is always sent.
      const response = await this.http.request<unknown>({ method: "POST", path, json: { tokenKey: token } });
      return parseAnswer(PrivateAppTokenInfoSchema, response, "POST", path);
    } catch (error) {
      if (error instanceof HubSpotApiError && [401, 403, 404].includes(error.status)) return undefined;
      throw error;
    }
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
    const list = await this.getParsed(this.paths.properties(objectType), PropertyListSchema, { query });
    return list.results;
  }

  /** `GET /crm/v3/schemas`: the account's custom objects with their properties (Enterprise accounts only). */
  async listSchemas(): Promise<ObjectSchema[]> {
    const list = await this.getParsed(this.paths.schemas(), ObjectSchemaListSchema);
    return list.results;
  }

  /**
   * `GET /crm/pipelines/{version}/{objectType}`: the object's pipelines with their stages
   * (https://developers.hubspot.com/docs/api-reference/latest/crm/pipelines/guide).
   */
  async listPipelines(objectType: string): Promise<Pipeline[]> {
    const list = await this.getParsed(this.paths.pipelines(objectType), PipelineListSchema);
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
    return parseAnswer(schema, response, "GET", path);
  }

  private async refreshAccessToken(auth: OAuthCredentials, refreshToken: string): Promise<TokenGrant> {
    const response = await this.http.request<unknown>({
      method: "POST",
      path: this.paths.oauthToken(),
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
        path: this.paths.oauthToken(),
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
