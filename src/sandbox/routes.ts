/** The API routes behind authentication: account info, properties, schemas and the CRM object endpoints. */
import type { Caller } from "./auth.js";
import { batchArchive, batchCreate, batchRead, upsertOrUpdate } from "./crm.js";
import { error, json, missingScopes, type SandboxResponse } from "./responses.js";
import { propertyJson } from "./seed.js";
import { recordJson, type ObjectState, type SandboxStore } from "./store.js";

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  caller: Caller;
  store: SandboxStore;
  tier: "starter" | "professional" | "enterprise";
  count: (route: string) => void;
}

/** The scopes each kind of access to an object needs; any one of a list will do (HubSpot's OpenAPI `security`). */
function scopesFor(state: ObjectState, use: "read" | "write" | "schema"): string[] {
  const name = state.definition.custom ? "custom" : state.definition.name;
  const base = use === "write" ? [`crm.objects.${name}.write`] : [`crm.objects.${name}.read`];
  if (name === "products") base.push("e-commerce");
  if (use === "schema" && name !== "products") base.unshift(`crm.schemas.${name}.read`);
  return base;
}

const OBJECT_PATH = /^\/crm\/(?:v3\/objects|objects\/2026-0[39])\/([^/]+)(?:\/(.+))?$/;

export function routeApi(request: ApiRequest): SandboxResponse | undefined {
  const { method, path, store, caller } = request;
  const allowed = (scopes: string[]) => scopes.some((scope) => caller.scopes.has(scope));
  const notEnterprise = () =>
    error(
      403,
      "FORBIDDEN",
      `Portal ${store.portalId} does not have access to custom objects: they require an Enterprise subscription.`,
    );

  if (method === "GET" && path === "/account-info/v3/details") {
    request.count("account");
    return json(200, {
      portalId: store.portalId,
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

  const propertiesMatch = /^\/crm\/v3\/properties\/([^/]+)$/.exec(path);
  if (method === "GET" && propertiesMatch) {
    request.count("properties");
    const state = store.resolve(decodeURIComponent(propertiesMatch[1] as string));
    if (!state)
      return error(400, "VALIDATION_ERROR", `Unable to infer object type from: ${propertiesMatch[1]}`);
    if (state.definition.custom && request.tier !== "enterprise") return notEnterprise();
    if (!allowed(scopesFor(state, "schema"))) return missingScopes(scopesFor(state, "schema"));
    return json(200, {
      results: state.definition.properties.map((property) => propertyJson(property, store.portalId)),
    });
  }

  if (method === "GET" && (path === "/crm/v3/schemas" || path === "/crm-object-schemas/v3/schemas")) {
    request.count("schemas");
    if (request.tier !== "enterprise") return notEnterprise();
    if (!caller.scopes.has("crm.schemas.custom.read")) return missingScopes(["crm.schemas.custom.read"]);
    return json(200, {
      results: store.objects
        .filter((state) => state.definition.custom)
        .map((state) => schemaJson(state, store.portalId)),
    });
  }

  if (path.startsWith("/events/v3/")) return routeEvents(request);

  const objectMatch = OBJECT_PATH.exec(path);
  if (!objectMatch) return undefined;
  const state = store.resolve(decodeURIComponent(objectMatch[1] as string));
  if (!state) return error(400, "VALIDATION_ERROR", `Unable to infer object type from: ${objectMatch[1]}`);
  if (state.definition.custom && request.tier !== "enterprise") return notEnterprise();
  const action = objectMatch[2];
  const use = method === "GET" || action === "batch/read" ? "read" : "write";
  if (!allowed(scopesFor(state, use))) return missingScopes(scopesFor(state, use));

  if (method === "POST" && action?.startsWith("batch/")) {
    const operation = action.slice("batch/".length);
    request.count(operation);
    switch (operation) {
      case "upsert":
      case "update":
        return upsertOrUpdate(store, state, request.body, operation);
      case "read":
        return batchRead(state, store, request.body);
      case "archive":
        return batchArchive(state, store, request.body);
      case "create":
        return batchCreate(store, state, request.body);
      default:
        return undefined;
    }
  }
  if (method === "GET" && action && !action.includes("/")) {
    request.count("get");
    const idProperty = request.query.get("idProperty") ?? undefined;
    const record = store.lookup(state, decodeURIComponent(action), idProperty);
    return record ? json(200, recordJson(record)) : error(404, "OBJECT_NOT_FOUND", "Object not found.");
  }
  return undefined;
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
    archived: false,
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
}

/** Event definitions and sends; custom events need an Enterprise hub (hubspot-api-notes §5.5). */
function routeEvents(request: ApiRequest): SandboxResponse | undefined {
  const { method, path, store, caller } = request;
  const events = store.events;
  if (request.tier !== "enterprise") {
    return error(
      403,
      "FORBIDDEN",
      `Portal ${store.portalId} does not have access to custom behavioral events: they require an Enterprise subscription.`,
    );
  }
  if (method === "POST" && (path === "/events/v3/send" || path === "/events/v3/send/batch")) {
    request.count(path.endsWith("batch") ? "events-batch" : "events-send");
    if (!caller.scopes.has("analytics.behavioral_events.send"))
      return missingScopes(["analytics.behavioral_events.send"]);
    const body = request.body as { inputs?: unknown } | undefined;
    if (path.endsWith("batch")) {
      if (!Array.isArray(body?.inputs))
        return error(400, undefined, 'Invalid input JSON on line 1, column 1: field "inputs" is required');
      return events.send(body.inputs);
    }
    return events.send([body]);
  }
  const definitions = "/events/v3/event-definitions";
  if (!path.startsWith(definitions)) return undefined;
  request.count("event-definitions");
  if (!caller.scopes.has("behavioral_events.event_definitions.read_write")) {
    return missingScopes(["behavioral_events.event_definitions.read_write"]);
  }
  const rest = path.slice(definitions.length).split("/").filter(Boolean).map(decodeURIComponent);
  if (rest.length === 0)
    return method === "GET"
      ? events.listDefinitions()
      : method === "POST"
        ? events.createDefinition(request.body)
        : undefined;
  if (rest.length === 1 && method === "GET") return events.getDefinition(rest[0] as string);
  if (rest.length === 2 && rest[1] === "property" && method === "POST")
    return events.addProperty(rest[0] as string, request.body);
  return undefined;
}
