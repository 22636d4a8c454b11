/**
 * Custom event definitions (S-EVDEF,
 * https://developers.hubspot.com/docs/api-reference/legacy/events/define-events/guide):
 * - `GET …/event-definitions` with `limit` (default 100, inferred), `after` (an opaque cursor), `searchString`
 *   (part of the name) and `includeProperties` → `{results, total, paging?}`. Without `includeProperties=true` a
 *   definition comes with no properties (inferred: HubSpot's SDKs and the connector ask for them explicitly).
 * - `POST …/event-definitions` → 201 the definition. `name` defaults to one made from `label`; `primaryObject` to
 *   CONTACT; `includeDefaultProperties` (default true, D-EVDEF) adds HubSpot's 32 default event properties
 *   (`hs_page_url`, `hs_referrer`, `hs_utm_source`, …; custom events guide), which do not count toward the 50
 *   custom properties a definition may have (not stated; inferred).
 * - `GET …/event-definitions/{name}` → the definition with its properties; `POST …/{name}/property` → 201.
 */
import {
  definitionJson,
  type EventDefinition,
  type EventProperty,
  NAME,
  parseProperty,
  propertyJson,
} from "./event-shapes.js";
import { EVENT_LIMITS, type EventStore } from "./events.js";
import { decodeCursor, encodeCursor } from "./ids.js";
import { flagParam } from "./query.js";
import { error, json, type SandboxResponse } from "./responses.js";

const PRIMARY_OBJECTS: Record<string, string> = {
  CONTACT: "0-1",
  COMPANY: "0-2",
  DEAL: "0-3",
  TICKET: "0-5",
};

const DEFAULT_PAGE = 100;

/**
 * HubSpot's default event properties (custom events guide,
 * https://developers.hubspot.com/docs/guides/api/analytics-and-events/custom-events/custom-event-definitions).
 * All are strings but the screen sizes; `hs_device_type` is an enumeration on HubSpot whose options the guide does
 * not list, so the sandbox takes it as a string.
 */
const DEFAULT_PROPERTY_NAMES = [
  "hs_asset_description",
  "hs_asset_type",
  "hs_browser",
  "hs_campaign_id",
  "hs_city",
  "hs_country",
  "hs_device_name",
  "hs_device_type",
  "hs_element_class",
  "hs_element_id",
  "hs_element_text",
  "hs_language",
  "hs_link_href",
  "hs_operating_system",
  "hs_operating_version",
  "hs_page_content_type",
  "hs_page_id",
  "hs_page_title",
  "hs_page_url",
  "hs_parent_module_id",
  "hs_referrer",
  "hs_region",
  "hs_screen_height",
  "hs_screen_width",
  "hs_touchpoint_source",
  "hs_tracking_name",
  "hs_user_agent",
  "hs_utm_campaign",
  "hs_utm_content",
  "hs_utm_medium",
  "hs_utm_source",
  "hs_utm_term",
] as const;

const defaultProperties = (): EventProperty[] =>
  DEFAULT_PROPERTY_NAMES.map((name) => ({
    name,
    label: name
      .slice(3)
      .replace(/_/g, " ")
      .replace(/^./, (first) => first.toUpperCase()),
    type: name === "hs_screen_height" || name === "hs_screen_width" ? "number" : "string",
    options: [],
    hubspotDefined: true,
  }));

const invalid = (message: string) => error(400, "VALIDATION_ERROR", message);
const missing = (name: string) => error(404, "OBJECT_NOT_FOUND", `Event definition ${name} not found.`);
const customCount = (definition: EventDefinition) =>
  definition.properties.filter((property) => !property.hubspotDefined).length;

