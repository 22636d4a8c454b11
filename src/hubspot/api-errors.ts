/**
 * The client's own failures, before they are classified into the connector's three kinds (`classify.ts`):
 * - HubSpotApiError: HubSpot answered with a non-2xx status; carries what its error body says.
 * - HubSpotNetworkError: no answer (connection refused or reset, DNS, timeout, TLS, aborted).
 * - HubSpotResponseError: a 2xx answer the client cannot use (not JSON, too large, unexpected shape).
 * Messages name the request (method and redacted path) and never a token or a header value.
 */
import { POOL_CLOSED, TIMEOUT_CODES } from "./connection-pool.js";
import type { HubSpotErrorDetail, ParsedErrorBody } from "./error-body.js";
import { RESPONSE_LIMITS } from "./policies.js";
import { redactPath } from "./redact.js";

const clip = (value: string) =>
  value.length > RESPONSE_LIMITS.maxMessageChars
    ? `${value.slice(0, RESPONSE_LIMITS.maxMessageChars)}…`
    : value;

export interface HubSpotApiErrorInit {
  method: string;
  /** Already redacted. */
  path: string;
  /** The URL called, as it may be shown: the base URL's origin and path, the redacted path, no query. */
  url?: string | undefined;
  status: number;
  parsed: ParsedErrorBody;
  retryAfterMs?: number | undefined;
}

/** HubSpot answered with a non-2xx status. */
export class HubSpotApiError extends Error {
  override readonly name = "HubSpotApiError";
  readonly method: string;
  readonly path: string;
  /** The URL called, shown without secrets (see HubSpotApiErrorInit). */
  readonly url: string | undefined;
  readonly status: number;
  readonly category: string | undefined;
  readonly subCategory: string | undefined;
  readonly code: string | undefined;
  readonly correlationId: string | undefined;
  readonly policyName: string | undefined;
  readonly context: Record<string, string[]> | undefined;
  readonly errors: readonly HubSpotErrorDetail[];
  /** From `Retry-After`, when HubSpot sent one. */
  readonly retryAfterMs: number | undefined;
  /** HubSpot's own `message`. */
  readonly hubspotMessage: string | undefined;
  /** The error body as JSON (undefined when it was not JSON), read by the per-record batch error parsing. */
  readonly body: Record<string, unknown> | undefined;

  constructor(init: HubSpotApiErrorInit) {
    const { parsed } = init;
    const label = [parsed.category, parsed.code].filter(Boolean).join(" / ");
    const detail = parsed.message === undefined ? "no error message" : clip(parsed.message);
    const correlation = parsed.correlationId === undefined ? "" : ` (correlation id ${parsed.correlationId})`;
    super(
      `HubSpot answered ${init.method} ${init.path} with ${init.status}${label ? ` ${label}` : ""}: ${detail}${correlation}`,
    );
    this.method = init.method;
    this.path = init.path;
    this.url = init.url;
    this.status = init.status;
    this.category = parsed.category;
    this.subCategory = parsed.subCategory;
    this.code = parsed.code;
    this.correlationId = parsed.correlationId;
    this.policyName = parsed.policyName;
    this.context = parsed.context;
    this.errors = parsed.errors;
    this.retryAfterMs = init.retryAfterMs;
    this.hubspotMessage = parsed.message;
    this.body = parsed.json;
  }

  /** Every scope HubSpot named as required or missing, from `errors[].context` and `context`. */
  get requiredScopes(): string[] {
    const keys = ["requiredGranularScopes", "requiredScopes", "missingScopes"];
    const contexts = [this.context, ...this.errors.map((detail) => detail.context)];
    const scopes = contexts.flatMap((context) => keys.flatMap((key) => context?.[key] ?? []));
    return [...new Set(scopes)];
  }
}

export const NETWORK_ERROR_KINDS = ["timeout", "reset", "refused", "dns", "tls", "aborted", "other"] as const;
export type NetworkErrorKind = (typeof NETWORK_ERROR_KINDS)[number];

