/**
 * The operations on links between records, lists, the account and credentials: the second half of operations.ts's
 * table, with the same meaning (a parameter or field not listed is refused with a 501 naming it).
 */
import type { Operation } from "./types.js";

// Leaves name the type HubSpot reads (types.ts `BodyLeaf`; body-types.ts refuses any other with a 400).
const SPEC = { associationCategory: "string", associationTypeId: "number" } as const;
const LIST_IDS = ["string"] as const;
const ID = { id: "string" } as const;

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

export const LINK_OPERATIONS: readonly Operation[] = [
  // Associations v4.
  {
    name: "associations.batch-create",
    method: "POST",
    paths: associations("/batch/create"),
    body: { inputs: [{ from: ID, to: ID, types: [SPEC] }] },
  },
  {
    name: "associations.batch-default",
    method: "POST",
    paths: associations("/batch/associate/default"),
    body: { inputs: [{ from: ID, to: ID }] },
  },
  {
    name: "associations.batch-read",
    method: "POST",
    paths: associations("/batch/read"),
    body: { inputs: [{ id: "string", after: "string" }] },
  },
  {
    name: "associations.batch-archive",
    method: "POST",
    paths: associations("/batch/archive"),
    body: { inputs: [{ from: ID, to: [ID] }] },
  },
  {
    name: "associations.batch-archive-labels",
    method: "POST",
    paths: associations("/batch/labels/archive"),
    body: { inputs: [{ from: ID, to: ID, types: [SPEC] }] },
  },
  { name: "associations.labels", method: "GET", paths: labels() },
  {
    name: "associations.create-label",
    method: "POST",
    paths: labels(),
    body: { name: "string", label: "string", inverseLabel: "string" },
  },
  {
    name: "associations.update-label",
    method: "PUT",
    paths: labels(),
    body: { associationTypeId: "number", label: "string", inverseLabel: "string" },
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
    body: { name: "string", objectTypeId: "string", processingType: "string" },
  },
  { name: "lists.read-many", method: "GET", paths: lists(), query: ["listIds", "includeFilters"] },
  {
    name: "lists.search",
    method: "POST",
    paths: lists("/search"),
    body: {
      query: "string",
      processingTypes: LIST_IDS,
      listIds: LIST_IDS,
      objectTypeId: "string",
      offset: "number",
      count: "number",
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
    body: { tokenKey: "string" },
  },
];
