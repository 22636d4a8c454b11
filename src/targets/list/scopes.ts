/** The scopes a list stream needs, checked with the others before any record is read (run/scopes.ts). */
import type { ScopeRequirement, WriteMode } from "../../contract.js";
import { OBJECT_SCOPES, STANDARD_OBJECTS } from "../../hubspot/policies.js";
import { DEFAULT_LIST_OBJECT, parseListObject } from "./names.js";
import { LIST_SCOPES } from "./policies.js";

/**
 * Lists read and write (§12.1: every membership write needs both), reading the members' records by key, and writing
 * them when missing records are created. The object is the one the name pins, else contacts: a list of another
 * object named without `list[OBJECT]:` has its object's scopes checked by HubSpot alone.
 */
export function listWriteScopes(
  objectName: string,
  mode: WriteMode,
  createMissingRecords: boolean,
): ScopeRequirement[] {
  const object = (parseListObject(objectName)?.objectName ?? DEFAULT_LIST_OBJECT).toUpperCase();
  const standard = (STANDARD_OBJECTS as Record<string, unknown>)[object] !== undefined;
  const scopes = OBJECT_SCOPES[standard ? (object as keyof typeof STANDARD_OBJECTS) : "CUSTOM"];
  const creates = createMissingRecords && mode !== "remove";
  return [LIST_SCOPES.read, LIST_SCOPES.write, scopes.read, ...(creates ? [scopes.write] : [])];
}
