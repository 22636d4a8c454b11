/**
 * Pure: one object's property definitions → the DESTINATION_CATALOG operations the connector offers for it.
 *
 * - Writable properties: not `modificationMetadata.readOnlyValue`, not `calculated`, not an internal type
 *   (`object_coordinates`, `json`). A property of a type this table does not know is left out and reported.
 * - JSON schema per HubSpot type (as Airbyte's HubSpot destination maps them): string and phone_number → string,
 *   number → number, bool → boolean, date → string/date, datetime → string/date-time with
 *   `airbyte_type: timestamp_with_timezone`, enumeration → string with `enum` of the option values.
 *   A multi-select (`fieldType: checkbox`) is a string of option values joined by `;` (HubSpot's own format), so it
 *   carries no `enum`; `description` is the property's label.
 * - Matching keys: the object's built-in key (`email` for contacts) first, then every writable unique-value
 *   property, each as `[[name]]`. An object with no matching key gets no operation.
 * - One operation per sync mode: append_dedup (upsert), update (existing records only) and soft_delete (archive by
 *   key). soft_delete's schema holds only the matching keys: archiving reads nothing else.
 */
import { INTERNAL_PROPERTY_TYPES } from "../../hubspot/policies.js";
import type { Property } from "../../hubspot/types.js";
import type { DestinationSyncMode } from "../../protocol/catalog.js";

/** The protocol's destination sync modes, declared once with the catalog schema. */
export type { DestinationSyncMode };

/** The modes the connector offers per object, in catalog order. */
export const OFFERED_SYNC_MODES = [
  "append_dedup",
  "update",
  "soft_delete",
] as const satisfies DestinationSyncMode[];

export interface PropertyJsonSchema {
  type: "string" | "number" | "boolean";
  format?: "date" | "date-time";
  airbyte_type?: "timestamp_with_timezone";
  enum?: string[];
  description?: string;
}

export interface ObjectJsonSchema {
  type: "object";
  additionalProperties: false;
  properties: Record<string, PropertyJsonSchema>;
}

/** One DESTINATION_CATALOG operation (the protocol's DestinationOperation). */
export interface DestinationOperation {
  object_name: string;
  sync_mode: DestinationSyncMode;
  json_schema: ObjectJsonSchema;
  matching_keys: string[][];
}

/** HubSpot property type → JSON schema. https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide */
export const PROPERTY_TYPE_SCHEMAS: Readonly<Record<string, PropertyJsonSchema>> = {
  string: { type: "string" },
  phone_number: { type: "string" },
  number: { type: "number" },
  bool: { type: "boolean" },
  date: { type: "string", format: "date" },
  datetime: { type: "string", format: "date-time", airbyte_type: "timestamp_with_timezone" },
  enumeration: { type: "string" },
};

/** The `fieldType` of an enumeration that holds several values, written joined by `;`. */
export const MULTI_SELECT_FIELD_TYPE = "checkbox";
export const MULTI_VALUE_SEPARATOR = ";";

/** A property that can take a value through the API. */
export function isWritable(property: Property): boolean {
  return (
    property.modificationMetadata?.readOnlyValue !== true &&
    property.calculated !== true &&
    !INTERNAL_PROPERTY_TYPES.includes(property.type)
  );
}

/** The JSON schema of one property; undefined for a type the connector does not know. */
export function propertyJsonSchema(property: Property): PropertyJsonSchema | undefined {
  const base = PROPERTY_TYPE_SCHEMAS[property.type];
  if (base === undefined) return undefined;
  const schema: PropertyJsonSchema = { ...base };
  const multiple = property.type === "enumeration" && property.fieldType === MULTI_SELECT_FIELD_TYPE;
  const values = (property.options ?? []).map((option) => option.value);
  // An enumeration without options (owners, externalOptions) takes ids HubSpot does not list here.
  if (property.type === "enumeration" && !multiple && values.length > 0) schema.enum = [...new Set(values)];
  const label = property.label?.trim() || undefined;
  if (multiple) {
    const note = `Several values: option values joined by "${MULTI_VALUE_SEPARATOR}".`;
    schema.description = label === undefined ? note : `${label}. ${note}`;
  } else if (label !== undefined) {
    schema.description = label;
  }
  return schema;
}

export interface ObjectDescription {
  objectName: string;
  /** Writable properties by name, sorted. */
  properties: Record<string, PropertyJsonSchema>;
  /** `[[name]]` per key, the built-in key first. */
  matchingKeys: string[][];
  /** Writable properties left out because their type is unknown. */
  unknownTypes: { name: string; type: string }[];
}

/** Describes one object from its property definitions. */
export function describeObject(
  objectName: string,
  properties: readonly Property[],
  options: { builtInKey?: string | undefined } = {},
): ObjectDescription {
  const schemas = new Map<string, PropertyJsonSchema>();
  const unknownTypes: ObjectDescription["unknownTypes"] = [];
  const uniqueKeys: string[] = [];
  for (const property of properties) {
    if (!isWritable(property)) continue;
    const schema = propertyJsonSchema(property);
    if (schema === undefined) {
      unknownTypes.push({ name: property.name, type: property.type });
      continue;
    }
    schemas.set(property.name, schema);
    if (property.hasUniqueValue === true) uniqueKeys.push(property.name);
  }
  const { builtInKey } = options;
  if (builtInKey !== undefined && !schemas.has(builtInKey)) schemas.set(builtInKey, { type: "string" });
  const keys = [...(builtInKey === undefined ? [] : [builtInKey]), ...uniqueKeys.sort()];
  return {
    objectName,
    properties: Object.fromEntries([...schemas].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    matchingKeys: [...new Set(keys)].map((key) => [key]),
    unknownTypes,
  };
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
