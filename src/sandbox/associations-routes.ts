/**
 * The associations family's router, offered each authenticated request before the CRM routes:
 *
 * 1. Parse the path (associations-paths.ts); not an associations path → undefined, a route or version the sandbox
 *    does not serve → 501.
 * 2. Resolve both objects (names for contacts, companies and deals; type ids for the rest), refuse custom objects
 *    on portals below Enterprise, and check scopes: a read needs a read scope of each object, a write a write
 *    scope of each (HubSpot accepts any one object scope; holding both is the safe reading, §13.4).
 * 3. Hand the pair to the labels, batch or record handler.
 */
import { batchArchive, batchCreate, batchDefault, batchRead } from "./associations-batch.js";
import type { PairContext } from "./associations-bodies.js";
import {
  type AssociationRoute,
  notImplemented,
  parseAssociationPath,
  resolveAssociationObject,
} from "./associations-paths.js";
import type { LinkRequest } from "./requests.js";
import { deletePair, listPairs, putDefault, putLabelled } from "./associations-records.js";
import { typeJson } from "./associations-types.js";
import { error, json, missingScopes, noContent, type SandboxResponse } from "./responses.js";
import type { ObjectState } from "./store.js";

/** Answers an associations request, or undefined when the path is not in the associations family. */
export function routeAssociations(request: LinkRequest): SandboxResponse | undefined {
  const route = parseAssociationPath(request.path);
  if (!route) return undefined;
  const { method, path } = request;
  const unserved = () => notImplemented(method, path);
  switch (route.kind) {
    case "unimplemented":
      return notImplemented(method, path, route.reason);
    case "labels":
      return routeLabels(request, route);
    case "batch": {
      const handlers: Record<string, (ctx: PairContext) => SandboxResponse> = {
        create: (ctx) => batchCreate(ctx, request.body),
        "associate/default": (ctx) => withDefinition(ctx, () => batchDefault(ctx, request.body)),
        read: (ctx) => batchRead(ctx, request.body),
        archive: (ctx) => batchArchive(ctx, request.body, false),
        "labels/archive": (ctx) => batchArchive(ctx, request.body, true),
      };
      const handler = method === "POST" ? handlers[route.operation] : undefined;
      if (!handler) return unserved();
      request.count(`associations-batch-${route.operation.replace("/", "-")}`);
      const ctx = pairOf(request, route, route.from, route.to, route.operation === "read" ? "read" : "write");
      return isPair(ctx) ? handler(ctx) : ctx;
    }
    case "record":
      return routeRecord(request, route);
  }
}

function routeLabels(request: LinkRequest, route: Extract<AssociationRoute, { kind: "labels" }>) {
  const { method } = request;
  const known = route.typeId === undefined ? ["GET", "POST", "PUT"].includes(method) : method === "DELETE";
  if (!known) return notImplemented(method, request.path);
  request.count("associations-labels");
  const ctx = pairOf(request, route, route.from, route.to, method === "GET" ? "read" : "write");
  if (!isPair(ctx)) return ctx;
  const [from, to] = [ctx.from.definition.objectTypeId, ctx.to.definition.objectTypeId];
  const types = ctx.links.types;
  switch (method) {
    case "GET":
      return json(200, { results: types.between(from, to).map(typeJson) });
    case "POST": {
      const created = types.createLabel(from, to, request.body);
      return Array.isArray(created) ? json(200, { results: created.map(typeJson) }) : created;
    }
    case "PUT":
      return types.updateLabel(from, to, request.body) ?? noContent();
    default:
      return types.deleteLabel(from, to, Number(route.typeId), (id) => ctx.links.inUse(id)) ?? noContent();
  }
}

/** The one-record routes: `[toType]` read, `[toType, toId]` write or delete, `[default, toType, toId]` link. */
function recordRoute(method: string, rest: string[]) {
  // Segments are non-empty, so a length check is enough to know they are there.
  const [first, second, third] = rest as [string, string, string];
  if (method === "PUT" && rest.length === 3 && first === "default") {
    return { shape: "put-default", toType: second, toId: third } as const;
  }
  if ((method === "PUT" || method === "DELETE") && rest.length === 2) {
    return { shape: method === "PUT" ? "put" : "delete", toType: first, toId: second } as const;
  }
  if (method === "GET" && rest.length === 1) return { shape: "get", toType: first, toId: "" } as const;
  return undefined;
}

function routeRecord(request: LinkRequest, route: Extract<AssociationRoute, { kind: "record" }>) {
  const target = recordRoute(request.method, route.rest);
  if (!target) return notImplemented(request.method, request.path);
  request.count(`associations-record-${target.shape}`);
  const use = target.shape === "get" ? "read" : "write";
  const ctx = pairOf(request, route, route.from, target.toType, use);
  if (!isPair(ctx)) return ctx;
  const { fromId } = route;
  switch (target.shape) {
    case "put-default":
      return withDefinition(ctx, () => putDefault(ctx, fromId, target.toId));
    case "put":
      return putLabelled(ctx, fromId, target.toId, request.body);
    case "delete":
      return deletePair(ctx, fromId, target.toId);
    default:
      return listPairs(ctx, fromId, request.query);
  }
}

const isPair = (value: PairContext | SandboxResponse): value is PairContext => "links" in value;

/** The pair's objects and the portal's associations, or HubSpot's refusal (unknown object, tier, scopes). */
function pairOf(
  request: LinkRequest,
  route: { version: PairContext["version"] },
  fromSegment: string,
  toSegment: string,
  use: "read" | "write",
): PairContext | SandboxResponse {
  const from = resolveAssociationObject(request.store, fromSegment);
  if (!("definition" in from)) return from;
  const to = resolveAssociationObject(request.store, toSegment);
  if (!("definition" in to)) return to;
  if ((from.definition.custom || to.definition.custom) && request.tier !== "enterprise") {
    return error(
      403,
      "FORBIDDEN",
      `Portal ${request.store.portalId} does not have access to custom objects: they require an Enterprise subscription.`,
    );
  }
  const missing = [from, to]
    .map((state) => objectScopes(state, use))
    .filter((scopes) => !scopes.some((scope) => request.caller.scopes.has(scope)));
  if (missing.length > 0) return missingScopes([...new Set(missing.flat())]);
  return { links: request.store.associations, version: route.version, from, to };
}

/** The scopes that give `use` access to an object's records; any one of them will do (the object's policy). */
function objectScopes(state: ObjectState, use: "read" | "write"): string[] {
  return [...state.definition.policy.scopes[use]];
}

/** A default link needs the pair to have an association definition at all (the error is inferred). */
function withDefinition(ctx: PairContext, then: () => SandboxResponse): SandboxResponse {
  const [from, to] = [ctx.from.definition, ctx.to.definition];
  if (ctx.links.types.unlabeled(from.objectTypeId, to.objectTypeId)) return then();
  return error(400, "VALIDATION_ERROR", `No association type is defined between ${from.name} and ${to.name}`);
}
