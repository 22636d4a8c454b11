/**
 * List memberships (S-LISTS, https://developers.hubspot.com/docs/api-reference/latest/crm/lists/guide):
 * - `PUT …/memberships/add` and `…/remove` take a JSON array of record ids, `…/add-and-remove` takes
 *   `{recordIdsToAdd, recordIdsToRemove}` (both required); each answers 200 `{recordsIdsAdded, recordIdsRemoved,
 *   recordIdsMissing}`, keeping HubSpot's spelling `recordsIdsAdded`. Ids of records that do not exist come back
 *   in `recordIdsMissing`; members added again and non-members removed are ignored.
 * - DYNAMIC lists refuse these writes: their filters decide (the error's shape is not documented; 400 inferred).
 * - `DELETE …/memberships` empties a MANUAL or SNAPSHOT list "that has less than 100,000 memberships".
 * - `GET …/memberships?after=&before=&limit=`: ascending record ids (descending with only `before`), `limit` at most
 *   250 (default 100).
 * - The sandbox refuses an add that would take a list past `maxMembers`, and requests carrying more than
 *   `maxIdsPerRequest` ids (neither error is documented; both inferred).
 */
import { compareIds, decodeCursor, encodeCursor } from "./ids.js";
import { requiredFields } from "./associations-types.js";
import type { ListStore, StoredList } from "./lists-store.js";
import { error, json, noContent, type SandboxResponse } from "./responses.js";

/** `GET …/memberships` page sizes (S-LISTS: default 100, "The maximum `limit` is 250"). */
export const MEMBERSHIP_PAGE = { max: 250, default: 100 } as const;
/** Lists `DELETE …/memberships` can empty: fewer members than this (S-LISTS). */
export const CLEAR_LIMIT = 100_000;

const dynamicRefusal = (list: StoredList) =>
  error(
    400,
    "VALIDATION_ERROR",
    `List ${list.listId} is a DYNAMIC list: its memberships follow its filters and cannot be changed through the memberships API. Edit its filters or the records instead.`,
  );

const idList = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((id) => typeof id === "string" || typeof id === "number")
    ? value.map(String)
    : undefined;

/** `PUT …/memberships/add`, `…/remove` and `…/add-and-remove`. */
export function changeMembers(
  lists: ListStore,
  list: StoredList,
  kind: "add" | "remove" | "add-and-remove",
  body: unknown,
): SandboxResponse {
  let toAdd: string[] | undefined = [];
  let toRemove: string[] | undefined = [];
  if (kind === "add-and-remove") {
    const request = (body ?? {}) as { recordIdsToAdd?: unknown; recordIdsToRemove?: unknown };
    const missing = ["recordIdsToAdd", "recordIdsToRemove"].filter(
      (field) => request[field as "recordIdsToAdd"] === undefined,
    );
    if (missing.length > 0) return requiredFields(missing);
    [toAdd, toRemove] = [idList(request.recordIdsToAdd), idList(request.recordIdsToRemove)];
  } else if (kind === "add") toAdd = idList(body);
  else toRemove = idList(body);
  if (!toAdd || !toRemove) {
    return error(
      400,
      "VALIDATION_ERROR",
      "Invalid input JSON on line 1, column 1: expected an array of record ids",
    );
  }
  if (list.processingType === "DYNAMIC") return dynamicRefusal(list);
  const cap = lists.options.maxIdsPerRequest;
  if (toAdd.length > cap || toRemove.length > cap) {
    return error(400, "VALIDATION_ERROR", `A request may add or remove at most ${cap} records at a time`);
  }
  const change = lists.change(list, toAdd, toRemove);
  if (!change) {
    return error(
      400,
      "VALIDATION_ERROR",
      `List ${list.listId} can hold at most ${lists.options.maxMembers} records; this request would take it past that`,
    );
  }
  return json(200, {
    recordsIdsAdded: change.added,
    recordIdsRemoved: change.removed,
    recordIdsMissing: change.missing,
  });
}

/** `DELETE …/memberships`. */
export function clearMembers(lists: ListStore, list: StoredList): SandboxResponse {
  if (list.processingType === "DYNAMIC") return dynamicRefusal(list);
  if (lists.membersOf(list.listId).length >= CLEAR_LIMIT) {
    return error(
      400,
      "VALIDATION_ERROR",
      `Only lists with fewer than ${CLEAR_LIMIT} memberships can be emptied at once; remove records in batches instead`,
    );
  }
  lists.clear(list);
  return noContent();
}

/** `GET …/memberships`. */
export function readMembers(lists: ListStore, list: StoredList, query: URLSearchParams): SandboxResponse {
  const limitText = query.get("limit");
  const limit = limitText === null ? MEMBERSHIP_PAGE.default : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MEMBERSHIP_PAGE.max) {
    return error(400, "VALIDATION_ERROR", `limit must be a whole number from 1 to ${MEMBERSHIP_PAGE.max}`);
  }
  const [afterText, beforeText] = [query.get("after"), query.get("before")];
  // `after` wins when both are given (S-LISTS).
  const cursorText = afterText ?? beforeText;
  const cursor = cursorText === null ? undefined : decodeCursor(cursorText);
  if (cursorText !== null && cursor === undefined) {
    return error(400, "VALIDATION_ERROR", `Invalid paging cursor: ${cursorText}`);
  }
  const members = lists.membersOf(list.listId);
  const backwards = afterText === null && beforeText !== null;
  const candidates = backwards
    ? members.filter((id) => compareIds(id, cursor as string) < 0).reverse()
    : members.filter((id) => cursor === undefined || compareIds(id, cursor) > 0);
  const page = candidates.slice(0, limit);
  const more = candidates.length > page.length;
  const last = page.at(-1);
  const paging =
    more && last !== undefined
      ? backwards
        ? { prev: { before: encodeCursor(last) } }
        : { next: { after: encodeCursor(last) } }
      : undefined;
  return json(200, {
    results: page.map((recordId) => ({ recordId, membershipTimestamp: lists.joinedAt(list, recordId) })),
    ...(paging ? { paging } : {}),
    total: members.length,
  });
}
