/**
 * The key values a record's association field holds: one value or an array of them; null, absent, `""` (or only
 * white space) mean no link. Each value is converted as the target object's key property converts it (an email
 * trimmed and lower-cased, a number as its exact text), so it compares equal to the key a stream of the run wrote.
 */
import type { Rejection } from "../contract.js";
import { isRawNumber } from "../exact-json.js";
import { describeValue } from "../mapping/codes.js";
import type { LinkSpec } from "./types.js";

/** The connector's own rejection codes for links. */
export const ASSOCIATION_CODES = {
  /** A link's target is neither in HubSpot nor written by the run (the record's properties were written). */
  TARGET_NOT_FOUND: "ASSOCIATION_TARGET_NOT_FOUND",
  /** An association field holds something that cannot be a key value (an object, a boolean, a nested array). */
  INVALID_KEY: "INVALID_ASSOCIATION_KEY",
  /** A create without a link HubSpot requires it to carry (a lead without a contact). Nothing was created. */
  REQUIRED: "ASSOCIATION_REQUIRED",
  /** HubSpot's answer gave no id for the written record and a lookup by its key found none. */
  RECORD_NOT_FOUND: "ASSOCIATION_RECORD_NOT_FOUND",
} as const;

export type LinkKeys = { ok: true; keys: string[] } | { ok: false; rejection: Rejection };

const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === "string" && value.trim() === "");

/** The distinct converted key values of the record's field for one entry, or why one cannot be a key. */
export function linkKeys(data: unknown, spec: LinkSpec): LinkKeys {
  const record = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
  const value = Object.hasOwn(record, spec.field) ? record[spec.field] : undefined;
  const items = Array.isArray(value) ? value : [value];
  const keys = new Set<string>();
  for (const item of items) {
    if (isBlank(item)) continue;
    // A number no double stands for goes to the key's converter, which refuses it as it would in the record.
    if (typeof item !== "string" && typeof item !== "number" && !isRawNumber(item)) {
      return refuse(
        spec,
        ASSOCIATION_CODES.INVALID_KEY,
        `holds ${describeValue(item)}, which is not a key value`,
      );
    }
    const converted = spec.convertKey(item);
    if (typeof converted !== "string") return refuse(spec, converted.code, converted.problem);
    if (converted !== "") keys.add(converted);
  }
  return { ok: true, keys: [...keys] };
}

function refuse(spec: LinkSpec, code: string, problem: string): LinkKeys {
  return {
    ok: false,
    rejection: {
      code,
      field: spec.field,
      message: `Field ${spec.field} links to ${spec.toObjectName} by ${spec.toKey} (${spec.name}), but it ${problem}.`,
    },
  };
}
