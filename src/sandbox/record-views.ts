/**
 * How a read shows a record: which properties (the asked ones it has, plus the ones HubSpot always adds; the
 * object's defaults when none are asked), their histories when asked (history.ts), and its associations when asked
 * (record-associations.ts).
 */
import { historyJson } from "./history.js";
import { associationsJson } from "./record-associations.js";
import type { SandboxStore } from "./store.js";
import type { ObjectState, StoredRecord } from "./types.js";

/** What a read asks to see of each record. */
export interface ReadRequest {
  properties: readonly string[];
  propertiesWithHistory: readonly string[];
  associations: readonly ObjectState[];
}

/** What every read shows when the record has it; activities are dated by `hs_createdate` (D-OBJ's examples). */
const ALWAYS = ["hs_object_id", "createdate", "hs_createdate", "lastmodifieddate", "hs_lastmodifieddate"];

/** The properties a read returns: the asked ones the record has, plus `ALWAYS`; with none asked, the defaults. */
export function selectProperties(
  state: ObjectState,
  record: Pick<StoredRecord, "properties">,
  wanted: readonly string[],
): Record<string, string> {
  // Without `properties`, the object's defaults (HubSpot's reference examples; inferred for the newer objects).
  const names = [...ALWAYS, ...(wanted.length > 0 ? wanted : state.definition.policy.defaultProperties)];
  const selected: Record<string, string> = {};
  for (const name of names) {
    const value = record.properties[name];
    if (value !== undefined) selected[name] = value;
  }
  return selected;
}

/** A record as the API returns it, with all its properties or only `properties` when given. */
export function recordJson(
  record: StoredRecord,
  properties: Record<string, string> = record.properties,
): Record<string, unknown> {
  return {
    id: record.id,
    properties,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: record.archived,
    ...(record.archivedAt ? { archivedAt: record.archivedAt } : {}),
  };
}

/** A record as a read shows it, with histories and associations when the read asks for them. */
export function viewRecord(
  store: SandboxStore,
  state: ObjectState,
  record: StoredRecord,
  read: ReadRequest,
): Record<string, unknown> {
  const view = recordJson(record, selectProperties(state, record, read.properties));
  if (read.propertiesWithHistory.length > 0) {
    view.propertiesWithHistory = historyJson(record, read.propertiesWithHistory);
  }
  const associations =
    read.associations.length > 0 && associationsJson(store, state, record, [...read.associations]);
  if (associations) view.associations = associations;
  return view;
}
