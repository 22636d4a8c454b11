/**
 * The portal's lists ("segments", https://developers.hubspot.com/docs/guides/api/crm/lists/overview): definitions and
 * memberships, all in memory.
 *
 * - A list holds records of one object (`objectTypeId`); only records that exist and are not archived count as
 *   members, so archiving a record takes it out of every list (as HubSpot does).
 * - MANUAL and SNAPSHOT lists change only through the memberships API; DYNAMIC lists follow their filters, which the
 *   sandbox does not evaluate: their members are whatever `seedMembers` set.
 * - Names are unique per portal, compared without case (get-by-name "is not case sensitive", S-LISTS). A deleted
 *   list frees its name and can be restored for 90 days.
 */
import * as z from "zod";
import { compareIds } from "./ids.js";
import type { ObjectState, RecordIndex } from "./types.js";

/** HubSpot's list processing types (D-LISTS "Processing types"). */
export const PROCESSING_TYPES = ["MANUAL", "DYNAMIC", "SNAPSHOT"] as const;
export type ProcessingType = (typeof PROCESSING_TYPES)[number];

/** How long a deleted list can be restored (S-LISTS: "up to 90-days following the delete"). */
export const RESTORE_WINDOW_MS = 90 * 86_400_000;

export const ListOptionsSchema = z
  .object({
    /** Members a list may hold; an add beyond it is refused. @default 100000 */
    maxMembers: z.number().int().min(1).default(100_000),
    /**
     * Record ids one add or remove request may carry. HubSpot documents no cap; the sandbox picks a generous one
     * (each of `recordIdsToAdd` and `recordIdsToRemove` counts on its own). @default 10000
     */
    maxIdsPerRequest: z.number().int().min(1).default(10_000),
  })
  .default({ maxMembers: 100_000, maxIdsPerRequest: 10_000 });
export type ListOptions = z.output<typeof ListOptionsSchema>;

/** A list as the sandbox keeps it; `members` may hold records archived since, which are not shown. */
export interface StoredList {
  listId: string;
  listVersion: number;
  name: string;
  objectTypeId: string;
  processingType: ProcessingType;
  processingStatus: "COMPLETE";
  createdAt: string;
  updatedAt: string;
  filtersUpdatedAt: string;
  createdById: string;
  filterBranch?: unknown;
  /** Epoch ms of the delete, while the list is deleted. */
  deletedAt?: number;
  /** Record id → when it joined (ISO). */
  members: Map<string, string>;
  lastAddedAt?: number;
  lastRemovedAt?: number;
}

/** Membership changes received for one list: ids sent, and what became of them. */
export interface MembershipCounts {
  requests: number;
  idsToAdd: number;
  idsToRemove: number;
  added: number;
  removed: number;
  missing: number;
}

/** What a membership write did, id by id. */
export interface MembershipChange {
  added: string[];
  removed: string[];
  missing: string[];
}

/** The user the sandbox's lists are created by (the introspected OAuth user is 7 too). */
const SANDBOX_USER = "7";
const SEEDED_AT = "2026-01-05T09:00:00.000Z";
const SEEDS: Array<[name: string, objectTypeId: string, processingType: ProcessingType]> = [
  ["Newsletter", "0-1", "MANUAL"],
  ["Active users", "0-1", "DYNAMIC"],
  ["Webinar attendees 2025", "0-1", "SNAPSHOT"],
  ["Target accounts", "0-2", "MANUAL"],
];

const emptyCounts = (): MembershipCounts => ({
  requests: 0,
  idsToAdd: 0,
  idsToRemove: 0,
  added: 0,
  removed: 0,
  missing: 0,
});

/** The portal's lists; the test accessors are `byName`, `membersOf`, `received` and `seedMembers`. */
export class ListStore {
  private readonly lists = new Map<string, StoredList>();
  private readonly counts = new Map<string, MembershipCounts>();
  private nextListId = 1;

  constructor(
    private readonly store: RecordIndex,
    readonly options: ListOptions,
  ) {
    for (const [name, objectTypeId, processingType] of SEEDS) {
      this.create({ name, objectTypeId, processingType }, SEEDED_AT);
    }
  }

  /** A list by id, deleted or not. */
  byId(listId: string): StoredList | undefined {
    return this.lists.get(listId);
  }

  /** Test accessor: the live (not deleted) list with this name, in any case. */
  byName(name: string, objectTypeId?: string): StoredList | undefined {
    const wanted = name.toLowerCase();
    return this.all().find(
      (list) =>
        list.name.toLowerCase() === wanted &&
        (objectTypeId === undefined || list.objectTypeId === objectTypeId),
    );
  }

  /** Every live list, ascending by id. */
  all(): StoredList[] {
    return [...this.lists.values()].filter((list) => list.deletedAt === undefined);
  }

