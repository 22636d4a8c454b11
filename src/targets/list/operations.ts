/**
 * `discover`'s list operations: one `list:<name>` object per static list (MANUAL, and SNAPSHOT, which after its
 * first evaluation changes only by hand too), for each of append (add), overwrite (replace) and soft_delete
 * (remove). Active (DYNAMIC) lists are not offered: HubSpot manages their members itself. Staging lists are not
 * offered either.
 *
 * The schema holds the member's keys, its object's matching keys (email first for contacts); with
 * `lists.create_missing_records` append and overwrite also hold the object's writable properties, which a missing
 * record is created with. A list whose object discover could not read, or which has no matching key, is left out.
 */
import type { DiscoveredObject } from "../kind.js";
import type { ObjectDescription } from "../../mapping/json-schema.js";
import type { DestinationOperation } from "../crm-object/operations.js";
import type { DestinationSyncMode } from "../../protocol/catalog.js";
import type { ListsApi } from "./api.js";
import { isStagingList, listObjectName } from "./names.js";
import { WRITABLE_PROCESSING_TYPES } from "./policies.js";
import type { HubSpotList } from "./wire.js";

/** The modes offered per list, in catalog order. */
export const LIST_SYNC_MODES = [
  "append",
  "overwrite",
  "soft_delete",
] as const satisfies DestinationSyncMode[];

type Log = (level: "INFO" | "WARN", message: string) => void;

/** Searches the portal's static lists and describes each as operations. */
export async function discoverListOperations(
  api: ListsApi,
  objects: readonly DiscoveredObject[],
  createMissingRecords: boolean,
  log: Log,
): Promise<DestinationOperation[]> {
  const lists = await api.search("", WRITABLE_PROCESSING_TYPES);
  const byType = new Map(objects.map((object) => [object.objectTypeId, object]));
  const operations: DestinationOperation[] = [];
  for (const list of lists) {
    if (isStagingList(list.name) || !WRITABLE_PROCESSING_TYPES.includes(list.processingType)) continue;
    const object = byType.get(list.objectTypeId);
    if (!object || object.description.matchingKeys.length === 0) {
      log(
        "INFO",
        `Discover left out list ${list.name}: its object (${list.objectTypeId}) ${object ? "has no matching key" : "could not be read"}.`,
      );
      continue;
    }
    operations.push(...listOperations(list, object.description, createMissingRecords));
  }
  return operations;
}

/** Pure: one list's operations. */
export function listOperations(
  list: Pick<HubSpotList, "name">,
  description: ObjectDescription,
  createMissingRecords: boolean,
): DestinationOperation[] {
  const keyNames = new Set(description.matchingKeys.map(([key]) => key as string));
  const keysOnly = Object.fromEntries(
    Object.entries(description.properties).filter(([name]) => keyNames.has(name)),
  );
  return LIST_SYNC_MODES.map((mode) => ({
    object_name: listObjectName(list.name),
    sync_mode: mode,
    json_schema: {
      type: "object",
      additionalProperties: false,
      properties: { ...(createMissingRecords && mode !== "soft_delete" ? description.properties : keysOnly) },
    },
    matching_keys: description.matchingKeys.map((key) => [...key]),
  }));
}
