/**
 * Every operation the sandbox serves, with the query parameters and body fields it honours. It is the sandbox's
 * promise in one table: a parameter or field that is not listed here is refused with a 501 naming it
 * (honoured.ts), never accepted and ignored. The docs' table of served calls and the test that walks HubSpot's
 * request schemas read this table too.
 *
 * Paths are templates: `{version}` stands for a date version the sandbox serves (paths.ts), `{name}` for one path
 * segment. Each operation lists its legacy and dated paths, as HubSpot's specs name them.
 */
import { LINK_OPERATIONS } from "./operations-links.js";
import type { Operation } from "./types.js";

export type { BodyShape, Operation } from "./types.js";

const objects = (rest = "") => [
  `/crm/v3/objects/{objectType}${rest}`,
  `/crm/objects/{version}/{objectType}${rest}`,
];
const properties = (rest = "") => [
  `/crm/v3/properties/{objectType}${rest}`,
  `/crm/properties/{version}/{objectType}${rest}`,
];
const pipelines = (rest = "") => [
  `/crm/v3/pipelines/{objectType}${rest}`,
  `/crm/pipelines/{version}/{objectType}${rest}`,
];
const events = (rest: string) => [
  `/events/v3${rest}`,
  `/events/2026-03${rest}`,
  `/events/custom/2026-09${rest}`,
];

// Leaves name the type HubSpot reads (types.ts `BodyLeaf`; body-types.ts refuses any other with a 400).
const SPEC = { associationCategory: "string", associationTypeId: "number" } as const;
const LINKS_ON_CREATE = [{ to: { id: "string" }, types: [SPEC] }] as const;
const NAMES = ["string"] as const;
const WRITE_INPUT = {
  id: "string",
  idProperty: "string",
  properties: "values",
  objectWriteTraceId: "string",
} as const;
const OPTION = {
  label: "string",
  value: "string",
  description: "string",
  displayOrder: "number",
  hidden: "boolean",
} as const;
const EVENT_PROPERTY = {
  name: "string",
  label: "string",
  type: "string",
  description: "string",
  options: [OPTION],
} as const;
const OCCURRENCE = {
  eventName: "string",
  email: "string",
  utk: "string",
  objectId: "string",
  occurredAt: "string",
  properties: "values",
  uuid: "string",
} as const;

/** Reads of records: the properties, their histories, the associations to list, archived records. */
const RECORD_READ = ["properties", "propertiesWithHistory", "associations", "archived"] as const;

