/**
 * Streams keyed by record id (`primary_key: [["hs_object_id"]]`, raw `--key hs_object_id`): update or archive the
 * records with those ids, on any object (docs/crm.md, "Update and archive by record id"). HubSpot assigns record
 * ids and has no upsert by id (`batch/upsert` takes no `hs_object_id` key), so an upsert is refused before any
 * record is read. The mapper takes the key by record-id.ts's rule; the sender (sender.ts) and the planner
 * (planner.ts) follow merged ids.
 */
import type { Config } from "../../../config/schema.js";
import type { RecordMapper, StreamSpec } from "../../../contract.js";
import { ConfigError } from "../../../errors.js";
import type { Property } from "../../../hubspot/types.js";
import { compileObjectMapping } from "../../../mapping/index.js";
import { parseRecordId, RECORD_ID_PROPERTY } from "./record-id.js";

/** Whether a stream's records are keyed by record id. */
export const keyedByRecordId = (spec: Pick<StreamSpec, "idProperty">): boolean =>
  spec.idProperty === RECORD_ID_PROPERTY;

/** An upsert by record id cannot be done: refused, naming the modes that take the key. */
export function checkByIdStream(spec: StreamSpec): void {
  if (spec.mode === "update" || spec.mode === "archive") return;
  const modes = spec.raw
    ? "--mode update or --mode archive"
    : "destination_sync_mode update or soft_delete (archive)";
  throw new ConfigError(
    `Stream ${spec.key}: ${spec.objectName} records cannot be ${spec.mode === "create" ? "created" : "upserted"} by ${RECORD_ID_PROPERTY}: HubSpot assigns record ids and creates no record with a given one. Use ${modes} with the key ${RECORD_ID_PROPERTY}, or upsert by a unique-value property.`,
  );
}

/** The mapper of a stream keyed by record id: the key by record-id.ts's rule, never sent among the properties. */
export function compileByIdMapper(
  config: Config,
  spec: StreamSpec,
  properties: readonly Property[],
): RecordMapper {
  return compileObjectMapping({
    objectName: spec.objectName,
    properties,
    matchingKey: RECORD_ID_PROPERTY,
    mode: spec.mode === "archive" ? "archive" : "update",
    unknownProperties: config.unknown_properties,
    nullValues: config.null_values,
    dateTimeZone: config.date_time_zone,
    convertKey: parseRecordId,
  });
}
