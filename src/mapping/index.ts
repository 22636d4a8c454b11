/**
 * Pure record → HubSpot input conversion: `(record, property definitions, stream config) → input | rejection`.
 *
 * 1. Compiled once per stream: each writable property gets its converter; the matching key is checked to be a
 *    unique-value property (or contacts' email), else the stream cannot run at all (ConfigError).
 * 2. Per record: the data must be an object with a non-blank key; every field is converted in the record's own
 *    order and the first problem rejects the record, naming the field.
 * 3. Fields named `_airbyte_*` are Airbyte's metadata, never properties. JSON null clears a property (sent as "")
 *    or is left out, per `null_values`.
 * 4. A create has no key: each record gets its own input id (its place in the stream), and must carry the
 *    properties HubSpot requires to create a record of the object (`required`), else REQUIRED_PROPERTY naming the
 *    first one missing.
 */
import { ConfigError } from "../errors.js";
import type { RecordMapper, Rejection } from "../contract.js";
import type { Property } from "../hubspot/types.js";
import { REJECTION_CODES as CODES, type ValueProblem } from "./codes.js";
import { type Converter, converterFor } from "./convert-value.js";
import { convertEmail } from "./email.js";
import { mergeCheckboxValue } from "./merge.js";

export { REJECTION_CODES } from "./codes.js";

export interface ObjectMappingOptions {
  /** CONTACT, COMPANY, DEAL, PRODUCT or a custom object's name, for messages and contacts' email rule. */
  objectName: string;
  properties: readonly Property[];
  /** The matching key; ignored by a create. */
  matchingKey: string;
  mode: "upsert" | "update" | "archive" | "create";
  /** What a create must carry: every property of `all`, and one of `oneOf` when given. @default none */
  required?: { all: readonly string[]; oneOf?: readonly string[] | undefined } | undefined;
  unknownProperties: "reject" | "drop";
  nullValues: "clear" | "ignore";
  /** IANA zone in which timestamps without an offset are read. */
  dateTimeZone: string;
  /**
   * The matching key's own rule, when its values are not property values HubSpot matches as unique (a record id,
   * targets/crm-object/by-id/): it converts the key instead of the property's converter, the key need not be a
   * unique-value property, and it is never sent among the properties.
   */
  convertKey?: Converter;
}

interface Field {
  convert: Converter;
  readOnly: boolean;
}

const isEmailProperty = (name: string) => name === "email";

/** A CRM record mapper: every record becomes an input or a rejection (nothing is skipped). */
export interface ObjectMapper extends RecordMapper {
  map(
    data: unknown,
  ): { ok: true; id: string; properties: Record<string, string> } | { ok: false; rejection: Rejection };
  merge(into: Record<string, string>, later: Readonly<Record<string, string>>): Record<string, string>;
}

export function compileObjectMapping(options: ObjectMappingOptions): ObjectMapper {
  const byName = new Map(options.properties.map((property) => [property.name, property]));
  const creating = options.mode === "create";
  if (!creating && !options.convertKey) checkMatchingKey(options, byName.get(options.matchingKey));
  let created = 0;
  const { fields, appendable } = compileFields(options);
  const keyField: Field = options.convertKey
    ? { convert: options.convertKey, readOnly: true }
    : (fields.get(options.matchingKey) as Field);
  const compiled: Compiled = { options, fields, keyField };
  return {
    merge(into, later) {
      for (const name of Object.keys(later)) {
        const value = later[name] as string;
        into[name] = appendable.has(name) ? mergeCheckboxValue(into[name], value) : value;
      }
      return into;
    },
    map(data) {
      if (typeof data !== "object" || data === null || Array.isArray(data)) {
        return reject(
          CODES.DATA_NOT_OBJECT,
          `The record's data is ${Array.isArray(data) ? "an array" : typeof data === "object" ? "null" : `a ${typeof data}`}, not an object.`,
        );
      }
      const record = data as Record<string, unknown>;
      if (creating) return mapCreate(compiled, record, `#${(created += 1)}`);
      const id = mapKey(compiled, record);
      if (typeof id !== "string") return id;
      if (options.mode === "archive") return { ok: true, id, properties: {} };
      return mapProperties(compiled, record, id);
    },
  };
}

/** A stream's compiled mapping: its options, each property's converter, and the matching key's. */
interface Compiled {
  options: ObjectMappingOptions;
  fields: ReadonlyMap<string, Field>;
  keyField: Field;
}

type Refused = { ok: false; rejection: Rejection };

const reject = (code: string, message: string, field?: string): Refused => ({
  ok: false,
  rejection: field === undefined ? { code, message } : { code, message, field },
});

const fromProblem = (objectName: string, name: string, found: ValueProblem) =>
  reject(found.code, `Property ${name} of ${objectName}: ${found.problem}.`, name);