/** Every operation the sandbox serves: the CRM's records and definitions here, links and lists in operations-links.ts. */
export const OPERATIONS: readonly Operation[] = [
  // CRM objects (contacts, companies, deals, products, tickets, line items, leads, activities, custom objects).
  { name: "objects.list", method: "GET", paths: objects(), query: [...RECORD_READ, "limit", "after"] },
  {
    name: "objects.create",
    method: "POST",
    paths: objects(),
    body: { properties: "values", associations: LINKS_ON_CREATE },
  },
  {
    name: "objects.read",
    method: "GET",
    paths: objects("/{objectId}"),
    query: [...RECORD_READ, "idProperty"],
  },
  {
    name: "objects.update",
    method: "PATCH",
    paths: objects("/{objectId}"),
    query: ["idProperty"],
    body: { properties: "values" },
  },
  { name: "objects.archive", method: "DELETE", paths: objects("/{objectId}") },
  {
    name: "objects.batch-upsert",
    method: "POST",
    paths: objects("/batch/upsert"),
    body: { inputs: [WRITE_INPUT] },
  },
  {
    name: "objects.batch-update",
    method: "POST",
    paths: objects("/batch/update"),
    body: { inputs: [WRITE_INPUT] },
  },
  {
    name: "objects.batch-create",
    method: "POST",
    paths: objects("/batch/create"),
    body: {
      inputs: [{ properties: "values", associations: LINKS_ON_CREATE, objectWriteTraceId: "string" }],
    },
  },
  {
    name: "objects.batch-read",
    method: "POST",
    paths: objects("/batch/read"),
    query: ["archived"],
    body: {
      inputs: [{ id: "string" }],
      properties: NAMES,
      propertiesWithHistory: NAMES,
      idProperty: "string",
    },
  },
  {
    name: "objects.batch-archive",
    method: "POST",
    paths: objects("/batch/archive"),
    body: { inputs: [{ id: "string" }] },
  },
  {
    name: "objects.search",
    method: "POST",
    paths: objects("/search"),
    body: {
      filterGroups: [
        {
          filters: [
            {
              propertyName: "string",
              operator: "string",
              value: "string",
              values: NAMES,
              highValue: "string",
            },
          ],
        },
      ],
      // HubSpot's guide sorts with `{propertyName, direction}`; the schema says strings (schema-deviations.ts).
      sorts: [{ propertyName: "string", direction: "string" }],
      query: "string",
      properties: NAMES,
      limit: "number",
      after: "string",
    },
  },
  {
    name: "objects.merge",
    method: "POST",
    paths: objects("/merge"),
    body: { primaryObjectId: "string", objectIdToMerge: "string" },
  },
  // Pipelines and their stages (deals and tickets), and the custom-property limits.
  { name: "pipelines.list", method: "GET", paths: pipelines() },
  { name: "pipelines.read", method: "GET", paths: pipelines("/{pipelineId}") },
  { name: "pipelines.stages", method: "GET", paths: pipelines("/{pipelineId}/stages") },
  { name: "pipelines.stage", method: "GET", paths: pipelines("/{pipelineId}/stages/{stageId}") },
  {
    name: "limits.custom-properties",
    method: "GET",
    paths: ["/crm/v3/limits/custom-properties", "/crm/limits/{version}/custom-properties"],
  },
  // Property definitions and groups.
  { name: "properties.list", method: "GET", paths: properties(), query: ["archived"] },
  {
    name: "properties.create",
    method: "POST",
    paths: properties(),
    body: {
      name: "string",
      label: "string",
      type: "string",
      fieldType: "string",
      groupName: "string",
      description: "string",
      displayOrder: "number",
      options: [OPTION],
      hasUniqueValue: "boolean",
      hidden: "boolean",
      formField: "boolean",
    },
  },
  { name: "properties.read", method: "GET", paths: properties("/{propertyName}"), query: ["archived"] },
  { name: "properties.groups", method: "GET", paths: properties("/groups") },
  {
    name: "properties.create-group",
    method: "POST",
    paths: properties("/groups"),
    body: { name: "string", label: "string", displayOrder: "number" },
  },
  // Custom object schemas.
  {
    name: "schemas.list",
    method: "GET",
    paths: ["/crm/v3/schemas", "/crm-object-schemas/v3/schemas", "/crm-object-schemas/{version}/schemas"],
    query: ["archived"],
  },
  {
    name: "schemas.read",
    method: "GET",
    paths: [
      "/crm/v3/schemas/{objectType}",
      "/crm-object-schemas/v3/schemas/{objectType}",
      "/crm-object-schemas/{version}/schemas/{objectType}",
    ],
  },
  // Custom behavioral events.
  {
    name: "events.definitions",
    method: "GET",
    paths: events("/event-definitions"),
    query: ["limit", "after", "includeProperties", "searchString"],
  },
  {
    name: "events.create-definition",
    method: "POST",
    paths: events("/event-definitions"),
    body: {
      label: "string",
      name: "string",
      description: "string",
      primaryObject: "string",
      propertyDefinitions: [EVENT_PROPERTY],
      includeDefaultProperties: "boolean",
    },
  },
  { name: "events.definition", method: "GET", paths: events("/event-definitions/{eventName}") },
  {
    name: "events.create-property",
    method: "POST",
    paths: events("/event-definitions/{eventName}/property"),
    body: EVENT_PROPERTY,
  },
  { name: "events.send", method: "POST", paths: events("/send"), body: OCCURRENCE },
  { name: "events.send-batch", method: "POST", paths: events("/send/batch"), body: { inputs: [OCCURRENCE] } },
  ...LINK_OPERATIONS,
];
