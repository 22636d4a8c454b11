/**
 * Pure: a field's JSON schema (from the stream's catalog entry) → the type and field type of the HubSpot property
 * created for it. HubSpot's valid pairs (https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide):
 *
 * - string → `string`/`text`; a string of format `date` → `date`/`date`; `date-time` → `datetime`/`date`
 * - number or integer → `number`/`number`
 * - boolean → `bool`/`booleancheckbox`, with HubSpot's two options, `true` (Yes) and `false` (No)
 * - an array, an object, several types, or no type → `string`/`textarea`: the value is written as its JSON text,
 *   as the value converter writes any nested value to a string property (mapping/convert-value.ts)
 *
 * `null` among a field's types is left aside (`["null", "integer"]` is a number). Airbyte's well-known types
 * (`$ref: WellKnownTypes.json#/definitions/Integer`, …) map as their JSON types do; times of day stay strings
 * (https://docs.airbyte.com/platform/understanding-airbyte/supported-data-types).
 */

/** One option of a created enumeration or single checkbox, as HubSpot's create body takes it. */
export interface NewPropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

/** The type, field type and options of a property to create. */
export interface PropertyShape {
  type: "string" | "number" | "bool" | "date" | "datetime";
  fieldType: "text" | "textarea" | "number" | "booleancheckbox" | "date";
  options?: readonly NewPropertyOption[];
}

/** HubSpot's single checkbox: its values are `true` and `false`, shown as Yes and No. */
export const BOOL_OPTIONS: readonly NewPropertyOption[] = [
  { label: "Yes", value: "true", displayOrder: 0, hidden: false },
  { label: "No", value: "false", displayOrder: 1, hidden: false },
];

export const PROPERTY_SHAPES = {
  text: { type: "string", fieldType: "text" },
  json: { type: "string", fieldType: "textarea" },
  number: { type: "number", fieldType: "number" },
  bool: { type: "bool", fieldType: "booleancheckbox", options: BOOL_OPTIONS },
  date: { type: "date", fieldType: "date" },
  datetime: { type: "datetime", fieldType: "date" },
} as const satisfies Record<string, PropertyShape>;

/** Airbyte's well-known types by the name their `$ref` ends with. */
const WELL_KNOWN: Readonly<Record<string, PropertyShape>> = {
  String: PROPERTY_SHAPES.text,
  BinaryData: PROPERTY_SHAPES.text,
  Number: PROPERTY_SHAPES.number,
  Integer: PROPERTY_SHAPES.number,
  Boolean: PROPERTY_SHAPES.bool,
  Date: PROPERTY_SHAPES.date,
  TimestampWithTimezone: PROPERTY_SHAPES.datetime,
  TimestampWithoutTimezone: PROPERTY_SHAPES.datetime,
  TimeWithTimezone: PROPERTY_SHAPES.text,
  TimeWithoutTimezone: PROPERTY_SHAPES.text,
};

/** The property a field of this JSON schema becomes. */
export function shapeOfField(schema: unknown): PropertyShape {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return PROPERTY_SHAPES.json;
  const field = schema as Record<string, unknown>;
  if (typeof field.$ref === "string") {
    const name = field.$ref.split("/").pop() ?? "";
    return WELL_KNOWN[name] ?? PROPERTY_SHAPES.json;
  }
  const declared = Array.isArray(field.type) ? field.type : [field.type];
  const types = declared.filter((type) => type !== "null");
  if (types.length !== 1) return PROPERTY_SHAPES.json;
  switch (types[0]) {
    case "string":
      return field.format === "date"
        ? PROPERTY_SHAPES.date
        : field.format === "date-time"
          ? PROPERTY_SHAPES.datetime
          : PROPERTY_SHAPES.text;
    case "number":
    case "integer":
      return PROPERTY_SHAPES.number;
    case "boolean":
      return PROPERTY_SHAPES.bool;
    default:
      return PROPERTY_SHAPES.json;
  }
}

/** The fields a stream's JSON schema declares, with each one's schema (none when it declares no `properties`). */
export function declaredFields(
  jsonSchema: Readonly<Record<string, unknown>> | undefined,
): [string, unknown][] {
  const properties = jsonSchema?.properties;
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) return [];
  return Object.entries(properties as Record<string, unknown>);
}
