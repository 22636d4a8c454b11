/**
 * Turns HubSpot's error shapes into per-record rejections. HubSpot reports a bad input in three ways:
 * - a 207 item (`StandardError`) naming the input by `context.objectWriteTraceId` (or `context.ids` for update/read);
 * - a whole-request 400/409 body, for a batch that could not be written in part;
 * - inside either, `message` = "Property values were not valid: [ … ]", a JSON array of
 *   `{error, name, message}` per bad property (documented in HubSpot's error-handling guide), and sometimes a
 *   structured `errors[]` with `code` and `context.propertyName`.
 * The code comes from those structured fields; the message text is only carried along for people, and to find
 * which input of a whole-batch refusal holds the refused value (`blamedInputs`).
 */
import type { Rejection, WireInput } from "../contract.js";
import { collisionCode } from "./collisions.js";

export interface HubSpotErrorBody {
  status?: unknown;
  category?: unknown;
  message?: unknown;
  error?: unknown;
  context?: unknown;
  errors?: unknown;
}

interface PropertyProblem {
  error?: string;
  name?: string;
  message?: string;
}

/** The JSON array HubSpot embeds after "Property values were not valid: ". */
function embeddedProblems(message: string): PropertyProblem[] {
  const start = message.indexOf("[");
  if (start < 0 || !message.trimEnd().endsWith("]")) return [];
  try {
    const parsed = JSON.parse(message.slice(start)) as unknown;
    return Array.isArray(parsed)
      ? (parsed.filter((item) => item && typeof item === "object") as PropertyProblem[])
      : [];
  } catch {
    return [];
  }
}

function firstString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  return undefined;
}

export function contextList(body: HubSpotErrorBody, key: string): string[] {
  const context = body.context as Record<string, unknown> | undefined;
  const value = context?.[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** One rejection from an error body (a 207 item or a whole-request error). */
export function rejectionFromError(body: HubSpotErrorBody, httpStatus: number): Rejection {
  const message = typeof body.message === "string" ? body.message : "HubSpot refused the record";
  const category = typeof body.category === "string" ? body.category : undefined;
  const problem = embeddedProblems(message)[0];
  const detail = Array.isArray(body.errors)
    ? (body.errors[0] as Record<string, unknown> | undefined)
    : undefined;
  const detailCode = typeof detail?.code === "string" ? detail.code : undefined;
  const detailField = firstString((detail?.context as Record<string, unknown> | undefined)?.propertyName);
  const detailMessage = typeof detail?.message === "string" ? detail.message : undefined;
  const code =
    problem?.error ??
    detailCode ??
    (typeof body.error === "string" ? body.error : undefined) ??
    category ??
    "HUBSPOT_ERROR";
  const field = problem?.name ?? detailField ?? firstString(detail?.in);
  const rejection: Rejection = {
    // A unique value taken is a collision, with a code of its own (collisions.ts).
    code: collisionCode(code, httpStatus, field) ?? code,
    message: problem?.message ?? detailMessage ?? message,
    httpStatus,
  };
  if (field !== undefined) rejection.field = field;
  if (category !== undefined) rejection.category = category;
  return rejection;
}

/** One property problem of an error body: the embedded array's items, else the structured `errors[]`. */
interface NamedProblem {
  code: string | undefined;
  field: string;
  message: string;
}

function namedProblems(body: HubSpotErrorBody): NamedProblem[] {
  const message = typeof body.message === "string" ? body.message : "";
  const embedded = embeddedProblems(message)
    .filter((problem) => typeof problem.name === "string" && typeof problem.message === "string")
    .map((problem) => ({
      code: problem.error,
      field: problem.name as string,
      message: problem.message as string,
    }));
  if (embedded.length > 0) return embedded;
  const details = Array.isArray(body.errors) ? (body.errors as Record<string, unknown>[]) : [];
  return details.flatMap((detail) => {
    const field = firstString((detail?.context as Record<string, unknown> | undefined)?.propertyName);
    const text = typeof detail?.message === "string" ? detail.message : undefined;
    if (field === undefined || text === undefined) return [];
    return [{ code: typeof detail.code === "string" ? detail.code : undefined, field, message: text }];
  });
}

/**
 * HubSpot's own value checks, whose messages are made from the refused value ("Email address x@y.con is invalid",
 * "zz was not one of the allowed options: [a, b]", "12.5x was not a valid number": the shapes of
 * https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis and
 * https://developers.hubspot.com/docs/api-reference/error-handling). Only these are trusted to name an input by its
 * value. An admin's validation rule (enforced from 2026-09) words its own message, which may quote any value, a valid
 * one as an example ("a two-letter code such as US or DE"): such a refusal is isolated by splitting the batch, never
 * by what its message says.
 */
const VALUE_QUOTING_CODES: ReadonlySet<string> = new Set([
  "INVALID_EMAIL",
  "INVALID_OPTION",
  "INVALID_INTEGER",
  "INVALID_FLOAT",
  "INVALID_LONG",
  "INVALID_BOOLEAN",
  "INVALID_DATE",
  "INVALID_DATETIME",
  "LEADING_TRAILING_WHITESPACE",
]);

// The value stands at the head of those messages, before the check's own words (which may hold good values:
// "use true or false", the list of allowed options), and is matched whole, never as a word inside them.
const REFUSED_VALUE =
  /^(?:Email address )?"?(.*?)"? (?:is invalid|was not |is not a valid |is at |includes leading or trailing)/su;

/** The value one of HubSpot's own value checks says it refused; undefined when its message cannot be trusted. */
export function refusedValue(code: string | undefined, message: string): string | undefined {
  if (code === undefined || !VALUE_QUOTING_CODES.has(code)) return undefined;
  return REFUSED_VALUE.exec(message)?.[1];
}

/**
 * Whether `value` is the refused value: the same text (emails compare without case, as HubSpot stores them), or
 * the last part of a prefixed one ("confirmed: Veza was not one of the allowed options" refuses "Veza").
 */
export function isRefusedValue(refused: string, value: string): boolean {
  const [a, b] = [refused.toLowerCase(), value.toLowerCase()];
  return a === b || a.endsWith(`: ${b}`);
}

/**
 * The inputs a whole-batch refusal is about, each with its own rejection: those named by trace id or by id in
 * `context`, or those whose value of a refused property a HubSpot value check's message names (`refusedValue`).
 * Empty when it names none.
 */
export function blamedInputs(
  body: HubSpotErrorBody,
  httpStatus: number,
  inputs: readonly WireInput[],
): Map<string, Rejection> {
  const blamed = new Map<string, Rejection>();
  const whole = rejectionFromError(body, httpStatus);
  const traces = new Set(contextList(body, "objectWriteTraceId"));
  const ids = new Set(contextList(body, "ids").map((id) => id.trim().toLowerCase()));
  for (const input of inputs) {
    if (traces.has(input.traceId) || ids.has(input.id.trim().toLowerCase())) blamed.set(input.traceId, whole);
  }
  if (blamed.size > 0) return blamed;
  const category = typeof body.category === "string" ? body.category : undefined;
  for (const problem of namedProblems(body)) {
    const refused = refusedValue(problem.code, problem.message);
    if (refused === undefined) continue;
    for (const input of inputs) {
      const value = input.properties[problem.field];
      if (value === undefined || value === "" || !isRefusedValue(refused, value)) continue;
      const rejection: Rejection = {
        code: problem.code ?? whole.code,
        message: problem.message,
        field: problem.field,
        httpStatus,
      };
      if (category !== undefined) rejection.category = category;
      blamed.set(input.traceId, rejection);
    }
  }
  return blamed;
}
