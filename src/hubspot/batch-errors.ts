/**
 * Turns HubSpot's error shapes into per-record rejections. HubSpot reports a bad input in three ways:
 * - a 207 item (`StandardError`) naming the input by `context.objectWriteTraceId` (or `context.ids` for update/read);
 * - a whole-request 400/409 body, for a batch that could not be written in part;
 * - inside either, `message` = "Property values were not valid: [ … ]", a JSON array of
 *   `{error, name, message}` per bad property (documented in HubSpot's error-handling guide), and sometimes a
 *   structured `errors[]` with `code` and `context.propertyName`.
 * The code comes from those structured fields; the message text is only carried along for people.
 */
import type { Rejection } from "../rejects/rejected-record.js";

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
    code,
    message: problem?.message ?? detailMessage ?? message,
    httpStatus,
  };
  if (field !== undefined) rejection.field = field;
  if (category !== undefined) rejection.category = category;
  return rejection;
}
