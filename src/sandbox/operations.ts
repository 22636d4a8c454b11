/**
 * Every operation the sandbox serves, with the query parameters and body fields it honours. It is the sandbox's
 * promise in one table: a parameter or field that is not listed here is refused with a 501 naming it
 * (honoured.ts), never accepted and ignored. The docs' table of served calls and the test that walks HubSpot's
 * request schemas read this table too.
 *
 * Paths are templates: `{version}` stands for a date version the sandbox serves (paths.ts), `{name}` for one path
 * segment. Each operation lists its legacy and dated paths, as HubSpot's specs name them.
 */

/**
 * What the sandbox honours of a JSON body: `true` takes the value as it comes (a property map, a list of ids); an
 * object names the fields honoured (any other field is refused); `[shape]` is an array whose items have that shape.
 */
export type BodyShape = true | { readonly [field: string]: BodyShape } | readonly [BodyShape];

export interface Operation {
  /** A stable name, `family.action`, used by the docs and the tests. */
  name: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  paths: readonly string[];
  /** Query parameters honoured. @default none */
  query?: readonly string[];
  /** The JSON body honoured; operations without one take no body. */
  body?: BodyShape;
  /** Form fields honoured, for the OAuth endpoints' `application/x-www-form-urlencoded` bodies. */
  form?: readonly string[];
}

const objects = (rest = "") => [
  `/crm/v3/objects/{objectType}${rest}`,
  `/crm/objects/{version}/{objectType}${rest}`,
];
const properties = (rest = "") => [
  `/crm/v3/properties/{objectType}${rest}`,
  `/crm/properties/{version}/{objectType}${rest}`,
];
const associations = (rest: string) => [
  `/crm/v4/associations/{fromObjectType}/{toObjectType}${rest}`,
  `/crm/associations/{version}/{fromObjectType}/{toObjectType}${rest}`,
];
const recordLinks = (rest: string) => [
  `/crm/v4/objects/{objectType}/{objectId}/associations${rest}`,
  `/crm/objects/{version}/{objectType}/{objectId}/associations${rest}`,
];
const labels = (rest = "") => [
  ...associations(`/labels${rest}`),
  `/crm/associations/v4/{fromObjectType}/{toObjectType}/labels${rest}`,
];
const lists = (rest = "") => [`/crm/v3/lists${rest}`, `/crm/lists/{version}${rest}`];
const events = (rest: string) => [
  `/events/v3${rest}`,
  `/events/2026-03${rest}`,
  `/events/custom/2026-09${rest}`,
];

const SPEC = { associationCategory: true, associationTypeId: true } as const;
const LINKS_ON_CREATE = [{ to: { id: true }, types: [SPEC] }] as const;
const WRITE_INPUT = { id: true, idProperty: true, properties: true, objectWriteTraceId: true } as const;
const OPTION = { label: true, value: true, description: true, displayOrder: true, hidden: true } as const;
const EVENT_PROPERTY = { name: true, label: true, type: true, description: true, options: [OPTION] } as const;
const OCCURRENCE = {
  eventName: true,
  email: true,
  utk: true,
  objectId: true,
  occurredAt: true,
  properties: true,
  uuid: true,
} as const;
const LIST_IDS = [true] as const;

/** Reads of records: the properties, their histories, the associations to list, archived records. */
const RECORD_READ = ["properties", "propertiesWithHistory", "associations", "archived"] as const;

