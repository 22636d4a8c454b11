/**
 * Routes of the object and property families (`/crm/objects/{v}/…` ↔ `/crm/v3/objects/…`, `/crm/properties/{v}/…`
 * ↔ `/crm/v3/properties/…`). A route the sandbox does not implement (GDPR delete, …) gives undefined,
 * whatever the object type, so the caller answers 501. On an implemented route, an object HubSpot has and the
 * sandbox does not serve (quotes, invoices, …) is a 501 naming it (object-types.ts); a name HubSpot does not know
 * keeps HubSpot's own 400 ("Unable to infer object type from: …").
 */
import { batchArchive, batchCreate, batchRead, type WriteContext } from "./crm.js";
import { upsertOrUpdate } from "./crm-upsert.js";
import { mergeRoute } from "./merge.js";
import { KNOWN_UNSERVED, unservedObject } from "./object-types.js";
import {
  createGroup,
  createProperty,
  listGroups,
  missingProperty,
  propertyJson,
  readProperty,
} from "./properties.js";
import { flagParam } from "./query.js";
import { archiveRecord, createRecord, listRecords, readRecord, updateRecord } from "./records.js";
import { error, json, missingScopes, type SandboxResponse } from "./responses.js";
import { searchRecords } from "./search.js";
import type { ObjectState } from "./types.js";
import type { ApiRequest } from "./requests.js";

const BATCH_OPERATIONS = new Set(["upsert", "update", "read", "archive", "create"]);

/** The scopes each kind of access to an object needs; any one of a list will do (the object's policy, seed files). */
export function scopesFor(state: ObjectState, use: "read" | "write" | "schema" | "schema-write"): string[] {
  const { scopes } = state.definition.policy;
  const lists = {
    read: scopes.read,
    write: scopes.write,
    schema: scopes.schemaRead,
    "schema-write": scopes.schemaWrite,
  };
  return [...lists[use]];
}

/** Which object route a method and path segments name, or undefined when the sandbox does not implement it. */
function objectRoute(method: string, action: string[]): string | undefined {
  const [first, second] = action;
  if (first === undefined) return method === "GET" ? "list" : method === "POST" ? "create-one" : undefined;
  if (action.length === 1 && (first === "search" || first === "merge") && method === "POST") return first;
  if (action.length === 1 && first !== "search") {
    return ({ GET: "get", PATCH: "update-one", DELETE: "archive-one" } as Record<string, string>)[method];
  }
  const batch = action.length === 2 && first === "batch" && method === "POST";
  return batch && BATCH_OPERATIONS.has(second as string) ? second : undefined;
}

/** Resolves the object type and checks the tier and scopes; the state, or HubSpot's refusal. */
function objectAccess(request: ApiRequest, segment: string, use: Parameters<typeof scopesFor>[1]) {
  const state = request.store.resolve(segment);
  if (!state && KNOWN_UNSERVED.has(segment.toLowerCase())) return unservedObject(segment);
  if (!state) return error(400, "VALIDATION_ERROR", `Unable to infer object type from: ${segment}`);
  if (state.definition.custom && request.tier !== "enterprise") return notEnterprise(request.store.portalId);
  const scopes = scopesFor(state, use);
  if (!scopes.some((scope) => request.caller.scopes.has(scope))) return missingScopes(scopes);
  return state;
}

export const notEnterprise = (portalId: number) =>
  error(
    403,
    "FORBIDDEN",
    `Portal ${portalId} does not have access to custom objects: they require an Enterprise subscription.`,
  );

const isState = (value: ObjectState | SandboxResponse): value is ObjectState => "definition" in value;

export function routeObjects(request: ApiRequest): SandboxResponse | undefined {
  const [segment, ...action] = request.match.rest;
  const route = segment === undefined ? undefined : objectRoute(request.method, action);
  if (!route || segment === undefined) return undefined;
  request.count(route);
  const access = objectAccess(
    request,
    segment,
    route === "get" || route === "list" || route === "read" || route === "search" ? "read" : "write",
  );
  if (!isState(access)) return access;
  const context = writeContext(request, access, route);
  const id = action[0] as string;
  switch (route) {
    case "list":
      return listRecords(context, request.query);
    case "create-one":
      return createRecord(context, request.body);
    case "get":
      return readRecord(context, id, request.query);
    case "update-one":
      return updateRecord(context, id, request.query, request.body);
    case "archive-one":
      return archiveRecord(context, id);
    case "upsert":
    case "update":
      return upsertOrUpdate(context, request.body, route);
    case "read":
      return batchRead(context, request.body, request.query);
    case "search":
      return searchRecords(request.store, access, request.body);
    case "merge":
      return mergeRoute(request.store, access, request.body);
    case "archive":
      return batchArchive(context, request.body);
    default:
      return batchCreate(context, request.body);
  }
}

function writeContext(request: ApiRequest, state: ObjectState, route: string): WriteContext {
  const enforced = request.match.version === "2026-09" || request.rulesOnEveryVersion;
  return {
    store: request.store,
    state,
    version: request.match.version,
    ...(enforced && request.rules ? { rules: request.rules } : {}),
    countInputs: (inputs) => request.countInputs(route, inputs),
  };
}

export function routeProperties(request: ApiRequest): SandboxResponse | undefined {
  const { method, store } = request;
  const [segment, name, extra] = request.match.rest;
  if (segment === undefined || extra !== undefined) return undefined;
  const groups = name === "groups";
  const write = method === "POST";
  if (!(method === "GET" || (write && (name === undefined || groups)))) return undefined;
  const route = groups
    ? write
      ? "group-create"
      : "groups"
    : write
      ? "property-create"
      : name
        ? "property-read"
        : "properties";
  request.count(route);
  const access = objectAccess(request, segment, write ? "schema-write" : "schema");
  if (!isState(access)) return access;
  if (groups) return write ? createGroup(access, request.body) : listGroups(access);
  if (write) return createProperty(store, access, request.body);
  // The sandbox archives no property: `archived=true` finds none (HubSpot lists only archived ones then).
  const archived = flagParam(request.query, "archived");
  if (archived === undefined) return error(400, "VALIDATION_ERROR", "archived must be true or false");
  if (name) return archived ? missingProperty(access, name) : readProperty(access, name, store.portalId);
  const shown = archived ? [] : access.definition.properties;
  return json(200, { results: shown.map((property) => propertyJson(property, store.portalId)) });
}
