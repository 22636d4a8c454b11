/** The shapes of event definitions: reading a property definition from a body, and the JSON HubSpot answers. */

export interface EventOption {
  label: string;
  value: string;
  description?: string;
  displayOrder?: number;
  hidden?: boolean;
}

export interface EventProperty {
  name: string;
  label: string;
  type: string;
  description?: string;
  options: EventOption[];
  /** One of HubSpot's default event properties, added by `includeDefaultProperties`. */
  hubspotDefined?: boolean;
}

export interface EventDefinition {
  id: string;
  name: string;
  fullyQualifiedName: string;
  label: string;
  description: string;
  primaryObject: string;
  objectTypeId: string;
  archived: boolean;
  properties: EventProperty[];
  createdAt: string;
}

/** Event and property names: at most 50 characters, a letter first, then `[a-z0-9_]` (D-EVDEF). */
export const NAME = /^[a-z][a-z0-9_]{0,49}$/;
const PROPERTY_TYPES = new Set(["string", "number", "enumeration", "datetime", "bool", "date"]);

export function parseTime(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return new Date(value).toISOString();
  if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  return undefined;
}

export function parseProperty(input: unknown): EventProperty | string {
  const body = (input ?? {}) as {
    name?: unknown;
    label?: unknown;
    type?: unknown;
    description?: unknown;
    options?: unknown;
  };
  if (typeof body.name !== "string" || !NAME.test(body.name)) {
    return `Property name ${String(body.name)} is invalid: at most 50 characters, starting with a letter, of lowercase letters, digits and underscores.`;
  }
  if (typeof body.type !== "string" || !PROPERTY_TYPES.has(body.type)) {
    return `Property type ${String(body.type)} is not one of ${[...PROPERTY_TYPES].join(", ")}.`;
  }
  const options = Array.isArray(body.options) ? (body.options as Array<Record<string, unknown>>) : [];
  if (body.type === "enumeration" && options.length === 0)
    return `Enumeration property ${body.name} needs at least one option.`;
  return {
    name: body.name,
    label: typeof body.label === "string" ? body.label.slice(0, 50) : body.name,
    type: body.type,
    ...(typeof body.description === "string" ? { description: body.description } : {}),
    options: options.map(readOption),
  };
}

function readOption(option: Record<string, unknown>): EventOption {
  return {
    label: String(option.label ?? option.value),
    value: String(option.value),
    ...(typeof option.description === "string" ? { description: option.description } : {}),
    ...(typeof option.displayOrder === "number" ? { displayOrder: option.displayOrder } : {}),
    ...(typeof option.hidden === "boolean" ? { hidden: option.hidden } : {}),
  };
}

/** The field type HubSpot's `Property` shape pairs with each event property type (inferred from D-PROP's pairs). */
const FIELD_TYPES: Record<string, string> = {
  string: "text",
  number: "number",
  enumeration: "select",
  datetime: "date",
  date: "date",
  bool: "booleancheckbox",
};

export const propertyJson = (property: EventProperty) => ({
  name: property.name,
  label: property.label,
  type: property.type,
  fieldType: FIELD_TYPES[property.type] ?? "text",
  // The spec's `Property` requires a group; HubSpot's docs name none for event properties (inferred).
  groupName: "events",
  description: property.description ?? "",
  options: property.options.map((option, index) => ({
    ...option,
    displayOrder: option.displayOrder ?? index,
    hidden: option.hidden ?? false,
  })),
  archived: false,
  ...(property.hubspotDefined ? { hubspotDefined: true } : {}),
});

/** A definition as HubSpot answers it; a list read leaves out the properties unless asked (`includeProperties`). */
export function definitionJson(definition: EventDefinition, withProperties = true): Record<string, unknown> {
  return {
    id: definition.id,
    name: definition.name,
    fullyQualifiedName: definition.fullyQualifiedName,
    labels: { singular: definition.label },
    description: definition.description,
    primaryObject: definition.primaryObject,
    objectTypeId: definition.objectTypeId,
    archived: definition.archived,
    associations: [],
    properties: withProperties ? definition.properties.map(propertyJson) : [],
    trackingType: "MANUAL",
    createdAt: definition.createdAt,
  };
}
