/**
 * `POST …/objects/{type}/search` (`/crm/v3/objects/{type}/search`, `/crm/objects/{date}/{type}/search`; the SDK's
 * `searchApi.doSearch`), as HubSpot's search guide describes it
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm):
 *
 * 1. Read the body: `filterGroups` (at most 5 groups of at most 6 filters, 18 in all), `query` (at most 3,000
 *    characters), `sorts` (one `{propertyName, direction}`), `properties`, `limit` (default 10, at most 200) and
 *    `after` (an offset). A body outside these limits is a 400 VALIDATION_ERROR.
 * 2. Take the records search sees (search-index.ts: after `searchIndexLagMs`), keep those a group matches
 *    (search-filters.ts) and whose default searchable properties contain `query`, sort them (by id without
 *    `sorts`), and page them.
 * 3. "The search endpoints are limited to 10,000 total results for any given query. Attempting to page beyond
 *    10,000 will result in a 400 error": `after` at or past 10,000 is refused, and no page offers a cursor past it.
 * Each result shows the asked properties (`null` when a record has no value, as HubSpot's search answers do; the
 * object's default search properties when none are asked). The limits of groups and filters are the guide's; the
 * August 2024 changelog announced larger ones (10 per group, 25 in all), and the sandbox keeps the smaller figures
 * so that a search it accepts is one HubSpot accepts.
 *
 * Search has its own rate limit: "five requests per second per account", and its answers carry no rate-limit
 * headers; its 429 says "You have reached your secondly limit." with policy `SECONDLY` (the 429 body of
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines; HubSpot's Node client retries on
 * that message).
 */
import { randomUUID } from "node:crypto";
import { json, type SandboxResponse, error } from "./responses.js";
import {
  type Filter,
  compareStored,
  filterValues,
  matches,
  type Operator,
  OPERATORS,
} from "./search-filters.js";
import type { IndexedRecord } from "./search-index.js";
import type { SandboxStore } from "./store.js";
import type { ObjectState } from "./types.js";

export const SEARCH_LIMITS = {
  filterGroups: 5,
  filtersPerGroup: 6,
  filters: 18,
  pageSize: 200,
  defaultPageSize: 10,
  results: 10_000,
  queryLength: 3000,
} as const;

/** "Rate limited to five requests per second per account" (search guide, "Limitations"). */
export const SEARCH_REQUESTS_PER_SECOND = 5;

/** What every result shows besides the asked properties: the id, and when it was created and last changed. */
const always = (state: ObjectState) =>
  state.definition.name === "contacts"
    ? ["createdate", "hs_object_id", "lastmodifieddate"]
    : [state.definition.policy.createdProperty, "hs_lastmodifieddate", "hs_object_id"];

interface SearchBody {
  filterGroups?: unknown;
  sorts?: unknown;
  query?: unknown;
  properties?: unknown;
  limit?: unknown;
  after?: unknown;
}

interface Plan {
  groups: Filter[][];
  query: string;
  sort?: { property: Filter["property"]; descending: boolean };
  properties: string[];
  limit: number;
  offset: number;
}

const invalid = (message: string) => error(400, "VALIDATION_ERROR", message);

export function searchRecords(store: SandboxStore, state: ObjectState, body: unknown): SandboxResponse {
  const plan = readPlan(state, (body ?? {}) as SearchBody);
  if (!("groups" in plan)) return plan;
  const found = store.searchIndex
    .visible(state)
    .filter(
      (record) =>
        plan.groups.length === 0 ||
        plan.groups.some((group) => group.every((f) => matches(f, record.properties))),
    )
    .filter((record) => plan.query === "" || containsQuery(state, record, plan.query));
  const sorted = sortRecords(found, plan);
  const end = Math.min(plan.offset + plan.limit, sorted.length, SEARCH_LIMITS.results);
  const page = sorted.slice(plan.offset, end);
  return json(200, {
    total: found.length,
    results: page.map((record) => resultJson(record, plan.properties)),
    ...(end < Math.min(sorted.length, SEARCH_LIMITS.results)
      ? { paging: { next: { after: String(end) } } }
      : {}),
  });
}

/** The 429 of search's own limit; no rate-limit headers. */
export function searchRateLimited(): SandboxResponse {
  return error(429, "RATE_LIMITS", "You have reached your secondly limit.", {
    errorType: "RATE_LIMIT",
    policyName: "SECONDLY",
    requestId: randomUUID(),
  });
}

function readPlan(state: ObjectState, body: SearchBody): Plan | SandboxResponse {
  const groups = readGroups(state, body.filterGroups);
  if (!Array.isArray(groups)) return groups;
  const query = body.query === undefined ? "" : body.query;
  if (typeof query !== "string") return invalid("query must be a string");
  if (query.length > SEARCH_LIMITS.queryLength) {
    return invalid(
      `query is ${query.length} characters long; a search query may have at most ${SEARCH_LIMITS.queryLength}`,
    );
  }
  const sort = readSort(state, body.sorts);
  if (sort && "status" in sort) return sort;
  const limit = body.limit === undefined ? SEARCH_LIMITS.defaultPageSize : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMITS.pageSize) {
    return invalid(
      `limit must be a whole number from 1 to ${SEARCH_LIMITS.pageSize}, not ${String(body.limit)}`,
    );
  }
  const offset = body.after === undefined || body.after === "" ? 0 : Number(body.after);
  if (!Number.isInteger(offset) || offset < 0)
    return invalid(`after ${String(body.after)} is not a paging cursor`);
  if (offset >= SEARCH_LIMITS.results) {
    return invalid(
      `A search can page through at most ${SEARCH_LIMITS.results} results; narrow it with filters to reach the rest`,
    );
  }
  const asked = Array.isArray(body.properties) ? body.properties.map(String) : [];
  const properties = asked.length > 0 ? [...new Set([...always(state), ...asked])] : defaults(state);
  return { groups, query: query.toLowerCase(), ...(sort ? { sort } : {}), properties, limit, offset };
}