export const OPERATIONS: readonly Operation[] = [
  // CRM objects (contacts, companies, deals, products, custom objects).
  { name: "objects.list", method: "GET", paths: objects(), query: [...RECORD_READ, "limit", "after"] },
  {
    name: "objects.create",
    method: "POST",
    paths: objects(),
    body: { properties: true, associations: LINKS_ON_CREATE },
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
    body: { properties: true },
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
    body: { inputs: [{ properties: true, associations: LINKS_ON_CREATE, objectWriteTraceId: true }] },
  },
  {
    name: "objects.batch-read",
    method: "POST",
    paths: objects("/batch/read"),
    query: ["archived"],
    body: { inputs: [{ id: true }], properties: true, propertiesWithHistory: true, idProperty: true },
  },
  {
    name: "objects.batch-archive",
    method: "POST",
    paths: objects("/batch/archive"),
    body: { inputs: [{ id: true }] },
  },
  {
    name: "objects.search",
    method: "POST",
    paths: objects("/search"),
    body: {
      filterGroups: [
        { filters: [{ propertyName: true, operator: true, value: true, values: true, highValue: true }] },
      ],
      // HubSpot's guide sorts with `{propertyName, direction}`; the schema says strings (schema-deviations.ts).
      sorts: [{ propertyName: true, direction: true }],
      query: true,
      properties: true,
      limit: true,
      after: true,
    },
  },
  // Property definitions and groups.
  { name: "properties.list", method: "GET", paths: properties(), query: ["archived"] },
  {
    name: "properties.create",
    method: "POST",
    paths: properties(),
    body: {
      name: true,
      label: true,
      type: true,
      fieldType: true,
      groupName: true,
      description: true,
      displayOrder: true,
      options: [OPTION],
      hasUniqueValue: true,
      hidden: true,
      formField: true,
    },
  },
  { name: "properties.read", method: "GET", paths: properties("/{propertyName}"), query: ["archived"] },
  { name: "properties.groups", method: "GET", paths: properties("/groups") },
  {
    name: "properties.create-group",
    method: "POST",
    paths: properties("/groups"),
    body: { name: true, label: true, displayOrder: true },
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
      label: true,
      name: true,
      description: true,
      primaryObject: true,
      propertyDefinitions: [EVENT_PROPERTY],
      includeDefaultProperties: true,
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
  // Associations v4.
  {
    name: "associations.batch-create",
    method: "POST",
    paths: associations("/batch/create"),
    body: { inputs: [{ from: { id: true }, to: { id: true }, types: [SPEC] }] },
  },
  {
    name: "associations.batch-default",
    method: "POST",
    paths: associations("/batch/associate/default"),
    body: { inputs: [{ from: { id: true }, to: { id: true } }] },
  },
  {
    name: "associations.batch-read",
    method: "POST",
    paths: associations("/batch/read"),
    body: { inputs: [{ id: true, after: true }] },
  },
  {
    name: "associations.batch-archive",
    method: "POST",
    paths: associations("/batch/archive"),
    body: { inputs: [{ from: { id: true }, to: [{ id: true }] }] },
  },
  {
    name: "associations.batch-archive-labels",
    method: "POST",
    paths: associations("/batch/labels/archive"),
    body: { inputs: [{ from: { id: true }, to: { id: true }, types: [SPEC] }] },
  },
  { name: "associations.labels", method: "GET", paths: labels() },
  {
    name: "associations.create-label",
    method: "POST",
    paths: labels(),
    body: { name: true, label: true, inverseLabel: true },
  },
  {
    name: "associations.update-label",
    method: "PUT",
    paths: labels(),
    body: { associationTypeId: true, label: true, inverseLabel: true },
  },
  { name: "associations.delete-label", method: "DELETE", paths: labels("/{associationTypeId}") },
  {
    name: "associations.record-list",
    method: "GET",
    paths: recordLinks("/{toObjectType}"),
    query: ["limit", "after"],
  },
  {
    name: "associations.record-link",
    method: "PUT",
    paths: recordLinks("/{toObjectType}/{toObjectId}"),
    body: [SPEC],
  },
  {
    name: "associations.record-default",
    method: "PUT",
    paths: recordLinks("/default/{toObjectType}/{toObjectId}").map((path) =>
      path.replace("{objectType}/{objectId}", "{fromObjectType}/{fromObjectId}"),
    ),
  },
  {
    name: "associations.record-unlink",
    method: "DELETE",
    paths: recordLinks("/{toObjectType}/{toObjectId}"),
  },
  // Lists (segments) and memberships.
  {
    name: "lists.create",
    method: "POST",
    paths: lists(),
    body: { name: true, objectTypeId: true, processingType: true },
  },
  { name: "lists.read-many", method: "GET", paths: lists(), query: ["listIds", "includeFilters"] },
  {
    name: "lists.search",
    method: "POST",
    paths: lists("/search"),
    body: {
      query: true,
      processingTypes: LIST_IDS,
      listIds: LIST_IDS,
      objectTypeId: true,
      offset: true,
      count: true,
      additionalProperties: LIST_IDS,
    },
  },
  {
    name: "lists.read-by-name",
    method: "GET",
    paths: lists("/object-type-id/{objectTypeId}/name/{listName}"),
    query: ["includeFilters"],
  },
  { name: "lists.read", method: "GET", paths: lists("/{listId}"), query: ["includeFilters"] },
  { name: "lists.delete", method: "DELETE", paths: lists("/{listId}") },
  { name: "lists.restore", method: "PUT", paths: lists("/{listId}/restore") },
  {
    name: "lists.memberships",
    method: "GET",
    paths: lists("/{listId}/memberships"),
    query: ["after", "before", "limit"],
  },
  { name: "lists.clear", method: "DELETE", paths: lists("/{listId}/memberships") },
  { name: "lists.add", method: "PUT", paths: lists("/{listId}/memberships/add"), body: LIST_IDS },
  { name: "lists.remove", method: "PUT", paths: lists("/{listId}/memberships/remove"), body: LIST_IDS },
  {
    name: "lists.add-and-remove",
    method: "PUT",
    paths: lists("/{listId}/memberships/add-and-remove"),
    body: { recordIdsToAdd: LIST_IDS, recordIdsToRemove: LIST_IDS },
  },
  // Account and credentials.
  {
    name: "account.details",
    method: "GET",
    paths: ["/account-info/v3/details", "/account-info/{version}/details"],
  },
  {
    name: "oauth.token",
    method: "POST",
    paths: ["/oauth/v1/token", "/oauth/v3/token", "/oauth/{version}/token"],
    form: ["grant_type", "client_id", "client_secret", "refresh_token"],
  },
  {
    name: "oauth.introspect",
    method: "POST",
    paths: ["/oauth/v3/token/introspect", "/oauth/{version}/token/introspect"],
    form: ["token", "client_id", "client_secret"],
  },
  { name: "oauth.access-token", method: "GET", paths: ["/oauth/v1/access-tokens/{token}"] },
  {
    name: "oauth.private-app-token-info",
    method: "POST",
    paths: ["/oauth/v2/private-apps/get/access-token-info"],
    body: { tokenKey: true },
  },
];
