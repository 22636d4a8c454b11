/**
 * The Lists API calls the connector makes, over the HubSpot client (its governor, retries and accounting):
 * definitions (get by name, search, create, delete), member pages, and membership changes. Paths come from the one
 * path map (`hubspot/api-paths.ts`). A 404 for a list asked for by name or deleted is an answer, not a failure; everything
 * else HubSpot refuses is thrown as the client's HubSpotApiError.
 */
import type * as z from "zod";
import { HubSpotApiError, parseAnswer } from "../../hubspot/api-errors.js";
import type { ApiPaths } from "../../hubspot/api-paths.js";
import type { HubSpotRequest, HubSpotResponse, RequestGate } from "../../hubspot/http-types.js";
import { LIST_LIMITS } from "./policies.js";
import {
  type HubSpotList,
  ListAnswerSchema,
  ListSearchAnswerSchema,
  MembershipPageSchema,
  MembershipsUpdateSchema,
} from "./wire.js";

/** What the Lists API needs of the HubSpot client. */
export interface ListsTransport {
  request<T>(request: HubSpotRequest): Promise<HubSpotResponse<T>>;
}

export type ListPaths = Pick<ApiPaths, "lists" | "list" | "listByName" | "listSearch" | "listMemberships">;

/** What one membership change did, id by id, as HubSpot's answer says. */
export interface MembershipChange {
  added: string[];
  removed: string[];
  missing: string[];
}

/**
 * `subCategory` of HubSpot's refusal of a list name already taken. The Lists spec says a name "must be globally
 * unique"; the refusal's code is not documented, but it is the one HubSpot answers and integrations match.
 */
const DUPLICATE_NAME = "ILS.DUPLICATE_LIST_NAMES";

const isStatus = (error: unknown, status: number) =>
  error instanceof HubSpotApiError && error.status === status;

/**
 * The Lists API calls a write makes: `ListsApi` in a write; in a plan, a stand-in that passes reads through and
 * sends no write (planning.ts).
 */
export type ListCalls = Pick<
  ListsApi,
  "findByName" | "get" | "search" | "createManual" | "delete" | "members" | "change"
>;

export class ListsApi {
  constructor(
    private readonly transport: ListsTransport,
    private readonly paths: ListPaths,
  ) {}

  /** `GET …/object-type-id/{objectTypeId}/name/{name}` (names compare without case); undefined when none. */
  async findByName(objectTypeId: string, name: string): Promise<HubSpotList | undefined> {
    try {
      return (await this.call("GET", this.paths.listByName(objectTypeId, name), ListAnswerSchema)).list;
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** `GET …/lists/{listId}`: the list with its current size; undefined when it no longer exists. */
  async get(listId: string): Promise<HubSpotList | undefined> {
    try {
      return (await this.call("GET", this.paths.list(listId), ListAnswerSchema)).list;
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** `POST …/lists/search`, every page: the lists whose name contains `query`, of the given processing types. */
  async search(query: string, processingTypes: readonly string[] = []): Promise<HubSpotList[]> {
    const found: HubSpotList[] = [];
    for (let offset = 0; ;) {
      // HubSpot's schema (ListSearchRequest) requires listIds and processingTypes; empty means "any".
      const body = {
        query,
        offset,
        count: LIST_LIMITS.listsPerSearchPage,
        additionalProperties: ["hs_list_size"],
        listIds: [],
        processingTypes: [...processingTypes],
      };
      const page = await this.call("POST", this.paths.listSearch(), ListSearchAnswerSchema, body);
      found.push(...page.lists);
      const next = page.offset ?? offset + page.lists.length;
      if (page.hasMore !== true || page.lists.length === 0 || next <= offset) return found;
      offset = next;
    }
  }

  /**
   * `POST …/lists`: a new MANUAL list. A retried create that HubSpot had committed meets its own name: the list of
   * that name is then read back and used, when it is a MANUAL list of the same object.
   */
  async createManual(name: string, objectTypeId: string): Promise<HubSpotList> {
    const body = { name, objectTypeId, processingType: "MANUAL" };
    try {
      return (await this.call("POST", this.paths.lists(), ListAnswerSchema, body)).list;
    } catch (error) {
      if (!(error instanceof HubSpotApiError) || error.subCategory !== DUPLICATE_NAME) throw error;
      const existing = await this.findByName(objectTypeId, name);
      if (existing?.processingType === "MANUAL") return existing;
      throw error;
    }
  }

  /**
   * `DELETE …/lists/{listId}` (HubSpot keeps it restorable for 90 days); a list already gone is fine. `gate`: the
   * request's own admission, for housekeeping that must go out after a guard halted the run's writes.
   */
  async delete(listId: string, options: { gate?: RequestGate | undefined } = {}): Promise<void> {
    try {
      const request: HubSpotRequest = { method: "DELETE", path: this.paths.list(listId) };
      if (options.gate) request.gate = options.gate;
      await this.transport.request(request);
    } catch (error) {
      if (!isStatus(error, 404)) throw error;
    }
  }

  /** `GET …/memberships`, every page (250 a page, ascending record ids): the list's member record ids. */
  async members(listId: string): Promise<string[]> {
    const ids: string[] = [];
    for (let after: string | undefined; ;) {
      const query = { limit: LIST_LIMITS.membersPerPage, after };
      const page = await this.call(
        "GET",
        this.paths.listMemberships(listId),
        MembershipPageSchema,
        undefined,
        query,
      );
      for (const result of page.results) ids.push(result.recordId);
      const next = page.paging?.next?.after;
      if (next === undefined || next === after || page.results.length === 0) return ids;
      after = next;
    }
  }

  /** `PUT …/memberships/add` or `…/remove` with a JSON array of record ids. */
  async change(
    listId: string,
    action: "add" | "remove",
    recordIds: readonly string[],
  ): Promise<MembershipChange> {
    const answer = await this.call(
      "PUT",
      this.paths.listMemberships(listId, action),
      MembershipsUpdateSchema,
      [...recordIds],
    );
    return {
      added: answer.recordsIdsAdded ?? answer.recordIdsAdded ?? [],
      removed: answer.recordIdsRemoved ?? [],
      missing: answer.recordIdsMissing ?? [],
    };
  }

  private async call<S extends z.ZodType>(
    method: HubSpotRequest["method"],
    path: string,
    schema: S,
    json?: unknown,
    query?: HubSpotRequest["query"],
  ): Promise<z.output<S>> {
    const request: HubSpotRequest = { method, path };
    if (json !== undefined) request.json = json;
    if (query !== undefined) request.query = query;
    const response = await this.transport.request<unknown>(request);
    return parseAnswer(schema, { status: response.status, body: response.body ?? {} }, method, path);
  }
}
