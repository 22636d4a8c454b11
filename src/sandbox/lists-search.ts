/**
 * How lists look on the wire (`PublicObjectList`, S-LISTS) and `POST …/lists/search`: offset paging, `count` at most
 * 500 (default 20), a name query (substring, any case), `processingTypes`, `listIds` and `objectTypeId` filters.
 * Hits carry string-valued `additionalProperties`: `hs_list_size` and `hs_list_reference_count` always, the last
 * add and remove times when there are any (D-LISTS).
 */
import { PROCESSING_TYPES, type ListStore, type StoredList } from "./lists-store.js";
import { error, json, type SandboxResponse } from "./responses.js";

/** HubSpot's cap and default for `count` (S-LISTS `ListSearchRequest`). */
export const SEARCH_COUNT = { max: 500, default: 20 } as const;

/** A list as get, create and multi-get show it; filters only when asked for (`includeFilters=true`). */
export function listJson(
  lists: ListStore,
  list: StoredList,
  includeFilters: boolean,
): Record<string, unknown> {
  return {
    ...summary(list),
    size: lists.membersOf(list.listId).length,
    listPermissions: { teamsWithEditAccess: [], usersWithEditAccess: [] },
    ...(includeFilters && list.filterBranch !== undefined ? { filterBranch: list.filterBranch } : {}),
  };
}

function summary(list: StoredList) {
  return {
    listId: list.listId,
    listVersion: list.listVersion,
    createdAt: list.createdAt,
    updatedAt: list.updatedAt,
    filtersUpdatedAt: list.filtersUpdatedAt,
    processingStatus: list.processingStatus,
    createdById: list.createdById,
    updatedById: list.createdById,
    processingType: list.processingType,
    objectTypeId: list.objectTypeId,
    name: list.name,
  };
}

interface SearchRequest {
  query?: unknown;
  processingTypes?: unknown;
  listIds?: unknown;
  objectTypeId?: unknown;
  offset?: unknown;
  count?: unknown;
}

/** `POST …/lists/search`. */
export function searchLists(lists: ListStore, body: unknown): SandboxResponse {
  const request = (body ?? {}) as SearchRequest;
  const offset = request.offset === undefined ? 0 : Number(request.offset);
  const count = request.count === undefined ? SEARCH_COUNT.default : Number(request.count);
  if (!Number.isInteger(offset) || offset < 0) {
    return error(400, "VALIDATION_ERROR", "offset must be a whole number, 0 or more");
  }
  if (!Number.isInteger(count) || count < 1 || count > SEARCH_COUNT.max) {
    return error(400, "VALIDATION_ERROR", `count must be a whole number from 1 to ${SEARCH_COUNT.max}`);
  }
  const types = Array.isArray(request.processingTypes)
    ? (request.processingTypes as unknown[]).map(String)
    : [];
  const unknown = types.find((type) => !(PROCESSING_TYPES as readonly string[]).includes(type));
  if (unknown !== undefined) {
    return error(
      400,
      "VALIDATION_ERROR",
      `${unknown} is not a processing type: use MANUAL, DYNAMIC or SNAPSHOT`,
      {
        subCategory: "INVALID_PROCESSING_TYPE",
      },
    );
  }
  const query = typeof request.query === "string" ? request.query.toLowerCase() : "";
  // "If no value is provided, or if an empty list is provided, then the results will not be filtered" (S-LISTS).
  const ids =
    Array.isArray(request.listIds) && request.listIds.length > 0
      ? new Set((request.listIds as unknown[]).map(String))
      : undefined;
  const matches = lists
    .all()
    .filter((list) => list.name.toLowerCase().includes(query))
    .filter((list) => types.length === 0 || types.includes(list.processingType))
    .filter((list) => !ids || ids.has(list.listId))
    .filter((list) => typeof request.objectTypeId !== "string" || list.objectTypeId === request.objectTypeId);
  const page = matches.slice(offset, offset + count);
  return json(200, {
    lists: page.map((list) => ({
      ...summary(list),
      additionalProperties: additionalProperties(lists, list),
    })),
    offset: offset + page.length,
    hasMore: offset + page.length < matches.length,
    total: matches.length,
  });
}

function additionalProperties(lists: ListStore, list: StoredList): Record<string, string> {
  return {
    hs_list_size: String(lists.membersOf(list.listId).length),
    hs_list_reference_count: "0",
    ...(list.lastAddedAt === undefined ? {} : { hs_last_record_added_at: String(list.lastAddedAt) }),
    ...(list.lastRemovedAt === undefined ? {} : { hs_last_record_removed_at: String(list.lastRemovedAt) }),
  };
}
