/**
 * Property definitions and groups (https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide):
 * - `POST …/properties/{v}/{type}` → 201 the property, with the `description`, `displayOrder`, `formField`, `hidden`
 *   and options' `description`, `displayOrder`, `hidden` it was given. Required `name`, `label`, `type`, `fieldType`,
 *   `groupName` (S-PROP `PropertyCreate`); `type`/`fieldType` must be one of D-PROP's pairs; enumerations need options, each
 *   with `label` and `value`, values unique; at most 10 unique-value properties per object (D-PROP). A bad body is a
 *   400 VALIDATION_ERROR (undocumented; inferred), an unknown `groupName` a 400 (inferred), a name that exists a 409
 *   OBJECT_ALREADY_EXISTS (third-party tests, §15), one past the portal's custom-property limit a 400 (limits.ts).
 *   Name rule `^[a-z][a-z0-9_]*$`, at most 100 characters (inferred from a KB summary, §15). `hasUniqueValue` is
 *   set at creation only ("Once set, this can't be changed", the Properties spec): the sandbox serves no property
 *   update.
 * - `GET …/{type}` and `GET …/{type}/{name}` → the properties, or the property (404 when there is none); with
 *   `archived=true`, the archived ones: the sandbox archives no property, so none.
 * - `GET|POST …/{type}/groups` → `{results}` / 201 `{name, label, displayOrder, archived}`; a duplicate 409.
 */
import { propertyLimitRefusal } from "./limits.js";
import { error, json, type SandboxResponse } from "./responses.js";
import type { SeedProperty } from "./seed-shapes.js";
import type { ObjectState, SandboxStore } from "./store.js";

/** D-PROP's valid `fieldType`s per `type` (S-PROP's enum adds `phone_number` as a type). */
export const FIELD_TYPES: Readonly<Record<SeedProperty["type"], readonly string[]>> = {
  bool: ["booleancheckbox", "calculation_equation"],
  enumeration: ["booleancheckbox", "checkbox", "radio", "select", "calculation_equation"],
  date: ["date"],
  datetime: ["date"],
  string: ["text", "textarea", "html", "phonenumber", "file", "calculation_equation"],
  number: ["number", "calculation_equation"],
  phone_number: ["phonenumber"],
};

const NAME = /^[a-z][a-z0-9_]{0,99}$/;
/** "You can have up to ten unique ID properties per object" (D-PROP). */
const MAX_UNIQUE = 10;

const invalid = (message: string) => error(400, "VALIDATION_ERROR", message);

export function readProperty(state: ObjectState, name: string, portalId: number): SandboxResponse {
  const property = state.properties.get(name);
  return property ? json(200, propertyJson(property, portalId)) : missingProperty(state, name);
}

export const missingProperty = (state: ObjectState, name: string) =>
  error(
    404,
    "OBJECT_NOT_FOUND",
    `Unable to find property ${name} for object type ${state.definition.objectTypeId}`,
  );

export function createProperty(store: SandboxStore, state: ObjectState, body: unknown): SandboxResponse {
  const egg = (body ?? {}) as Record<string, unknown>;
  const missing = ["name", "label", "type", "fieldType", "groupName"].filter(
    (field) => typeof egg[field] !== "string" || egg[field] === "",
  );
  if (missing.length > 0) {
    return invalid(
      `Invalid input JSON on line 1, column 1. Some required fields were not set: [${missing.join(", ")}]`,
    );
  }
  const [name, label, type, fieldType, groupName] = [
    egg.name,
    egg.label,
    egg.type,
    egg.fieldType,
    egg.groupName,
  ] as [string, string, string, string, string];
  if (!NAME.test(name)) {
    return invalid(
      `Property name ${name} is invalid: lowercase letters, digits and underscores, starting with a letter, at most 100 characters.`,
    );
  }
  const allowed = FIELD_TYPES[type as SeedProperty["type"]];
  if (!allowed) return invalid(`type ${type} is not one of ${Object.keys(FIELD_TYPES).join(", ")}`);
  if (!allowed.includes(fieldType)) {
    return invalid(`fieldType ${fieldType} is not valid for type ${type}; use one of ${allowed.join(", ")}`);
  }
  const options = readOptions(type, egg.options);
  if (typeof options === "string") return invalid(options);
  if (!state.groups.has(groupName)) return invalid(`Property group ${groupName} does not exist.`);
  if (state.properties.has(name)) {
    return error(409, "OBJECT_ALREADY_EXISTS", `A property named ${name} already exists.`);
  }
  const unique = egg.hasUniqueValue === true;
  const noRoom = roomRefusal(store, state, unique);
  if (noRoom) return noRoom;
  const property: SeedProperty = {
    name,
    label,
    type: type as SeedProperty["type"],
    fieldType,
    groupName,
    options,
    hasUniqueValue: unique,
    calculated: false,
    hidden: egg.hidden === true,
    hubspotDefined: false,
    readOnly: false,
    ...(typeof egg.description === "string" ? { description: egg.description } : {}),
    ...(typeof egg.displayOrder === "number" ? { displayOrder: egg.displayOrder } : {}),
    ...(typeof egg.formField === "boolean" ? { formField: egg.formField } : {}),
    createdAt: new Date().toISOString(),
  };
  store.addProperty(state, property);
  return json(201, propertyJson(property, store.portalId));
}

