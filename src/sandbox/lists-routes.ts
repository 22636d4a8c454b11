/**
 * The lists family's router (`/crm/v3/lists…` and `/crm/lists/{date}…`, the same on every version: S-LISTS,
 * S-LISTS26), offered each authenticated request before the CRM routes:
 *
 * 1. Parse the path; not a lists path → undefined; a route or version the sandbox does not serve → 501.
 * 2. Check scopes as the spec's `security` lists them: reads need `crm.lists.read`; creating a list needs
 *    `crm.lists.write`; every other write needs `crm.lists.read` together with `crm.lists.write` (§12.1).
 * 3. Definitions (create, get by id or name, multi-get, search, delete, restore) are handled here, memberships in
 *    lists-memberships.ts.
 */
import { notImplemented, parseListsPath } from "./associations-paths.js";
import type { LinkRequest } from "./requests.js";
import { listJson, searchLists } from "./lists-search.js";
import { clearMembers, changeMembers, readMembers } from "./lists-memberships.js";
import { PROCESSING_TYPES, type ProcessingType, RESTORE_WINDOW_MS, type StoredList } from "./lists-store.js";
import { requiredFields } from "./associations-types.js";
import { error, json, missingScopes, noContent, type SandboxResponse } from "./responses.js";

/** What each kind of call needs: every inner list is one way to be allowed (S-LISTS `security`). */
const SCOPES = {
  read: [["crm.lists.read"]],
  create: [["crm.lists.write"], ["cms.membership.access_groups.write"]],
  write: [
    ["crm.lists.read", "crm.lists.write"],
    ["crm.lists.read", "cms.membership.access_groups.write"],
  ],
} as const;

/** First path segments that are lists routes the sandbox does not implement, never list ids. */
const UNSERVED = new Set(["folders", "idmapping", "records", "all"]);

type Handler = { use: keyof typeof SCOPES; run: () => SandboxResponse };

/** Answers a lists request, or undefined when the path is not in the lists family. */
export function routeLists(request: LinkRequest): SandboxResponse | undefined {
  const parsed = parseListsPath(request.path);
  if (!parsed) return undefined;
  if ("kind" in parsed) return notImplemented(request.method, request.path, parsed.reason);
  const handler = handlerFor(request, parsed.rest);
  if (!handler) return notImplemented(request.method, request.path);
  request.count(parsed.rest[1] === "memberships" ? "lists-memberships" : "lists");
  const allowed = SCOPES[handler.use].some((scopes) =>
    scopes.every((scope) => request.caller.scopes.has(scope)),
  );
  if (!allowed) return missingScopes(SCOPES[handler.use][0]);
  return handler.run();
}

function handlerFor(request: LinkRequest, rest: string[]): Handler | undefined {
  const [first, ...after] = rest;
  if (first === undefined || first === "search" || first === "object-type-id")
    return collectionHandler(request, rest);
  return UNSERVED.has(first) ? undefined : listHandler(request, first, after);
}

/** Routes on the lists themselves: create, multi-get, search, get by name. */
function collectionHandler(request: LinkRequest, rest: string[]): Handler | undefined {
  const { method, store, query } = request;
  const lists = store.lists;
  const includeFilters = query.get("includeFilters") === "true";
  const [first, objectTypeId, third, name] = rest;
  if (first === undefined && method === "POST") return { use: "create", run: () => createList(request) };
  if (first === undefined && method === "GET") {
    const run = () => {
      const found = query.getAll("listIds").map((id) => live(lists.byId(id)));
      const shown = found.filter((list) => list !== undefined);
      return json(200, { lists: shown.map((list) => listJson(lists, list, includeFilters)) });
    };
    return { use: "read", run };
  }
  if (first === "search" && rest.length === 1 && method === "POST") {
    return { use: "read", run: () => searchLists(lists, request.body) };
  }
  if (first === "object-type-id" && third === "name" && rest.length === 4 && method === "GET") {
    const run = () => {
      const list = lists.byName(name as string, objectTypeId);
      return list ? json(200, { list: listJson(lists, list, includeFilters) }) : missingList(`${name}`);
    };
    return { use: "read", run };
  }
  return undefined;
}

