/**
 * Pure: HubSpot property definitions → JSON schemas, as discover offers them (Airbyte's HubSpot destination maps
 * types the same way): string and phone_number → string, number → number, bool → boolean, date → string/date,
 * datetime → string/date-time with `airbyte_type: timestamp_with_timezone`, enumeration → string with `enum` of
 * its option values. A multi-select (`fieldType: checkbox`) is a string of option values joined by `;` (HubSpot's
 * own format), so it carries no `enum`; `description` is the property's label. Writable properties: not
 * `modificationMetadata.readOnlyValue`, not `calculated`, not an internal type (`object_coordinates`, `json`).
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
 */
import { INTERNAL_PROPERTY_TYPES } from "../hubspot/policies.js";
import type { Property } from "../hubspot/types.js";

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
  /** What every record must carry (a create's required properties). */
  required?: string[];
  /** At least one of these (a company create: `domain` or `name`). */
  anyOf?: Array<{ required: string[] }>;
  description?: string;
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