/** A property the object has no room for: past the cap on unique properties (D-PROP), or a custom-property limit. */
function roomRefusal(store: SandboxStore, state: ObjectState, unique: boolean): SandboxResponse | undefined {
  const uniques = [...state.properties.values()].filter((p) => p.hasUniqueValue && p.name !== "hs_object_id");
  if (unique && uniques.length >= MAX_UNIQUE) {
    return invalid(`An object can have at most ${MAX_UNIQUE} unique ID properties.`);
  }
  return propertyLimitRefusal(store, state);
}

/** Options for enumerations ("required for enumerated properties", S-PROP); bool gets HubSpot's true/false pair. */
function readOptions(type: string, raw: unknown): SeedProperty["options"] | string {
  if (type === "bool")
    return [
      { label: "Yes", value: "true" },
      { label: "No", value: "false" },
    ];
  if (type !== "enumeration") return [];
  if (!Array.isArray(raw) || raw.length === 0) return "options are required for enumeration properties";
  const options: SeedProperty["options"] = [];
  for (const option of raw as Array<Record<string, unknown>>) {
    if (typeof option?.label !== "string" || typeof option.value !== "string") {
      return "each option needs a label and a value";
    }
    if (options.some((seen) => seen.value === option.value || seen.label === option.label)) {
      return `option ${option.value} is not unique: labels and values must each be unique`;
    }
    options.push({
      label: option.label,
      value: option.value,
      ...(typeof option.description === "string" ? { description: option.description } : {}),
      ...(typeof option.displayOrder === "number" ? { displayOrder: option.displayOrder } : {}),
      ...(typeof option.hidden === "boolean" ? { hidden: option.hidden } : {}),
    });
  }
  return options;
}

export function listGroups(state: ObjectState): SandboxResponse {
  return json(200, { results: [...state.groups.values()].map((group) => ({ ...group, archived: false })) });
}

export function createGroup(state: ObjectState, body: unknown): SandboxResponse {
  const egg = (body ?? {}) as Record<string, unknown>;
  const missing = ["name", "label"].filter((field) => typeof egg[field] !== "string" || egg[field] === "");
  if (missing.length > 0) {
    return invalid(
      `Invalid input JSON on line 1, column 1. Some required fields were not set: [${missing.join(", ")}]`,
    );
  }
  const name = egg.name as string;
  if (state.groups.has(name))
    return error(409, "OBJECT_ALREADY_EXISTS", `A property group named ${name} already exists.`);
  const group = {
    name,
    label: egg.label as string,
    displayOrder: typeof egg.displayOrder === "number" ? egg.displayOrder : -1,
  };
  state.groups.set(name, group);
  return json(201, { ...group, archived: false });
}

/** A property as `GET /crm/v3/properties/{objectType}` shows it. */
export function propertyJson(property: SeedProperty, portalId: number): Record<string, unknown> {
  const created = property.createdAt ?? "2025-01-01T00:00:00.000Z";
  return {
    updatedAt: property.createdAt ?? "2026-01-01T00:00:00.000Z",
    createdAt: created,
    name: property.name,
    label: property.label,
    type: property.type,
    fieldType: property.fieldType,
    description: property.description ?? "",
    groupName: property.groupName,
    options: property.options.map((option, index) => ({
      label: option.label,
      value: option.value,
      ...(option.description === undefined ? {} : { description: option.description }),
      displayOrder: option.displayOrder ?? index,
      hidden: option.hidden ?? false,
    })),
    displayOrder: property.displayOrder ?? -1,
    calculated: property.calculated,
    externalOptions: false,
    hasUniqueValue: property.hasUniqueValue,
    hidden: property.hidden,
    hubspotDefined: property.hubspotDefined || undefined,
    modificationMetadata: {
      archivable: !property.hubspotDefined,
      readOnlyDefinition: property.hubspotDefined,
      // A create-only property (contacts' secondary emails) reads as read-only, as HubSpot's staff describe it.
      readOnlyValue: property.readOnly || property.createOnly === true,
    },
    formField: property.formField ?? !property.readOnly,
    dataSensitivity: "non_sensitive",
    ...(property.hubspotDefined ? {} : { createdUserId: String(portalId) }),
  };
}
