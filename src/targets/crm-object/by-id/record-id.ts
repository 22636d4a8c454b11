/**
 * Records keyed by record id (`hs_object_id`): the connector's codes for them, and the rejection of an id no
 * record has. What counts as an id is mapping/record-id.ts's rule.
 */
import type { Rejection } from "../../../contract.js";
import { REJECTION_CODES } from "../../../mapping/codes.js";
import { RECORD_ID_PROPERTY } from "../../../mapping/record-id.js";

export { isRecordId, parseRecordId, RECORD_ID_PROPERTY } from "../../../mapping/record-id.js";

/** The connector's codes for records keyed by record id. */
export const RECORD_ID_CODES = {
  /** The record's `hs_object_id` is not a HubSpot record id (nothing is sent for it). */
  INVALID_RECORD_ID: REJECTION_CODES.INVALID_RECORD_ID,
  /** No record has this id, nor was one with it merged into another (HubSpot's read answered OBJECT_NOT_FOUND). */
  RECORD_NOT_FOUND: "RECORD_NOT_FOUND",
} as const;

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
