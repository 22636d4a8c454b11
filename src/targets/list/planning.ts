/**
 * The plan's stand-ins for the list streams' HubSpot calls: in a plan the lists' own routes, sender, stage and sweep
 * run (the same list lookup, key resolution, staging, size cap and sweep conditions) over these, so the plan's
 * `add` / `remove` verdicts are the write's own decisions.
 *
 * 1. Reads pass through to HubSpot: lists by name and by search, key reads, member pages. Those a write makes while
 *    records are written are counted as its requests (the client counts the setup reads).
 * 2. Writes are not sent; each is answered as HubSpot answers success and counted. A list created (a missing list,
 *    an overwrite's staging list) gets a planned id and no members; a list deleted is only said (by the lists' own
 *    log, which a plan turns into notes). A membership change is judged against the list's members, read once per
 *    list (every page) and kept with the plan's own changes, so that its `added`, `already-member`, `removed` and
 *    `not-member` are what HubSpot would answer the write.
 * 3. An overwrite's sweep removals become plan lines of their own (`remove`, with the member's key, read by record
 *    id). What `max_list_removals` would count is counted where the write's guard counts it: every input of a
 *    remove stream's batches (`listPlanner`), and each sweep request (`beforeListRemovals`, wired by the routes).
 */
import type { PlanContext, TargetPlanner, WriteTarget } from "../../contract.js";
import type { JsonTransport } from "../../hubspot/transport.js";
import type { ApiPaths } from "../../hubspot/api-paths.js";
import { CRM_BATCH_LIMIT } from "../../hubspot/policies.js";
import { readByKey } from "../../hubspot/read-by-key.js";
import type { ListCalls, MembershipChange } from "./api.js";
import { LIST_LIMITS } from "./policies.js";
import { RECORD_ID_PROPERTY } from "./record-ids.js";
import type { ListRun } from "./run.js";
import type { HubSpotList } from "./wire.js";
import type { BatchSender } from "../../contract.js";
import { isPlannedId, plannedListId } from "../../dry-run/planned-ids.js";

export interface ListsPlannerParts {
  context: PlanContext;
  /** The real transport and paths, for reading the keys of the members a sweep would remove. */
  transport: JsonTransport;
  paths: Pick<ApiPaths, "crmBatch">;
}

/** The list sender as a planner: a batch, and for a remove stream its inputs toward `max_list_removals`. */
export function listPlanner(send: BatchSender): TargetPlanner {
  return {
    plan(target, inputs, context) {
      // The batch's requests (key reads, membership changes) are counted as they are made.
      context.wouldSend(target, 0);
      if (target.mode === "remove") context.wouldRemoveListMembers(inputs.length);
      return send(target, inputs);
    },
  };
}

/** A transport that counts each request as one `target`'s write would make. */
export function countingTransport(
  transport: JsonTransport,
  context: PlanContext,
  target: WriteTarget | undefined,
): JsonTransport {
  return {
    postJson(path, body) {
      context.wouldRequest(target, 1);
      return transport.postJson(path, body);
    },
  };
}

export class PlanningLists implements ListCalls {
  /** Lists the plan would create, by id. */
  private readonly created = new Map<string, HubSpotList>();
  /** HubSpot's members as read, once per list. */
  private readonly reads = new Map<string, Promise<string[]>>();
  /** Each list's members with the plan's changes applied. */
  private readonly members_ = new Map<string, Promise<Set<string>>>();

  constructor(
    private readonly real: ListCalls,
    /** The list streams' runs by stream key (filled as the routes are built). */
    private readonly runs: ReadonlyMap<string, ListRun>,
    private readonly parts: ListsPlannerParts,
  ) {}

  findByName(objectTypeId: string, name: string): Promise<HubSpotList | undefined> {
    const mine = this.created.get(plannedListId(name));
    return mine ? Promise.resolve(mine) : this.real.findByName(objectTypeId, name);
  }

  get(listId: string): Promise<HubSpotList | undefined> {
    return isPlannedId(listId) ? Promise.resolve(this.created.get(listId)) : this.real.get(listId);
  }