/** Step 1: each property's converter; multiple checkboxes (a value starting with `;` appends) merge by union. */
function compileFields(options: ObjectMappingOptions): {
  fields: Map<string, Field>;
  appendable: Set<string>;
} {
  const fields = new Map<string, Field>();
  const appendable = new Set<string>();
  for (const property of options.properties) {
    const readOnly = property.modificationMetadata?.readOnlyValue === true || property.calculated === true;
    const convert = isEmailProperty(property.name)
      ? convertEmail
      : converterFor(property, options.dateTimeZone);
    fields.set(property.name, { convert, readOnly });
    if (property.type === "enumeration" && property.fieldType === "checkbox") appendable.add(property.name);
  }
  return { fields, appendable };
}

/** The record's matching key, converted as its property's values are; or why the record has none. */
function mapKey({ options, keyField }: Compiled, record: Record<string, unknown>): string | Refused {
  const key = options.matchingKey;
  const rawKey = record[key];
  if (rawKey === undefined || rawKey === null || (typeof rawKey === "string" && rawKey.trim() === "")) {
    return reject(CODES.MISSING_MATCHING_KEY, `The record has no value for the matching key ${key}.`, key);
  }
  const id = keyField.convert(rawKey);
  return typeof id === "string" ? id : fromProblem(options.objectName, key, id);
}

/** Step 2: every field, in the record's own order; the first problem rejects the record, naming the field. */
function mapProperties(
  { options, fields, keyField }: Compiled,
  record: Record<string, unknown>,
  id: string,
): { ok: true; id: string; properties: Record<string, string> } | Refused {
  // Only names of known properties are ever assigned, so a field named `__proto__` stays an unknown field.
  const properties: Record<string, string> = {};
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value === undefined || name.startsWith("_airbyte_")) continue;
    const field = name === options.matchingKey && options.convertKey ? keyField : fields.get(name);
    if (!field) {
      if (options.unknownProperties === "drop") continue;
      return reject(
        CODES.UNKNOWN_PROPERTY,
        `${name} is not a property of ${options.objectName}; create it in HubSpot, map the field to an existing property, or set unknown_properties to drop.`,
        name,
      );
    }
    if (name === options.matchingKey) {
      if (!field.readOnly) properties[name] = id;
      continue;
    }
    if (field.readOnly) {
      return reject(CODES.READ_ONLY_PROPERTY, `${name} is computed by HubSpot and cannot be written.`, name);
    }
    if (value === null) {
      if (options.nullValues === "clear") properties[name] = "";
      continue;
    }
    const converted = field.convert(value);
    if (typeof converted !== "string") return fromProblem(options.objectName, name, converted);
    properties[name] = converted;
  }
  return { ok: true, id, properties };
}

/** Step 4: a create's properties, each record its own input, with what HubSpot requires to create one. */
function mapCreate(compiled: Compiled, record: Record<string, unknown>, id: string) {
  const mapped = mapProperties(compiled, record, id);
  if (!mapped.ok) return mapped;
  const missing = missingRequired(compiled.options, mapped.properties);
  if (missing === undefined) return mapped;
  return reject(
    CODES.REQUIRED_PROPERTY,
    `${compiled.options.objectName} needs ${missing} to create a record, and this record has no value for it.`,
    missing.split(" ")[0],
  );
}

/** The first required property the properties lack (or `a or b` for a one-of), undefined when none is. */
export function missingRequired(
  options: Pick<ObjectMappingOptions, "required">,
  properties: Readonly<Record<string, string>>,
): string | undefined {
  const present = (name: string) => (properties[name] ?? "").trim() !== "";
  const missing = options.required?.all.find((name) => !present(name));
  if (missing !== undefined) return missing;
  const oneOf = options.required?.oneOf ?? [];
  return oneOf.length > 0 && !oneOf.some(present) ? oneOf.join(" or ") : undefined;
}

/** The keys records of an object can be matched on (email for contacts, its writable unique-value properties). */
export function matchingKeyChoices(objectName: string, properties: readonly Property[]): string[] {
  const unique = properties
    .filter(
      (candidate) =>
        candidate.hasUniqueValue === true && candidate.modificationMetadata?.readOnlyValue !== true,
    )
    .map((candidate) => candidate.name);
  if (objectName.toUpperCase() === "CONTACT") unique.unshift("email");
  return unique;
}

/** "Unique-value properties of COMPANY: a, b.", or that it has none. */
export function describeMatchingKeys(objectName: string, properties: readonly Property[]): string {
  const unique = matchingKeyChoices(objectName, properties);
  return unique.length > 0
    ? `Unique-value properties of ${objectName}: ${unique.join(", ")}.`
    : `${objectName} has no unique-value property; create one in HubSpot to match on.`;
}

function checkMatchingKey(options: ObjectMappingOptions, property: Property | undefined): void {
  const key = options.matchingKey;
  const contactEmail = options.objectName.toUpperCase() === "CONTACT" && key === "email";
  if (property?.hasUniqueValue === true || (contactEmail && property)) return;
  const choices = describeMatchingKeys(options.objectName, options.properties);
  throw new ConfigError(
    property
      ? `The matching key ${key} is not a unique-value property of ${options.objectName}, so HubSpot cannot match records on it. ${choices}`
      : `The matching key ${key} is not a property of ${options.objectName}. ${choices}`,
  );
}
