/**
 * The single-record object endpoints (S-OBJ; D-OBJ "Retrieve", "Create", "Update", "Delete records"):
 * - `POST …/{type}` `{properties, associations?}` → 201 the record; a bad value, a missing required property or a
 *   unique value another record holds is a 400, an email another contact holds a 409 (collisions.ts);
 *   `associations` link it at once (record-associations.ts);
 * - `GET …/{type}/{id}` with `properties`, `propertiesWithHistory`, `associations`, `idProperty`, `archived` → the
 *   record (for an id merged away, the record it was merged into, under its own id), or 404. List parameters come
 *   repeated or comma-separated (query.ts);
 * - `PATCH …/{type}/{id}` with `idProperty` → 200 the record; no properties is HubSpot's 400 ("No properties found
 *   to update, please provide at least one.", hubspot-api-ruby#121); the id of a record merged away updates the
 *   record it was merged into;
 * - `DELETE …/{type}/{id}` → 204, found or not (as batch archive ignores unknown ids); an id merged away is
 *   refused;
 * - `GET …/{type}` with `limit` (default 10, at most 100), `after` (the id of the next record), `archived` and the
 *   read parameters above → `{results, paging.next.after}` in record-id order.
 * Each answers the same on every version.
 */
import { randomUUID } from "node:crypto";
import { collisionOf } from "./collisions.js";
import { mergedIdsRefusal } from "./crm-inputs.js";
import { inputError, ledgerKey, planCreate, type WriteContext } from "./crm.js";
import { HISTORY_BATCH_LIMIT } from "./history.js";
import { flagParam, listParam } from "./query.js";
import { associationTargets, makeLinks } from "./record-associations.js";
import { type ReadRequest, recordJson, viewRecord } from "./record-views.js";
import { error, json, noContent, type SandboxResponse } from "./responses.js";
import type { StoredRecord } from "./types.js";
import { storedProperties } from "./values.js";

const MAX_PAGE = 100;
const DEFAULT_PAGE = 10;

const propertiesOf = (body: unknown) => (body as { properties?: unknown } | undefined)?.properties;

const objectNotFound = () =>
  error(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.");

const badFlag = (name: string, value: string | null) =>
  error(400, "VALIDATION_ERROR", `${name} must be true or false, not ${value}`);

/** What a read asks for in its query, or the answer for an object it names that the sandbox cannot give. */
export function readRequestOf(context: WriteContext, query: URLSearchParams): ReadRequest | SandboxResponse {
  const associations = associationTargets(context.store, listParam(query, "associations"));
  if (!Array.isArray(associations)) return associations;
  return {
    properties: listParam(query, "properties"),
    propertiesWithHistory: listParam(query, "propertiesWithHistory"),
    associations,
  };
}

export function createRecord(context: WriteContext, body: unknown): SandboxResponse {
  const { store, state } = context;
  const properties = propertiesOf(body);
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) {
    return error(400, undefined, 'Invalid input JSON on line 1, column 1: field "properties" is required');
  }
  context.countInputs(1);
  const associations = (body as { associations?: unknown }).associations;
  const plan = planCreate(context, { properties, associations }, "input #0", new Map());
  if ("status" in plan) return plan;
  if (plan.problem || !plan.stored)
    return json(400, { ...plan.problem?.(undefined), correlationId: randomUUID() });
  const record = store.create(state, plan.stored);
  makeLinks(store, state, record.id, plan.links ?? []);
  return json(201, recordJson(record));
}

export function readRecord(context: WriteContext, id: string, query: URLSearchParams): SandboxResponse {
  context.countInputs(1);
  const read = readRequestOf(context, query);
  if (!("properties" in read)) return read;
  const archived = flagParam(query, "archived");
  if (archived === undefined) return badFlag("archived", query.get("archived"));
  const record = find(context, id, query.get("idProperty") ?? undefined, archived);
  if (!record) return objectNotFound();
  return json(200, viewRecord(context.store, context.state, record, read));
}

