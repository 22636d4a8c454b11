/**
 * The one HTTP transport to HubSpot: a pool of keep-alive connections (connection-pool.ts, Node's own client) with
 * per-request timeouts.
 *
 * One request:
 * 1. The retry policy runs the attempt (default: once).
 * 2. An attempt takes the bearer token (before the gate, so an OAuth refresh never waits behind its own slot), waits
 *    at the request gate (default: open), sends, reports status and headers to the gate, and reads the body within
 *    a size bound. A non-2xx answer throws HubSpotApiError; no answer throws HubSpotNetworkError.
 * 3. A 401 the token provider can cure (an expired OAuth token) is followed by one more run of step 1.
 * Messages and errors carry the method and a redacted path, never a header value or a token.
 *
 * Every wait is bounded: the headers are checked before Node sees a request (a bad token is the user's to fix); a
 * request Node still refuses as built is final, never retried; and a request without response headers past
 * RESPONSE_DEADLINE_MARGIN_MS beyond the pool's own connect and headers timeouts is aborted as timed out.
 */
import { SystemError } from "../errors.js";
import { HubSpotApiError, HubSpotNetworkError, HubSpotResponseError } from "./api-errors.js";
import type { TokenProvider } from "./auth.js";
import { parseErrorBody, parseRetryAfter } from "./error-body.js";
import { checkRequestHeaders, isInvalidRequestError } from "./header-values.js";
import {
  type BoundedBody,
  encodeBody,
  type EncodedBody,
  parseJsonBody,
  queryString,
  readBounded,
} from "./http-body.js";
import type {
  HubSpotRequest,
  HubSpotResponse,
  RequestDescription,
  RequestGate,
  RetryPolicy,
} from "./http-types.js";
import { OPEN_GATE, RUN_ONCE } from "./http-types.js";
import { KEEP_ALIVE, REQUEST_TIMEOUTS, RESPONSE_LIMITS } from "./policies.js";
import { redactPath, scrub, secretInPath } from "./redact.js";
import { ConnectionPool, type PoolResponse } from "./connection-pool.js";
import { endpointOf, PROCESS_REQUESTS, type RequestTally } from "./request-tally.js";

/** Beyond the pool's connect and headers timeouts, how long a request may wait for its response headers. */
export const RESPONSE_DEADLINE_MARGIN_MS = 5_000;
/** How long `close` waits for requests in flight before it destroys the connections. */
export const CLOSE_GRACE_MS = 10_000;

export interface HubSpotHttpOptions {
  /** Origin plus optional path prefix, e.g. `https://api.hubapi.com` or `http://127.0.0.1:4010`. */
  baseUrl: string;
  /** Needed for requests with `auth` (the default). */
  tokens?: TokenProvider | undefined;
  /** Overrides of `REQUEST_TIMEOUTS`. */
  timeouts?: Partial<Record<keyof typeof REQUEST_TIMEOUTS, number>> | undefined;
  /** @default KEEP_ALIVE.connections (8) */
  connections?: number | undefined;
  /** @default OPEN_GATE */
  gate?: RequestGate | undefined;
  /** @default RUN_ONCE */
  retry?: RetryPolicy | undefined;
  /** @default "destination-hubspot" */
  userAgent?: string | undefined;
  /** Where each exchange is counted. @default PROCESS_REQUESTS */
  tally?: RequestTally | undefined;
}

export { readBounded };

const SUCCESS = (status: number) => status >= 200 && status < 300;

export class HubSpotHttp {
  private readonly pool: ConnectionPool;
  private readonly origin: string;
  private readonly tally: RequestTally;
  private readonly prefix: string;
  private readonly tokens: TokenProvider | undefined;
  private readonly gate: RequestGate;
  private readonly retry: RetryPolicy;
  private readonly timeouts: Record<keyof typeof REQUEST_TIMEOUTS, number>;
  private readonly userAgent: string;
  /** The token each 401 was answered to, so the provider can tell a stale token from the current one. */
  private readonly rejectedTokens = new WeakMap<HubSpotApiError, string>();

  constructor(options: HubSpotHttpOptions) {
    const url = new URL(options.baseUrl);
    this.prefix = url.pathname.replace(/\/+$/, "");
    this.tokens = options.tokens;
    this.gate = options.gate ?? OPEN_GATE;
    this.retry = options.retry ?? RUN_ONCE;
    this.timeouts = { ...REQUEST_TIMEOUTS, ...options.timeouts };
    this.userAgent = options.userAgent ?? "destination-hubspot";
    this.tally = options.tally ?? PROCESS_REQUESTS;
    this.origin = url.origin;
    this.pool = new ConnectionPool(this.origin, {
      connections: options.connections ?? KEEP_ALIVE.connections,
      connectTimeout: this.timeouts.connectMs,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
      keepAliveTimeout: KEEP_ALIVE.idleMs,
    });
  }

  async request<T>(request: HubSpotRequest): Promise<HubSpotResponse<T>> {
    const description: RequestDescription = { method: request.method, path: redactPath(request.path) };
    const payload = encodeBody(request);
    const run = () =>
      this.retry.run((deadlineMs?: number) => this.attempt<T>(request, payload, deadlineMs), description);
    try {
      return await run();
    } catch (error) {
      if (!(await this.curableUnauthorized(request, error))) throw error;
      return await run();
    }
  }