  /** Test accessor: the list's members, ascending by record id. */
  membersOf(listId: string): string[] {
    const list = this.lists.get(listId);
    if (!list) return [];
    const state = this.objectOf(list);
    return [...list.members.keys()].filter((id) => this.exists(state, id)).sort(compareIds);
  }

  /** When each member joined, for `GET …/memberships`. */
  joinedAt(list: StoredList, recordId: string): string | undefined {
    return list.members.get(recordId);
  }

  /** Test accessor: membership changes received for one list (every list when none is named). */
  received(listId?: string): MembershipCounts {
    if (listId !== undefined) return { ...(this.counts.get(listId) ?? emptyCounts()) };
    const total = emptyCounts();
    for (const counts of this.counts.values()) {
      for (const key of Object.keys(total) as Array<keyof MembershipCounts>) total[key] += counts[key];
    }
    return total;
  }

  /** Test setup: sets a list's members directly, as HubSpot's filter processing would for a DYNAMIC list. */
  seedMembers(listId: string, recordIds: string[]): void {
    const list = this.lists.get(listId);
    if (!list) throw new Error(`No list ${listId}`);
    const now = new Date().toISOString();
    list.members = new Map(recordIds.map((id) => [id, now]));
  }

  /** A new list with the next id; the caller has checked the name and the object. */
  create(
    input: { name: string; objectTypeId: string; processingType: ProcessingType; filterBranch?: unknown },
    at = new Date().toISOString(),
  ): StoredList {
    const list: StoredList = {
      listId: String(this.nextListId++),
      listVersion: 1,
      name: input.name,
      objectTypeId: input.objectTypeId,
      processingType: input.processingType,
      processingStatus: "COMPLETE",
      createdAt: at,
      updatedAt: at,
      filtersUpdatedAt: at,
      createdById: SANDBOX_USER,
      ...(input.filterBranch === undefined ? {} : { filterBranch: input.filterBranch }),
      members: new Map(),
    };
    this.lists.set(list.listId, list);
    return list;
  }

  /** The object a list holds; every list's object exists, since creating one checks it. */
  objectOf(list: StoredList): ObjectState {
    return this.store.resolve(list.objectTypeId) as ObjectState;
  }

  /** True for a record of the object that exists and is not archived. */
  exists(state: ObjectState, recordId: string): boolean {
    return this.store.lookup(state, recordId, undefined) !== undefined;
  }

  /**
   * Removes, then adds (so a full list can swap members in one request). Ids of records that do not exist come back
   * as missing; members added again and non-members removed are ignored. Undefined when the list would grow past
   * `maxMembers`, and then nothing changes.
   */
  change(list: StoredList, toAdd: string[], toRemove: string[]): MembershipChange | undefined {
    const state = this.objectOf(list);
    const counts = this.counts.get(list.listId) ?? emptyCounts();
    this.counts.set(list.listId, counts);
    counts.requests += 1;
    counts.idsToAdd += toAdd.length;
    counts.idsToRemove += toRemove.length;
    const live = new Set(this.membersOf(list.listId));
    const missing = [...new Set([...toRemove, ...toAdd])].filter((id) => !this.exists(state, id));
    const removed = new Set(toRemove.filter((id) => live.has(id)));
    // An id both removed and added is removed, then joins again.
    const added = [...new Set(toAdd)].filter(
      (id) => this.exists(state, id) && (!live.has(id) || removed.has(id)),
    );
    if (live.size - removed.size + added.length > this.options.maxMembers && added.length > 0)
      return undefined;
    const now = Date.now();
    for (const id of removed) list.members.delete(id);
    for (const id of added) list.members.set(id, new Date(now).toISOString());
    if (added.length > 0) list.lastAddedAt = now;
    if (removed.size > 0) list.lastRemovedAt = now;
    counts.added += added.length;
    counts.removed += removed.size;
    counts.missing += missing.length;
    return { added, removed: [...removed], missing };
  }

  /**
   * A merge: in every list of the object, the records merged away give their place to the survivor, which keeps
   * the earliest joining time (inferred: HubSpot documents how associations follow a merge, not lists).
   */
  moveMembers(objectTypeId: string, oldIds: readonly string[], survivorId: string): void {
    for (const list of this.lists.values()) {
      if (list.objectTypeId !== objectTypeId) continue;
      const joined = oldIds.flatMap((id) => list.members.get(id) ?? []).sort();
      if (joined.length === 0) continue;
      for (const id of oldIds) list.members.delete(id);
      const current = list.members.get(survivorId);
      list.members.set(survivorId, [current, ...joined].filter((at) => at !== undefined).sort()[0] as string);
    }
  }

  /** `DELETE …/memberships`: every member out, the list stays. */
  clear(list: StoredList): void {
    if (list.members.size > 0) list.lastRemovedAt = Date.now();
    list.members.clear();
  }
}