export function listDefinitions(events: EventStore, query: URLSearchParams): SandboxResponse {
  const limit = query.has("limit") ? Number(query.get("limit")) : DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1)
    return invalid(`limit must be a whole number, not ${query.get("limit")}`);
  const withProperties = flagParam(query, "includeProperties");
  if (withProperties === undefined) return invalid("includeProperties must be true or false");
  const afterText = query.get("after");
  const after = afterText === null ? undefined : decodeCursor(afterText);
  if (afterText !== null && after === undefined) return invalid(`Invalid paging cursor: ${afterText}`);
  const search = (query.get("searchString") ?? "").toLowerCase();
  const matching = [...events.definitions.values()].filter(
    (definition) => !definition.archived && definition.name.includes(search),
  );
  const start =
    after === undefined ? 0 : matching.findIndex((definition) => Number(definition.id) > Number(after));
  const page = start < 0 ? [] : matching.slice(start, start + limit);
  const last = page.at(-1);
  const more = start >= 0 && start + limit < matching.length && last !== undefined;
  return json(200, {
    results: page.map((definition) => definitionJson(definition, withProperties)),
    total: matching.length,
    ...(more ? { paging: { next: { after: encodeCursor(last.id) } } } : {}),
  });
}

export function getDefinition(events: EventStore, name: string): SandboxResponse {
  const definition = events.definitions.get(name);
  return definition ? json(200, definitionJson(definition)) : missing(name);
}

export function createDefinition(events: EventStore, body: unknown): SandboxResponse {
  const egg = (body ?? {}) as Record<string, unknown>;
  const label = egg.label;
  if (typeof label !== "string" || label.length === 0 || label.length > 100) {
    return invalid("label is required and must be at most 100 characters.");
  }
  const name =
    typeof egg.name === "string"
      ? egg.name
      : label
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "_")
          .replace(/^_+|_+$/g, "");
  if (!NAME.test(name)) {
    return invalid(
      `Event name ${name} is invalid: at most 50 characters, starting with a letter, of lowercase letters, digits and underscores.`,
    );
  }
  if (events.definitions.has(name))
    return error(409, "CONFLICT", `An event definition named ${name} already exists.`);
  if (events.definitions.size >= EVENT_LIMITS.definitionsPerAccount) {
    return invalid(
      `This account already has ${EVENT_LIMITS.definitionsPerAccount} event definitions, the most allowed.`,
    );
  }
  const primaryObject = typeof egg.primaryObject === "string" ? egg.primaryObject.toUpperCase() : "CONTACT";
  const objectTypeId = PRIMARY_OBJECTS[primaryObject];
  if (!objectTypeId) return invalid(`primaryObject ${primaryObject} is not supported.`);
  const properties = readProperties(egg.propertyDefinitions);
  if (typeof properties === "string") return invalid(properties);
  const definition: EventDefinition = {
    id: String(100_000 + events.definitions.size),
    name,
    fullyQualifiedName: events.fullName(name),
    label,
    description: typeof egg.description === "string" ? egg.description : "",
    primaryObject,
    objectTypeId,
    archived: false,
    properties: egg.includeDefaultProperties === false ? properties : [...defaultProperties(), ...properties],
    createdAt: new Date().toISOString(),
  };
  events.definitions.set(name, definition);
  return json(201, definitionJson(definition));
}

function readProperties(inputs: unknown): EventProperty[] | string {
  const list = Array.isArray(inputs) ? inputs : [];
  if (list.length > EVENT_LIMITS.propertiesPerDefinition) {
    return `An event can have at most ${EVENT_LIMITS.propertiesPerDefinition} properties.`;
  }
  const properties: EventProperty[] = [];
  for (const input of list) {
    const property = parseProperty(input);
    if (typeof property === "string") return property;
    if (DEFAULT_PROPERTY_NAMES.includes(property.name as (typeof DEFAULT_PROPERTY_NAMES)[number])) {
      return `Property ${property.name} is one of HubSpot's default event properties.`;
    }
    properties.push(property);
  }
  return properties;
}

export function addProperty(events: EventStore, name: string, body: unknown): SandboxResponse {
  const definition = events.definitions.get(name);
  if (!definition) return missing(name);
  const property = parseProperty(body);
  if (typeof property === "string") return invalid(property);
  if (definition.properties.some((existing) => existing.name === property.name)) {
    return error(409, "CONFLICT", `Property ${property.name} already exists on event ${name}.`);
  }
  if (customCount(definition) >= EVENT_LIMITS.propertiesPerDefinition) {
    return invalid(`An event can have at most ${EVENT_LIMITS.propertiesPerDefinition} properties.`);
  }
  definition.properties.push(property);
  return json(201, propertyJson(property));
}