/** Error codes of Node and of the connection pool → what happened. */
const NETWORK_CODES: Record<string, NetworkErrorKind> = {
  [TIMEOUT_CODES.connect]: "timeout",
  [TIMEOUT_CODES.headers]: "timeout",
  [TIMEOUT_CODES.body]: "timeout",
  ETIMEDOUT: "timeout",
  ECONNRESET: "reset",
  EPIPE: "reset",
  [POOL_CLOSED]: "reset",
  ECONNREFUSED: "refused",
  EHOSTUNREACH: "refused",
  ENETUNREACH: "refused",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  ABORT_ERR: "aborted",
};

/** What kind of network failure an error is, looking through its `cause` chain. */
export function networkErrorKind(error: unknown): { kind: NetworkErrorKind; code: string | undefined } {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && isErrorLike(current); depth += 1) {
    const code = typeof current.code === "string" ? current.code : undefined;
    if (code !== undefined) {
      const kind = NETWORK_CODES[code];
      if (kind) return { kind, code };
      if (code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL") || code.includes("CERT"))
        return { kind: "tls", code };
    }
    if (current.name === "AbortError" || current.name === "TimeoutError") {
      return { kind: current.name === "AbortError" ? "aborted" : "timeout", code };
    }
    current = current.cause;
  }
  return {
    kind: "other",
    code: isErrorLike(error) && typeof error.code === "string" ? error.code : undefined,
  };
}

function isErrorLike(value: unknown): value is { code?: unknown; name?: unknown; cause?: unknown } {
  return typeof value === "object" && value !== null;
}

const KIND_TEXT: Record<NetworkErrorKind, string> = {
  timeout: "timed out",
  reset: "the connection was closed or reset",
  refused: "the connection was refused",
  dns: "the host name could not be resolved",
  tls: "the TLS connection could not be established",
  aborted: "the request was aborted",
  other: "the request failed",
};

/** No answer from HubSpot. */
export class HubSpotNetworkError extends Error {
  override readonly name = "HubSpotNetworkError";
  readonly method: string;
  readonly path: string;
  /** The URL called, shown without secrets (see HubSpotApiErrorInit). */
  readonly url: string | undefined;
  readonly kind: NetworkErrorKind;
  /** The Node or pool error code (ECONNRESET, HEADERS_TIMEOUT, …). */
  readonly code: string | undefined;

  constructor(init: { method: string; path: string; url?: string | undefined; cause: unknown }) {
    const { kind, code } = networkErrorKind(init.cause);
    super(
      `HubSpot request ${init.method} ${init.path} failed: ${KIND_TEXT[kind]}${code ? ` (${code})` : ""}`,
      {
        cause: init.cause,
      },
    );
    this.method = init.method;
    this.path = init.path;
    this.url = init.url;
    this.kind = kind;
    this.code = code;
  }
}

export type ResponseProblem = "not-json" | "too-large" | "unexpected-shape";

/** A 2xx answer the client cannot use. */
export class HubSpotResponseError extends Error {
  override readonly name = "HubSpotResponseError";
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly problem: ResponseProblem;

  constructor(init: {
    method: string;
    path: string;
    status: number;
    problem: ResponseProblem;
    cause?: unknown;
  }) {
    const what: Record<ResponseProblem, string> = {
      "not-json": "a body that is not JSON",
      "too-large": "a body larger than the client accepts",
      "unexpected-shape": "a body of an unexpected shape",
    };
    super(
      `HubSpot answered ${init.method} ${init.path} with ${init.status} but ${what[init.problem]}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.problem = init.problem;
  }
}

export const isHubSpotApiError = (error: unknown): error is HubSpotApiError =>
  error instanceof HubSpotApiError;
export const isHubSpotNetworkError = (error: unknown): error is HubSpotNetworkError =>
  error instanceof HubSpotNetworkError;

type Parser<T> = {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown };
};

/** An answer's body read as `schema` says, or a HubSpotResponseError naming the call (its path redacted). */
export function parseAnswer<T>(
  schema: Parser<T>,
  response: { status: number; body: unknown },
  method: string,
  path: string,
): T {
  const parsed = schema.safeParse(response.body);
  if (parsed.success) return parsed.data;
  throw new HubSpotResponseError({
    method,
    path: redactPath(path),
    status: response.status,
    problem: "unexpected-shape",
    cause: parsed.error,
  });
}
