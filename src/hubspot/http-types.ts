/** The shapes of one request to HubSpot and its answer, and the seams around it: its gate and its retry policy. */
import type { IncomingHttpHeaders } from "node:http";

export type ResponseHeaders = IncomingHttpHeaders;
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Admission control around every request: `acquire` before sending (resolves with a release function, called
 * when the response is read), `observe` with each response's status and headers. The rate governor implements it.
 */
export interface RequestGate {
  acquire(signal?: AbortSignal): Promise<(() => void) | undefined>;
  observe(status: number, headers: ResponseHeaders): void;
}

/** A gate that admits everything at once. */
export const OPEN_GATE: RequestGate = {
  acquire: async () => undefined,
  observe: () => {},
};

/** The request a retry policy is running, for its decisions and its logs (the path is redacted). */
export interface RequestDescription {
  method: HttpMethod;
  path: string;
}

/**
 * Runs an attempt, and again as the policy sees fit. Attempts throw HubSpotApiError or HubSpotNetworkError for
 * what a retry may cure; anything else they throw (a ConfigError from a rejected OAuth refresh, …) is final.
 */
export interface RetryPolicy {
  /**
   * Runs `attempt` until it succeeds or the policy gives up. Each attempt is given the longest it may wait for an
   * answer, in ms, when the policy bounds it (undefined: the client's own timeouts alone).
   */
  run<T>(attempt: (deadlineMs?: number) => Promise<T>, request: RequestDescription): Promise<T>;
}

/** Runs each attempt once. */
export const RUN_ONCE: RetryPolicy = { run: (attempt) => attempt() };

export type QueryValue = string | number | boolean | undefined;

export interface HubSpotRequest {
  method: HttpMethod;
  /** Path from the API root, e.g. `/crm/v3/properties/0-1`. */
  path: string;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, QueryValue | readonly QueryValue[]>;
  /** A JSON body. */
  json?: unknown;
  /** A form-urlencoded body (the OAuth token endpoint). */
  form?: Record<string, string>;
  /**
   * Send `Authorization: Bearer …` from the token provider.
   * @default true
   */
  auth?: boolean;
  signal?: AbortSignal;
  /** Admission control for this request instead of the client's (event sends have their own HubSpot limit). */
  gate?: RequestGate;
}

export interface HubSpotResponse<T> {
  status: number;
  headers: ResponseHeaders;
  /** The parsed JSON body; undefined for an empty body (204). */
  body: T;
}