function readGroups(state: ObjectState, raw: unknown): Filter[][] | SandboxResponse {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return invalid("filterGroups must be an array");
  if (raw.length > SEARCH_LIMITS.filterGroups) {
    return invalid(
      `A search may have at most ${SEARCH_LIMITS.filterGroups} filterGroups; this one has ${raw.length}`,
    );
  }
  const total = raw.reduce(
    (sum: number, group) => sum + (Array.isArray(group?.filters) ? group.filters.length : 0),
    0,
  );
  if (total > SEARCH_LIMITS.filters) {
    return invalid(
      `A search may have at most ${SEARCH_LIMITS.filters} filters in all; this one has ${total}`,
    );
  }
  const groups: Filter[][] = [];
  for (const group of raw as Array<{ filters?: unknown } | null>) {
    const filters = group?.filters;
    if (!Array.isArray(filters)) return invalid("Some required fields were not set: [filters]");
    if (filters.length > SEARCH_LIMITS.filtersPerGroup) {
      return invalid(
        `A filter group may have at most ${SEARCH_LIMITS.filtersPerGroup} filters; one has ${filters.length}`,
      );
    }
    const read: Filter[] = [];
    for (const filter of filters as Array<Record<string, unknown> | null>) {
      const through = associationFilter(filter?.propertyName);
      if (through) return through;
      const parsed = readFilter(state, filter ?? {});
      if (typeof parsed === "string") return invalid(parsed);
      read.push(parsed);
    }
    groups.push(read);
  }
  return groups;
}

/**
 * HubSpot's search guide documents filtering through associations with the pseudo-property
 * `associations.{objectType}` (https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm, "Search
 * through associations"); the sandbox does not implement it, so it answers a 501 naming it rather than HubSpot's 400
 * for a property that does not exist.
 */
function associationFilter(propertyName: unknown): SandboxResponse | undefined {
  if (typeof propertyName !== "string" || !propertyName.startsWith("associations.")) return undefined;
  return error(
    501,
    "NOT_IMPLEMENTED",
    `The sandbox does not implement searching through associations (filter on ${propertyName}); HubSpot's search guide documents it.`,
  );
}

function readFilter(state: ObjectState, raw: Record<string, unknown>): Filter | string {
  const { propertyName, operator } = raw;
  if (typeof propertyName !== "string" || typeof operator !== "string") {
    return "Some required fields were not set: [propertyName, operator]";
  }
  if (!(OPERATORS as readonly string[]).includes(operator)) {
    return `${operator} is not an operator; use one of ${OPERATORS.join(", ")}`;
  }
  const property = state.properties.get(propertyName);
  if (!property) return `There is no property ${propertyName} on ${state.definition.name} to filter on`;
  const values = filterValues(property, operator as Operator, raw);
  return typeof values === "string" ? values : { property, operator: operator as Operator, values };
}

function readSort(state: ObjectState, raw: unknown): Plan["sort"] | SandboxResponse | undefined {
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) return undefined;
  if (!Array.isArray(raw)) return invalid("sorts must be an array");
  if (raw.length > 1) return invalid("A search may sort by one property only");
  const [sort] = raw as unknown[];
  if (typeof sort === "string") {
    return error(
      501,
      "NOT_IMPLEMENTED",
      `The sandbox does not implement sorts given as strings ("${sort}"); use {propertyName, direction} as HubSpot's search guide does.`,
    );
  }
  const { propertyName, direction = "ASCENDING" } = (sort ?? {}) as {
    propertyName?: unknown;
    direction?: unknown;
  };
  const property = typeof propertyName === "string" ? state.properties.get(propertyName) : undefined;
  if (!property)
    return invalid(`There is no property ${String(propertyName)} on ${state.definition.name} to sort by`);
  if (direction !== "ASCENDING" && direction !== "DESCENDING") {
    return invalid(`direction must be ASCENDING or DESCENDING, not ${String(direction)}`);
  }
  return { property, descending: direction === "DESCENDING" };
}

function sortRecords(records: IndexedRecord[], plan: Plan): IndexedRecord[] {
  const byId = (a: IndexedRecord, b: IndexedRecord) => a.id.length - b.id.length || (a.id < b.id ? -1 : 1);
  const { sort } = plan;
  if (!sort) return [...records].sort(byId);
  return [...records].sort((a, b) => {
    const [left, right] = [a.properties[sort.property.name], b.properties[sort.property.name]];
    const missing = Number(left === undefined || left === "") - Number(right === undefined || right === "");
    if (missing !== 0) return missing;
    const order = compareStored(sort.property, left, right);
    return (sort.descending ? -order : order) || byId(a, b);
  });
}

function containsQuery(state: ObjectState, record: IndexedRecord, query: string): boolean {
  // The search guide's "default searchable properties" where it lists them (seed files), inferred for the rest.
  const names = state.definition.policy.searchable;
  return names.some((name) => record.properties[name]?.toLowerCase().includes(query));
}

/** What a result shows without `properties` (search guide, "Searchable CRM objects"; inferred for the newer ones). */
function defaults(state: ObjectState): string[] {
  return [...new Set([...always(state), ...state.definition.policy.searchDefaults])];
}

function resultJson(record: IndexedRecord, properties: string[]): Record<string, unknown> {
  const shown: Record<string, string | null> = {};
  for (const name of properties) shown[name] = record.properties[name] ?? null;
  return {
    id: record.id,
    properties: shown,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: false,
  };
}
