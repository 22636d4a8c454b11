/**
 * One record's associations (S-ASSOC,
 * https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/guide):
 * - `PUT …/{type}/{id}/associations/{toType}/{toId}` with `[{associationCategory, associationTypeId}]` → 201
 *   `{fromObjectTypeId, fromObjectId, toObjectTypeId, toObjectId, labels}`; the labels replace the pair's labels;
 * - `PUT …/associations/default/{toType}/{toId}` (no body) → 200 with the batch shape of a default link;
 * - `DELETE …/associations/{toType}/{toId}` → 204, every type between the two;
 * - `GET …/associations/{toType}?limit=&after=` → 200 `{results:[{toObjectId, associationTypes}], paging?}`, at most
 *   500 per page (the spec's default and cap).
 * A record that does not exist is refused as HubSpot does (400 "One or more associations are invalid"); reading one
 * gives an empty page (inferred).
 */
import {
  batchBody,
  defaultResults,
  invalidObjects,
  labelsBetween,
  limitError,
  type PairContext,
  readItem,
  refusal,
} from "./associations-bodies.js";
import { resolveSpecs } from "./associations-batch.js";
import { compareIds, decodeCursor, encodeCursor } from "./ids.js";
import type { AssociationType } from "./associations-types.js";
import { requiredFields } from "./associations-types.js";
import { error, json, noContent, type SandboxResponse } from "./responses.js";

/** The page size cap of `GET …/associations/{toType}` (S-ASSOC: "Limit 500 per call", default 500). */
export const RECORD_PAGE_LIMIT = 500;

/** `PUT` with labels: replaces the pair's labels with the ones given. */
export function putLabelled(ctx: PairContext, fromId: string, toId: string, body: unknown): SandboxResponse {
  // hubspot-api-ruby#187 and hubspot-api-nodejs#307: HubSpot's answers to a missing body and to bare objects.
  if (body === undefined) {
    return error(400, "VALIDATION_ERROR", "Invalid JSON input: a request body was expected, but none found");
  }
  const types = resolveSpecs(ctx, body);
  if (types === undefined) return requiredFields(["associationCategory", "associationTypeId"]);
  ctx.links.countWrite("put", [ctx.from, fromId, ctx.to, toId]);
  const problem = invalidObjects(ctx, fromId, toId) ?? (Array.isArray(types) ? undefined : types);
  if (problem) return refusal(problem);
  const refused = ctx.links.replaceLabels(ctx.from, fromId, ctx.to, toId, types as AssociationType[]);
  if (refused) return refusal(limitError(refused.message, fromId, toId));
  return json(201, labelsBetween(ctx, fromId, toId));
}

/** `PUT …/default/…`: links the pair with its unlabeled type, keeping its labels. */
export function putDefault(ctx: PairContext, fromId: string, toId: string): SandboxResponse {
  const startedAt = new Date().toISOString();
  ctx.links.countWrite("putDefault", [ctx.from, fromId, ctx.to, toId]);
  const problem = invalidObjects(ctx, fromId, toId);
  if (problem) return refusal(problem);
  const refused = ctx.links.addDefault(ctx.from, fromId, ctx.to, toId);
  if (refused) return refusal(limitError(refused.message, fromId, toId));
  return json(200, batchBody(defaultResults(ctx, fromId, toId), [], startedAt));
}

/** `DELETE`: unlinks the pair; a pair that was not linked is not an error. */
export function deletePair(ctx: PairContext, fromId: string, toId: string): SandboxResponse {
  ctx.links.countWrite("delete", [ctx.from, fromId, ctx.to, toId]);
  ctx.links.removeAll(ctx.from, fromId, ctx.to, toId);
  return noContent();
}

/** `GET`: the record's links to one object, ascending by record id, paged with an opaque `after`. */
export function listPairs(ctx: PairContext, fromId: string, query: URLSearchParams): SandboxResponse {
  const limitText = query.get("limit");
  const limit = limitText === null ? RECORD_PAGE_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > RECORD_PAGE_LIMIT) {
    return error(400, "VALIDATION_ERROR", `limit must be a whole number from 1 to ${RECORD_PAGE_LIMIT}`);
  }
  const afterText = query.get("after");
  const after = afterText === null ? undefined : decodeCursor(afterText);
  if (afterText !== null && after === undefined) {
    return error(400, "VALIDATION_ERROR", `Invalid paging cursor: ${afterText}`);
  }
  const linked = ctx.links
    .linkedIds(ctx.from, fromId, ctx.to)
    .filter((toId) => after === undefined || compareIds(toId, after) > 0);
  const page = linked.slice(0, limit);
  return json(200, {
    results: page.map((toId) => readItem(ctx, fromId, toId)),
    ...(linked.length > page.length
      ? { paging: { next: { after: encodeCursor(page.at(-1) as string) } } }
      : {}),
  });
}
