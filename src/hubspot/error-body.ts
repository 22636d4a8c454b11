/**
 * Reading HubSpot's error answers: the JSON error body (every field optional, any shape tolerated) and the
 * `Retry-After` header.
 * https://developers.hubspot.com/docs/api-reference/error-handling
 */

/** One entry of an error body's `errors[]` (HubSpot's `ErrorDetail`). */
export interface HubSpotErrorDetail {
  message?: string;
  code?: string;
  in?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
}

/**
 * What the client reads from an error body. HubSpot: "the fields … should all be treated as optional", so every
 * field is; a body that is not JSON (an HTML 502 page, an empty body) yields only `errors: []`.
 * https://developers.hubspot.com/docs/api-reference/error-handling
 */
export interface ParsedErrorBody {
  message?: string;
  /**
   * `category` (INVALID_AUTHENTICATION, MISSING_SCOPES, VALIDATION_ERROR, …); else a 429's `errorType`
   * (RATE_LIMIT); else an OAuth error's `status` (BAD_REFRESH_TOKEN), which plays the same role there.
   */
  category?: string;
  subCategory?: string;
  /** An OAuth error's `error` (invalid_grant), else the first `errors[].code`. */
  code?: string;
  correlationId?: string;
  /** On 429: DAILY, TEN_SECONDLY_ROLLING, SECONDLY. */
  policyName?: string;
  context?: Record<string, string[]>;
  errors: HubSpotErrorDetail[];
  /** The JSON object itself, for callers that read more of it (the 207/400 per-record parsing). */
  json?: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

function parseContext(value: unknown): Record<string, string[]> | undefined {
  if (!isObject(value)) return undefined;
  const context: Record<string, string[]> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (Array.isArray(entry)) context[key] = entry.filter((item): item is string => typeof item === "string");
    else if (typeof entry === "string") context[key] = [entry];
  }
  return context;
}

function parseDetail(value: unknown): HubSpotErrorDetail | undefined {
  if (!isObject(value)) return undefined;
  const detail: HubSpotErrorDetail = {};
  const message = text(value.message);
  const code = text(value.code);
  const location = text(value.in);
  const subCategory = text(value.subCategory);
  const context = parseContext(value.context);
  if (message !== undefined) detail.message = message;
  if (code !== undefined) detail.code = code;
  if (location !== undefined) detail.in = location;
  if (subCategory !== undefined) detail.subCategory = subCategory;
  if (context !== undefined) detail.context = context;
  return detail;
}

/** Parses an error body of any shape; never throws. */
export function parseErrorBody(body: string): ParsedErrorBody {
  let json: unknown;
  try {
    json = body.trim() === "" ? undefined : JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (!isObject(json)) return { errors: [] };
  const errors = Array.isArray(json.errors)
    ? json.errors.map(parseDetail).filter((detail): detail is HubSpotErrorDetail => detail !== undefined)
    : [];
  const status = text(json.status);
  const parsed: ParsedErrorBody = { errors, json };
  const fields: [keyof ParsedErrorBody, string | undefined][] = [
    ["message", text(json.message) ?? text(json.error_description)],
    ["category", text(json.category) ?? text(json.errorType) ?? (status === "error" ? undefined : status)],
    ["subCategory", text(json.subCategory)],
    ["code", text(json.error) ?? errors.find((detail) => detail.code !== undefined)?.code],
    ["correlationId", text(json.correlationId)],
    ["policyName", text(json.policyName)],
  ];
  for (const [key, value] of fields) if (value !== undefined) Object.assign(parsed, { [key]: value });
  const context = parseContext(json.context);
  if (context !== undefined) parsed.context = context;
  return parsed;
}

/** Reads `Retry-After` (seconds or an HTTP date) as milliseconds from now. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
