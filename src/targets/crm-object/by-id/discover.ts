/**
 * Pure: what discover offers for updates and archives by record id. Every record has an id, so every object discover
 * lists takes `update` and `soft_delete` keyed by `hs_object_id`, beside its unique-value keys (or alone, for an
 * object that has none); upserts cannot be keyed by it (routes.ts).
 */
import type { ObjectDescription, PropertyJsonSchema } from "../../../mapping/json-schema.js";
import type { DestinationOperation } from "../operations.js";
import { RECORD_ID_PROPERTY } from "./record-id.js";

/** The modes a record id can key, in catalog order. */
const BY_ID_SYNC_MODES = ["update", "soft_delete"] as const;

const RECORD_ID_SCHEMA: PropertyJsonSchema = {
  type: "string",
  description: "The HubSpot record id, to update or archive the record by (a whole number is taken too).",
};

/** `operations` with `hs_object_id` added as a key of their update and archive (made when missing). */
export function withRecordIdKey(
  description: ObjectDescription,
  operations: readonly DestinationOperation[],
): DestinationOperation[] {
  const offered = operations.map((operation) =>
    (BY_ID_SYNC_MODES as readonly string[]).includes(operation.sync_mode) ? keyedById(operation) : operation,
  );
  for (const mode of BY_ID_SYNC_MODES) {
    if (offered.some((operation) => operation.sync_mode === mode)) continue;
    offered.push(
      keyedById({
        object_name: description.objectName,
        sync_mode: mode,
        json_schema: {
          type: "object",
          additionalProperties: false,
          properties: mode === "soft_delete" ? {} : { ...description.properties },
        },
        matching_keys: [],
      }),
    );
  }
  return offered;
}

function keyedById(operation: DestinationOperation): DestinationOperation {
  const { json_schema: schema } = operation;
  return {
    ...operation,
    json_schema: { ...schema, properties: { ...schema.properties, [RECORD_ID_PROPERTY]: RECORD_ID_SCHEMA } },
    matching_keys: [...operation.matching_keys, [RECORD_ID_PROPERTY]],
  };
}