  search(query: string, processingTypes?: readonly string[]): Promise<HubSpotList[]> {
    return this.real.search(query, processingTypes);
  }

  /** Not sent: the list the write would create, with a planned id and no members. */
  async createManual(name: string, objectTypeId: string): Promise<HubSpotList> {
    this.parts.context.wouldRequest(undefined, 1);
    const list: HubSpotList = {
      listId: plannedListId(name),
      name,
      objectTypeId,
      processingType: "MANUAL",
      size: 0,
    };
    this.created.set(list.listId, list);
    return list;
  }

  /** Not sent (the lists' log says which list the write would delete). */
  async delete(): Promise<void> {
    this.parts.context.wouldRequest(undefined, 1);
  }

  /** HubSpot's members now (none for a list the plan would create), counted as the write's member pages. */
  async members(listId: string): Promise<string[]> {
    const members = await this.read(listId);
    const pages = Math.max(1, Math.ceil(members.length / LIST_LIMITS.membersPerPage));
    this.parts.context.wouldRequest(this.runOf(listId)?.target, pages);
    return [...members];
  }

  /** Not sent: HubSpot's answer to the change, judged against the members as the plan would leave them. */
  async change(
    listId: string,
    action: "add" | "remove",
    recordIds: readonly string[],
  ): Promise<MembershipChange> {
    const run = this.runOf(listId);
    this.parts.context.wouldRequest(run?.target, 1);
    const members = await this.memberSet(listId);
    const answer: MembershipChange = { added: [], removed: [], missing: [] };
    for (const id of recordIds) {
      if (action === "add" && !members.has(id)) {
        members.add(id);
        answer.added.push(id);
      } else if (action === "remove" && members.delete(id)) answer.removed.push(id);
    }
    // An overwrite stream only adds: its removals are its sweep's, which no input record stands for.
    if (run && action === "remove" && run.target.mode === "replace" && listId === run.list.listId)
      await this.sweepLines(run, answer.removed);
    return answer;
  }

  private read(listId: string): Promise<string[]> {
    if (isPlannedId(listId)) return Promise.resolve([]);
    let reading = this.reads.get(listId);
    if (!reading) {
      reading = this.real.members(listId);
      this.reads.set(listId, reading);
    }
    return reading;
  }

  private memberSet(listId: string): Promise<Set<string>> {
    let members = this.members_.get(listId);
    if (!members) {
      members = this.read(listId).then((ids) => new Set(ids));
      this.members_.set(listId, members);
    }
    return members;
  }

  private runOf(listId: string): ListRun | undefined {
    for (const run of this.runs.values())
      if (run.list.listId === listId || run.staging?.listId === listId) return run;
    return undefined;
  }

  /** A `remove` line per member the sweep would remove, with its key (read by record id, CRM_BATCH_LIMIT a read). */
  private async sweepLines(run: ListRun, removed: readonly string[]): Promise<void> {
    const { target } = run;
    for (let start = 0; start < removed.length; start += CRM_BATCH_LIMIT) {
      const ids = removed.slice(start, start + CRM_BATCH_LIMIT);
      const keys = await this.keysOf(target, ids);
      for (const id of ids) {
        this.parts.context.addLine({
          target,
          key: keys.get(id),
          verdict: "remove",
          about: `list ${run.list.name}: member ${id}, not in this run's input`,
        });
      }
    }
  }

  /** The members' keys by record id (a plan's own read, by record id: the write does not make it). */
  private async keysOf(target: WriteTarget, ids: readonly string[]): Promise<Map<string, string>> {
    if (target.idProperty === RECORD_ID_PROPERTY) return new Map(ids.map((id) => [id, id]));
    const request = { objectType: target.objectType, idProperty: undefined, properties: [target.idProperty] };
    const read = await readByKey(this.parts.transport, this.parts.paths, request, ids);
    const keys = new Map<string, string>();
    for (const [id, record] of read.found) {
      const key = record.properties[target.idProperty];
      if (typeof key === "string") keys.set(id, key);
    }
    return keys;
  }
}
