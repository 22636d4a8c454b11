/**
 * Pure: one object's description (mapping/json-schema.ts) → the DESTINATION_CATALOG operations the connector
 * offers for it.
 *
 * - Matching keys: the object's built-in key (`email` for contacts) first, then every writable unique-value
 *   property, each as `[[name]]`. An object with no matching key gets no operation.
 * - One operation per sync mode: append_dedup (upsert), update (existing records only) and soft_delete (archive by
 *   key). soft_delete's schema holds only the matching keys: archiving reads nothing else.
 */
import type { ObjectDescription, ObjectJsonSchema } from "../../mapping/json-schema.js";
import type { DestinationSyncMode } from "../../protocol/catalog.js";

/** The modes the connector offers per object, in catalog order. */
export const OFFERED_SYNC_MODES = [
  "append_dedup",
  "update",
  "soft_delete",
] as const satisfies DestinationSyncMode[];

/** One DESTINATION_CATALOG operation (the protocol's DestinationOperation). */
export interface DestinationOperation {
  object_name: string;
  sync_mode: DestinationSyncMode;
  json_schema: ObjectJsonSchema;
  matching_keys: string[][];
}

/** The operations for a described object: none when it has no matching key. */
export function objectOperations(description: ObjectDescription): DestinationOperation[] {
  if (description.matchingKeys.length === 0) return [];
  const keyNames = new Set(description.matchingKeys.map(([key]) => key as string));
  const keysOnly = Object.fromEntries(
    Object.entries(description.properties).filter(([name]) => keyNames.has(name)),
  );
  return OFFERED_SYNC_MODES.map((mode) => ({
    object_name: description.objectName,
    sync_mode: mode,
    json_schema: {
      type: "object",
      additionalProperties: false,
      properties: { ...(mode === "soft_delete" ? keysOnly : description.properties) },
    },
    matching_keys: description.matchingKeys.map((key) => [...key]),
  }));
}