export function updateRecord(
  context: WriteContext,
  id: string,
  query: URLSearchParams,
  body: unknown,
): SandboxResponse {
  const { store, state } = context;
  const properties = propertiesOf(body);
  context.countInputs(1);
  const idProperty = query.get("idProperty") ?? undefined;
  store.ledger.receive(state.definition.name, ledgerKey(normalizeKey(context, id, idProperty), idProperty));
  if (typeof properties !== "object" || properties === null || Object.keys(properties).length === 0) {
    return error(400, "VALIDATION_ERROR", "No properties found to update, please provide at least one.", {
      context: { properties: ["{}"] },
    });
  }
  // "You can use the previous record ID values stored in the hs_merged_object_ids field to update a record using
  // the basic update endpoint" (D-OBJ, "Update records").
  const record = store.lookupFollowing(state, normalizeKey(context, id, idProperty), idProperty);
  if (!record) return objectNotFound();
  const problem = inputError(context, properties as Record<string, unknown>, false, record);
  if (problem) return json(400, { ...problem(undefined), correlationId: randomUUID() });
  const stored = storedProperties(state, properties as Record<string, unknown>, record.properties);
  const collision = collisionOf(store, state, record, stored, record.id, new Map());
  if (collision && "status" in collision) return collision;
  if (collision) return json(400, { ...collision(undefined), correlationId: randomUUID() });
  store.update(state, record, stored);
  return json(200, recordJson(record));
}

export function archiveRecord(context: WriteContext, id: string): SandboxResponse {
  const { store, state } = context;
  context.countInputs(1);
  store.ledger.receive(state.definition.name, ledgerKey(id));
  const record = store.lookup(state, id, undefined);
  if (!record && state.merged.has(id)) return mergedIdsRefusal(state, [id]);
  if (record) store.archive(state, record);
  return noContent();
}

export function listRecords(context: WriteContext, query: URLSearchParams): SandboxResponse {
  const { state, store } = context;
  const limit = query.has("limit") ? Number(query.get("limit")) : DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    return error(
      400,
      "VALIDATION_ERROR",
      `limit must be a whole number from 1 to ${MAX_PAGE}, not ${query.get("limit")}`,
    );
  }
  const read = readRequestOf(context, query);
  if (!("properties" in read)) return read;
  const archived = flagParam(query, "archived");
  if (archived === undefined) return badFlag("archived", query.get("archived"));
  // The cursor is the id of the next record, as the sandbox hands it out: anything else is refused, as the
  // memberships and associations pages refuse theirs, rather than answered with an empty page.
  const afterText = query.get("after") ?? "0";
  if (!/^\d+$/.test(afterText)) return error(400, "VALIDATION_ERROR", `Invalid paging cursor: ${afterText}`);
  const after = Number(afterText);
  // "Usage of this parameter will reduce the maximum number of objects that can be read by a single request"
  // (propertiesWithHistory, S-OBJ); HubSpot's figure for batch reads is 50 (history.ts), taken here for pages too.
  const size = read.propertiesWithHistory.length > 0 ? Math.min(limit, HISTORY_BATCH_LIMIT) : limit;
  const matching = [...state.records.values()]
    .filter((record) => record.archived === archived && Number(record.id) >= after)
    .sort((a, b) => Number(a.id) - Number(b.id));
  const page = matching.slice(0, size);
  context.countInputs(page.length);
  const next = matching[size];
  return json(200, {
    results: page.map((record) => viewRecord(store, state, record, read)),
    ...(next ? { paging: { next: { after: next.id, link: `?limit=${limit}&after=${next.id}` } } } : {}),
  });
}

function find(
  context: WriteContext,
  id: string,
  idProperty: string | undefined,
  archived: boolean,
): StoredRecord | undefined {
  const { store, state } = context;
  if (archived) return idProperty ? undefined : store.lookupArchived(state, id);
  return store.lookupFollowing(state, normalizeKey(context, id, idProperty), idProperty);
}

/** Contacts' emails are matched lower-cased, as they are stored. */
function normalizeKey(context: WriteContext, id: string, idProperty: string | undefined): string {
  return context.state.definition.name === "contacts" && idProperty === "email"
    ? id.trim().toLowerCase()
    : id;
}
