/**
 * The API routes behind authentication, by family (paths.ts): account info, properties, schemas, custom events,
 * the CRM objects, pipelines and limits. A path the sandbox does not implement gives undefined, and the server
 * answers 501. Associations and lists are served by their own modules, hooked in before this one.
 */
import { addProperty, createDefinition, getDefinition, listDefinitions } from "./event-definitions.js";
import { routeLimits } from "./limits.js";
import { notEnterprise, routeObjects, routeProperties } from "./object-routes.js";
import { routePipelines } from "./pipeline-routes.js";
import { propertyJson } from "./properties.js";
import { error, json, missingScopes, type SandboxResponse } from "./responses.js";
import { flagParam } from "./query.js";
import type { ObjectState } from "./store.js";
import type { ApiRequest } from "./requests.js";

export function routeApi(request: ApiRequest): SandboxResponse | undefined {
  switch (request.match.family) {
    case "account":
      return routeAccount(request);
    case "properties":
      return routeProperties(request);
    case "schemas":
      return routeSchemas(request);
    case "events":
      return routeEvents(request);
    case "objects":
      return routeObjects(request);
    case "pipelines":
      return routePipelines(request);
    case "limits":
      return routeLimits(request);
    default:
      return undefined;
  }
}

/** `GET /account-info/{v}/details` (S-ACCT, same body on every version). */
function routeAccount(request: ApiRequest): SandboxResponse | undefined {
  if (request.method !== "GET" || request.match.rest.join("/") !== "details") return undefined;
  request.count("account");
  return json(200, {
    portalId: request.store.portalId,
    accountType: "STANDARD",
    timeZone: "US/Eastern",
    companyCurrency: "USD",
    additionalCurrencies: [],
    utcOffset: "-05:00",
    utcOffsetMilliseconds: -18_000_000,
    uiDomain: "app.hubspot.com",
    dataHostingLocation: "na1",
  });
}

/**
 * `GET …/schemas` and `GET …/schemas/{objectType}`, where the object type is an objectTypeId or a
 * fullyQualifiedName (D-SCH: "`2-7282133` or `p1234_lender`"); a bare name is not one of them, so it is not found.
 */
function routeSchemas(request: ApiRequest): SandboxResponse | undefined {
  const { method, store, caller } = request;
  const rest = request.match.rest;
  if (method !== "GET" || rest.length > 1) return undefined;
  request.count(rest.length === 0 ? "schemas" : "schema");
  if (request.tier !== "enterprise") return notEnterprise(store.portalId);
  if (!caller.scopes.has("crm.schemas.custom.read")) return missingScopes(["crm.schemas.custom.read"]);
  const customs = store.objects.filter((state) => state.definition.custom);
  if (rest.length === 0) {
    // The sandbox archives no schema: `archived=true` lists none.
    const archived = flagParam(request.query, "archived");
    if (archived === undefined) return error(400, "VALIDATION_ERROR", "archived must be true or false");
    return json(200, { results: archived ? [] : customs.map((state) => schemaJson(state, store.portalId)) });
  }
  const wanted = (rest[0] as string).toLowerCase();
  const state = customs.find(
    ({ definition }) =>
      definition.objectTypeId === wanted || `p${store.portalId}_${definition.name}` === wanted,
  );
  return state
    ? json(200, schemaJson(state, store.portalId))
    : error(404, "OBJECT_NOT_FOUND", `Unable to find object schema for ${rest[0]}`);
}

function schemaJson(state: ObjectState, portalId: number): Record<string, unknown> {
  const { definition } = state;
  return {
    id: definition.objectTypeId.slice(2),
    objectTypeId: definition.objectTypeId,
    name: definition.name,
    fullyQualifiedName: `p${portalId}_${definition.name}`,
    labels: { singular: definition.singular, plural: definition.plural },
    primaryDisplayProperty: definition.primaryDisplayProperty,
    requiredProperties: definition.requiredProperties,
    searchableProperties: [definition.primaryDisplayProperty],
    secondaryDisplayProperties: [],
    properties: definition.properties.map((property) => propertyJson(property, portalId)),
    associations: [],
    allowsSensitiveProperties: false,
    archived: false,
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
}

/**
 * Event definitions and sends; custom events need an Enterprise hub
 * (https://developers.hubspot.com/docs/api-reference/legacy/events/send-event-data/guide).
 */
function routeEvents(request: ApiRequest): SandboxResponse | undefined {
  const { method, store, caller } = request;
  const [head, ...rest] = request.match.rest;
  const events = store.events;
  const send =
    head === "send" && method === "POST" && (rest.length === 0 || (rest.length === 1 && rest[0] === "batch"));
  const definitions = head === "event-definitions" && definitionRoute(method, rest);
  if (!send && !definitions) return undefined;
  if (request.tier !== "enterprise") {
    return error(
      403,
      "FORBIDDEN",
      `Portal ${store.portalId} does not have access to custom behavioral events: they require an Enterprise subscription.`,
    );
  }
  if (send) {
    const batch = rest.length === 1;
    request.count(batch ? "events-batch" : "events-send");
    if (!caller.scopes.has("analytics.behavioral_events.send"))
      return missingScopes(["analytics.behavioral_events.send"]);
    const body = request.body as { inputs?: unknown } | undefined;
    if (!batch) {
      request.countInputs("events-send", 1);
      return events.send([body]);
    }
    if (!Array.isArray(body?.inputs))
      return error(400, undefined, 'Invalid input JSON on line 1, column 1: field "inputs" is required');
    request.countInputs("events-batch", body.inputs.length);
    return events.send(body.inputs);
  }
  request.count("event-definitions");
  if (!caller.scopes.has("behavioral_events.event_definitions.read_write")) {
    return missingScopes(["behavioral_events.event_definitions.read_write"]);
  }
  if (rest.length === 0)
    return method === "GET" ? listDefinitions(events, request.query) : createDefinition(events, request.body);
  if (rest.length === 1) return getDefinition(events, rest[0] as string);
  return addProperty(events, rest[0] as string, request.body);
}

/** The definition routes the sandbox implements: list, create, read one, add a property. */
function definitionRoute(method: string, rest: string[]): boolean {
  if (rest.length === 0) return method === "GET" || method === "POST";
  if (rest.length === 1) return method === "GET";
  return rest.length === 2 && rest[1] === "property" && method === "POST";
}