/** Routes on one list: get, delete, restore, and its memberships. */
function listHandler(request: LinkRequest, listId: string, rest: string[]): Handler | undefined {
  const { method, store, query } = request;
  const lists = store.lists;
  const list = lists.byId(listId);
  const withList = (then: (list: StoredList) => SandboxResponse) => () => {
    const shown = live(list);
    return shown ? then(shown) : missingList(listId);
  };
  const [first, action] = rest;
  const includeFilters = query.get("includeFilters") === "true";
  if (rest.length === 0 && method === "GET") {
    return {
      use: "read",
      run: withList((shown) => json(200, { list: listJson(lists, shown, includeFilters) })),
    };
  }
  if (rest.length === 0 && method === "DELETE") return { use: "write", run: () => deleteList(list, listId) };
  if (rest.length === 1 && first === "restore" && method === "PUT") {
    return { use: "write", run: () => restoreList(request, list, listId) };
  }
  if (first !== "memberships") return undefined;
  if (rest.length === 1 && method === "GET")
    return { use: "read", run: withList((l) => readMembers(lists, l, query)) };
  if (rest.length === 1 && method === "DELETE")
    return { use: "write", run: withList((l) => clearMembers(lists, l)) };
  const change = action === "add" || action === "remove" || action === "add-and-remove" ? action : undefined;
  if (rest.length === 2 && change && method === "PUT") {
    return { use: "write", run: withList((l) => changeMembers(lists, l, change, request.body)) };
  }
  return undefined;
}

const live = (list: StoredList | undefined) => (list && list.deletedAt === undefined ? list : undefined);

/** A list that does not exist (the status is not documented: 404 inferred, §12.2). */
const missingList = (id: string) => error(404, "OBJECT_NOT_FOUND", `List ${id} does not exist`);

/** Objects a portal can list: contacts, companies, deals, and custom objects on Enterprise (inferred, §12.4). */
const LISTABLE = new Set(["0-1", "0-2", "0-3"]);

function createList(request: LinkRequest): SandboxResponse {
  const { store, tier } = request;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const missing = ["name", "objectTypeId", "processingType"].filter(
    (field) => typeof body[field] !== "string",
  );
  if (missing.length > 0) return requiredFields(missing);
  const [name, objectTypeId, processingType] = [
    body.name,
    body.objectTypeId,
    body.processingType,
  ] as string[];
  if (!(PROCESSING_TYPES as readonly string[]).includes(processingType as string)) {
    return error(
      400,
      "VALIDATION_ERROR",
      `${processingType} is not a processing type: use MANUAL, DYNAMIC or SNAPSHOT`,
      {
        subCategory: "INVALID_PROCESSING_TYPE",
      },
    );
  }
  const state = store.resolve(objectTypeId as string);
  const listable =
    state !== undefined &&
    state.definition.objectTypeId === objectTypeId &&
    (LISTABLE.has(objectTypeId) || (state.definition.custom && tier === "enterprise"));
  if (!listable) {
    return error(
      400,
      "VALIDATION_ERROR",
      `The objectTypeId ${objectTypeId} provided for the list is not valid for this portal.`,
      {
        subCategory: "ListError.INVALID_OBJECT_TYPE_FOR_LIST",
      },
    );
  }
  // DYNAMIC and SNAPSHOT lists are defined by their filters (D-LISTS); one without them has no members to compute.
  // HubSpot's answer is not documented: the sandbox refuses with a 400 rather than make a list with no filters.
  if (processingType !== "MANUAL" && (body.filterBranch === undefined || body.filterBranch === null)) {
    return error(
      400,
      "VALIDATION_ERROR",
      `A ${processingType} list needs a filterBranch: its filters decide its members.`,
    );
  }
  if ((name as string).trim() === "") return error(400, "VALIDATION_ERROR", "A list name may not be empty");
  if (store.lists.byName(name as string)) return duplicateName(name as string);
  const list = store.lists.create({
    name: name as string,
    objectTypeId: objectTypeId as string,
    processingType: processingType as ProcessingType,
    filterBranch: body.filterBranch,
  });
  // HubSpot answers a create with 200, not 201 (S-LISTS, D-LISTS).
  return json(200, { list: listJson(store.lists, list, true) });
}

/** Segment's HubSpot destination matches this subCategory for a taken name; the status is inferred (§12.2). */
const duplicateName = (name: string) =>
  error(
    400,
    "VALIDATION_ERROR",
    `A list named ${name} already exists; list names must be unique in the portal`,
    {
      subCategory: "ILS.DUPLICATE_LIST_NAMES",
    },
  );

function deleteList(list: StoredList | undefined, id: string): SandboxResponse {
  const shown = live(list);
  if (!shown) return missingList(id);
  shown.deletedAt = Date.now();
  return noContent();
}

/** `PUT …/restore`: within 90 days of the delete; later the list is purged, so it no longer exists. */
function restoreList(request: LinkRequest, list: StoredList | undefined, id: string): SandboxResponse {
  if (!list || (list.deletedAt !== undefined && Date.now() - list.deletedAt > RESTORE_WINDOW_MS)) {
    return missingList(id);
  }
  if (list.deletedAt === undefined) return error(400, "VALIDATION_ERROR", `List ${id} is not deleted`);
  if (request.store.lists.byName(list.name)) return duplicateName(list.name);
  delete list.deletedAt;
  list.updatedAt = new Date().toISOString();
  return noContent();
}
