/**
 * Pure: HubSpot record ids (`hs_object_id`) as keys, checked before anything is sent: records updated or archived
 * by id (targets/crm-object/by-id/), links to records by id (associations/compile.ts).
 *
 * A record id is a positive whole number HubSpot assigned
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis, "Update records": `batch/update`
 * takes the record ids without `idProperty`). HubSpot stores them as 64-bit signed integers, so an id is 1 to
 * 2^63 − 1. An id is taken as a JSON integer or a string of digits; refused, naming `hs_object_id`, is what cannot
 * be one: text, a fraction, zero or less, a number past 2^63 − 1, an empty string, and a string with leading zeros
 * (`"0042"`: ids never have them, so a padded column is more likely another identifier than the record 42;
 * refusing is safer than guessing). A JSON integer past 2^53 is read exactly (exact-json.ts), so it is taken too.
 */
import { isRawNumber } from "../exact-json.js";
import { describeValue, problem, REJECTION_CODES, type ValueProblem } from "./codes.js";

/** The record id property. */
export const RECORD_ID_PROPERTY = "hs_object_id";

/** The largest id a signed 64-bit integer holds. */
const MAX_RECORD_ID = 2n ** 63n - 1n;

const invalid = (value: unknown, why: string): ValueProblem =>
  problem(REJECTION_CODES.INVALID_RECORD_ID, `${describeValue(value)} is not a HubSpot record id (${why})`);

/** The id as HubSpot writes it (decimal digits), or why the value cannot be one. */
export function parseRecordId(value: unknown): string | ValueProblem {
  // An integer literal past 2^53 is kept as its exact text (exact-json.ts): an id as long as its digits are one.
  if (isRawNumber(value)) return parseDigits(value, value.rawJSON);
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return invalid(value, "not a whole number");
    if (value <= 0) return invalid(value, "ids are positive");
    // Unreachable from JSON input (such a literal is read as a RawNumber); a double past 2^53 is not exact.
    if (!Number.isSafeInteger(value))
      return invalid(value, "past 2^53 a number loses digits: send it as a string");
    return String(value);
  }
  if (typeof value !== "string") return invalid(value, "a record id is a whole number or a string of digits");
  return parseDigits(value, value);
}

function parseDigits(value: unknown, text: string): string | ValueProblem {
  if (text === "") return invalid(value, "empty");
  if (!/^\d+$/.test(text)) return invalid(value, "only the digits 0-9 make an id");
  if (text.startsWith("0"))
    return invalid(value, text === "0" ? "ids are positive" : "ids have no leading zeros");
  if (BigInt(text) > MAX_RECORD_ID) return invalid(value, "past 2^63 − 1, the largest id HubSpot stores");
  return text;
}

/** Whether a string is an id `parseRecordId` would take as it is. */
export const isRecordId = (value: string): boolean => parseRecordId(value) === value;
