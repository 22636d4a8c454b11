/**
 * HubSpot record ids as a matching key (`hs_object_id`): what counts as one, checked before anything is sent.
 *
 * A record id is a positive whole number HubSpot assigned (https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis,
 * "Update records": `batch/update` takes the record ids without `idProperty`). HubSpot stores them as 64-bit
 * signed integers, so an id is 1 to 2^63 − 1. The connector takes an id as a JSON integer or a string of digits,
 * and refuses, naming `hs_object_id`, what cannot be one: text, a fraction, zero or less, a number past 2^63 − 1,
 * an empty string, and a string with leading zeros (`"0042"`: ids never have them, so a padded column is more
 * likely a different identifier than the record 42; refusing is safer than guessing). A JSON number past 2^53 has
 * already lost digits when it was parsed, so it is refused too: send such ids as strings.
 */
import type { Rejection } from "../../../contract.js";
import { describeValue, problem, REJECTION_CODES, type ValueProblem } from "../../../mapping/codes.js";

/** The record id property: the matching key of updates and archives by record id. */
export const RECORD_ID_PROPERTY = "hs_object_id";

/** The connector's codes for records keyed by record id. */
export const RECORD_ID_CODES = {
  /** The record's `hs_object_id` is not a HubSpot record id (nothing is sent for it). */
  INVALID_RECORD_ID: REJECTION_CODES.INVALID_RECORD_ID,
  /** No record has this id, nor was one with it merged into another (HubSpot's read answered OBJECT_NOT_FOUND). */
  RECORD_NOT_FOUND: "RECORD_NOT_FOUND",
} as const;

/** The largest id a signed 64-bit integer holds. */
const MAX_RECORD_ID = 2n ** 63n - 1n;

const invalid = (value: unknown, why: string): ValueProblem =>
  problem(REJECTION_CODES.INVALID_RECORD_ID, `${describeValue(value)} is not a HubSpot record id (${why})`);

/** The id as HubSpot writes it (decimal digits), or why the value cannot be one. */
export function parseRecordId(value: unknown): string | ValueProblem {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return invalid(value, "not a whole number");
    if (value <= 0) return invalid(value, "ids are positive");
    if (!Number.isSafeInteger(value))
      return invalid(value, "past 2^53 a JSON number loses digits: send it as a string");
    return String(value);
  }
  if (typeof value !== "string") return invalid(value, "a record id is a whole number or a string of digits");
  if (value === "") return invalid(value, "empty");
  if (!/^\d+$/.test(value)) return invalid(value, "only the digits 0-9 make an id");
  if (value.startsWith("0"))
    return invalid(value, value === "0" ? "ids are positive" : "ids have no leading zeros");
  if (BigInt(value) > MAX_RECORD_ID) return invalid(value, "past 2^63 − 1, the largest id HubSpot stores");
  return value;
}

/** Whether a string is an id `parseRecordId` would take as it is. */
export const isRecordId = (value: string): boolean => parseRecordId(value) === value;

/** The rejection of an update by an id that no record has, nor leads to one it was merged into. */
export function recordNotFound(objectName: string, id: string, httpStatus?: number): Rejection {
  return {
    code: RECORD_ID_CODES.RECORD_NOT_FOUND,
    message: `No ${objectName} has the record id ${id}, nor was one with it merged into another: it was deleted, or never existed in this portal.`,
    field: RECORD_ID_PROPERTY,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    category: "OBJECT_NOT_FOUND",
  };
}
