/**
 * A list stream's record mapper. A member is identified by its key alone; its other fields matter only when its
 * record must be created (`create_missing_records`). So a record is refused only for its key (absent, blank, or not
 * convertible: it can name no member). A field that would keep its record from being created (an unknown property,
 * a value of the wrong type) does not keep an existing record out of the list: the refusal travels with the input
 * under a name no HubSpot property can have, and the sender rejects the record with it only if it must create it.
 * That matters most to an overwrite, which would otherwise remove a member whose record had a bad field.
 */
import type { MappedRecord, RecordMapper, Rejection } from "../../contract.js";
import type { ObjectMapper } from "../../mapping/index.js";

/** Carries why a member's record could not be created from its fields (property names never hold a NUL). */
const CREATE_REFUSAL = "\u0000create-refusal";

/** `keys`: the key-only mapping of the list's object; `create`: its upsert mapping, with create_missing_records. */
export function listRecordMapper(keys: ObjectMapper, create: ObjectMapper | undefined): RecordMapper {
  return {
    map(data): MappedRecord {
      const keyed = keys.map(data);
      if (!keyed.ok || !create) return keyed;
      const full = create.map(data);
      if (full.ok) return full;
      return { ok: true, id: keyed.id, properties: { [CREATE_REFUSAL]: JSON.stringify(full.rejection) } };
    },
    merge: (into, later) => (create ? create.merge(into, later) : Object.assign(into, later)),
  };
}

/**
 * Why a member's record cannot be created from its fields, if it cannot. Without the field: when records with one
 * key were merged into one input, the field would blame the last record that set it, which may be a good one;
 * without it, the records are tried one by one, so each gets its own verdict (the message still names the field).
 */
export function createRefusal(properties: Readonly<Record<string, string>>): Rejection | undefined {
  const refusal = properties[CREATE_REFUSAL];
  if (refusal === undefined) return undefined;
  const { field: _field, ...rejection } = JSON.parse(refusal) as Rejection;
  return rejection;
}