  /**
   * Waits for requests in flight, at most CLOSE_GRACE_MS, then closes every connection (a response whose body
   * nobody reads would otherwise hold the process open).
   */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
    });
    await Promise.race([this.pool.close(), bound]);
    clearTimeout(timer);
    await this.pool.destroy();
  }

  private async curableUnauthorized(request: HubSpotRequest, error: unknown): Promise<boolean> {
    if (request.auth === false || this.tokens === undefined) return false;
    if (!(error instanceof HubSpotApiError) || error.status !== 401) return false;
    return this.tokens.onUnauthorized(error, this.rejectedTokens.get(error));
  }

  private async attempt<T>(
    request: HubSpotRequest,
    payload: EncodedBody | undefined,
    deadlineMs: number | undefined,
  ): Promise<HubSpotResponse<T>> {
    const { method } = request;
    const shownPath = redactPath(request.path);
    const url = this.shownUrl(shownPath);
    const secrets = [secretInPath(request.path)];
    const token = await this.bearerToken(request);
    const headers: Record<string, string> = { accept: "application/json", "user-agent": this.userAgent };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (payload !== undefined) headers["content-type"] = payload.contentType;
    checkRequestHeaders(headers, { method, path: shownPath }, this.tokens?.kind);

    const gate = request.gate ?? this.gate;
    const release = await gate.acquire(request.signal);
    try {
      const started = performance.now();
      const response = await this.send(request, headers, payload, shownPath, deadlineMs);
      const status = response.statusCode;
      this.tally.answered(status, endpointOf(method, shownPath), performance.now() - started);
      gate.observe(status, response.headers);
      const limit = SUCCESS(status) ? RESPONSE_LIMITS.maxBodyBytes : RESPONSE_LIMITS.maxErrorBodyBytes;
      let read: BoundedBody;
      try {
        read = await readBounded(response, limit);
      } catch (cause) {
        throw new HubSpotNetworkError({ method, path: shownPath, url, cause });
      }

      if (!SUCCESS(status)) {
        const error = new HubSpotApiError({
          method,
          path: shownPath,
          url,
          status,
          parsed: parseErrorBody(scrub(read.text, secrets)),
          retryAfterMs: parseRetryAfter(response.headers["retry-after"]),
        });
        if (token !== undefined && status === 401) this.rejectedTokens.set(error, token);
        throw error;
      }
      if (read.truncated)
        throw new HubSpotResponseError({ method, path: shownPath, status, problem: "too-large" });
      return {
        status,
        headers: response.headers,
        body: parseJsonBody<T>(read.text, { method, path: shownPath, status }),
      };
    } finally {
      release?.();
    }
  }

  /**
   * Sends one request, bounded in time until its response headers arrive: by the client's timeouts, and by
   * `deadlineMs` when the retry policy gives one (a base URL that has never answered, see retry-policy.ts).
   */
  private async send(
    request: HubSpotRequest,
    headers: Record<string, string>,
    payload: EncodedBody | undefined,
    shownPath: string,
    deadlineMs: number | undefined,
  ): Promise<PoolResponse> {
    const { method } = request;
    const deadline = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // The race settles a request still waiting for a free connection too.
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          const reason = new DOMException("no response headers in time", "TimeoutError");
          deadline.abort(reason);
          reject(reason);
        },
        Math.min(
          this.timeouts.connectMs + this.timeouts.headersMs + RESPONSE_DEADLINE_MARGIN_MS,
          deadlineMs ?? Infinity,
        ),
      );
    });
    const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
    const sent = this.pool.request({
      method,
      path: this.prefix + request.path + queryString(request.query),
      headers,
      body: payload?.body ?? null,
      signal,
      headersTimeout: Math.min(this.timeouts.headersMs, deadlineMs ?? Infinity),
      bodyTimeout: this.timeouts.bodyMs,
    });
    try {
      return await Promise.race([sent, timedOut]);
    } catch (cause) {
      // A response that comes after the deadline is dropped, and a late failure is nobody's to handle.
      sent.then(
        (late) => late.body.destroy(),
        () => undefined,
      );
      if (isInvalidRequestError(cause)) {
        throw new SystemError(
          `The connector built a request to HubSpot that the HTTP client refuses (${method} ${shownPath}); this is a bug, please report it.`,
          { cause, internalMessage: `${(cause as { code?: string }).code ?? "invalid argument"}` },
        );
      }
      this.tally.failed(endpointOf(method, shownPath));
      throw new HubSpotNetworkError({ method, path: shownPath, url: this.shownUrl(shownPath), cause });
    } finally {
      clearTimeout(timer);
    }
  }

  /** The URL of a call as errors may show it: the base URL's origin (never its user info) and path prefix. */
  private shownUrl(shownPath: string): string {
    return `${this.origin}${this.prefix}${shownPath}`;
  }

  private async bearerToken(request: HubSpotRequest): Promise<string | undefined> {
    if (request.auth === false) return undefined;
    if (this.tokens === undefined) {
      throw new SystemError(
        `HubSpotHttp has no token provider for ${request.method} ${redactPath(request.path)}`,
      );
    }
    return this.tokens.getToken();
  }
}
