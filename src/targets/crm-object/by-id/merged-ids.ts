/**
 * Following merged record ids in updates by id. HubSpot gives a merged record a new id; its old ids still answer
 * reads with it, but `batch/update` does not take them ("these values are not supported when updating records
 * using the batch update endpoint", https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis,
 * "Update records"), and answers them as it answers an id no record has: an OBJECT_NOT_FOUND item.
 *
 * 1. The inputs a first write refused as not found come here, from every batch of the target.
 * 2. They wait together until 100 wait, or no first write of the target is still out (none can join soon), or
 *    `waitMs` has passed since the first came; then their ids are read at once (hubspot/read-by-key.ts, by record
 *    id: an old id answers its survivor), 100 a request, but for ids already learnt (a bounded map).
 * 3. An input whose id answered a record is written again to that record's id, in rounds: one input per survivor
 *    a round, the earlier input first, each round once the one before is answered. So two inputs naming one
 *    record never share a request (HubSpot refuses such a batch whole), and the later one's values land last. A
 *    property a later input of the input's own batch already wrote to the survivor is not written again: later wins.
 * 4. An id no record answers is RECORD_NOT_FOUND, naming hs_object_id; a read refused or left unaccounted rejects
 *    the input with that reason (record-id.ts, read-by-key.ts).
 * Why after the refusal rather than reading every id first: reading first costs a read for every batch of 100
 * (2 requests a batch); following costs a read per 100 refused ids and a write per 100 followed, which is 0.11
 * more requests a batch with 5 % merged and 1 % missing ids (docs/crm.md, "Merged records").
 */
import type { InputOutcome, Rejection, WireInput, WriteTarget } from "../../../contract.js";
import { BoundedCache } from "../../../associations/bounded-cache.js";
import type { ApiPaths } from "../../../hubspot/api-paths.js";
import { type IsolationOptions, type Outcomes, sendIsolating } from "../../../hubspot/isolate.js";
import { KEYS_PER_READ, readByKey, unconfirmedRead } from "../../../hubspot/read-by-key.js";
import type { JsonTransport } from "../../../hubspot/transport.js";
import { writeBatch } from "../sender.js";
import { recordNotFound } from "./record-id.js";

/** Survivors remembered by old id, per run: enough for a run's merged ids, bounded whatever the input. */
export const REMEMBERED_SURVIVORS = 10_000;

export interface FollowerParts {
  transport: JsonTransport;
  paths: Pick<ApiPaths, "crmBatch">;
  isolation: IsolationOptions;
  /** The longest a refused input waits for others before their ids are read (the run's `linger_ms`). */
  waitMs: number;
}

/** One batch's first write, as the follower needs it: what it wrote, by id, with each input's place. */
export interface FirstWrite {
  /** The batch's order among the target's batches (earlier batches first). */
  batch: number;
  /** Inputs the first write wrote: their place in the batch and their properties, by id. */
  written: ReadonlyMap<string, { index: number; properties: Readonly<Record<string, string>> }>;
}

interface Waiting {
  target: WriteTarget;
  input: WireInput;
  index: number;
  first: FirstWrite;
  settle: (outcome: InputOutcome) => void;
  fail: (error: unknown) => void;
}

interface Pool {
  waiting: Waiting[];
  timer: NodeJS.Timeout | undefined;
  /** First writes of the target still out. */
  out: number;
}

/** What following an input found: the id to write it to, or why it cannot be written. */
type Found = { survivor: string } | { rejection: Rejection };

export class MergedIdFollower {
  private readonly pools = new Map<string, Pool>();
  private readonly survivors = new BoundedCache<string>(REMEMBERED_SURVIVORS);
  private nextTrace = 0;

  constructor(private readonly parts: FollowerParts) {}

  /** A first write of `target` went out: refused inputs wait for it before their ids are read. */
  started(target: WriteTarget): void {
    this.pool(target).out += 1;
  }

  /** That first write was answered (its refused inputs, if any, already handed to `follow`). */
  ended(target: WriteTarget): void {
    const pool = this.pool(target);
    pool.out -= 1;
    if (pool.out === 0 && pool.waiting.length > 0) this.flush(target.key);
  }

  /** Step 1: inputs of one batch refused as not found; answers each one's outcome, by trace id. */
  follow(
    target: WriteTarget,
    refused: readonly { input: WireInput; index: number }[],
    first: FirstWrite,
  ): Promise<Outcomes> {
    const pool = this.pool(target);
    const settled = refused.map(
      ({ input, index }) =>
        new Promise<[string, InputOutcome]>((resolve, reject) => {
          const settle = (outcome: InputOutcome) => resolve([input.traceId, outcome]);
          pool.waiting.push({ target, input, index, first, settle, fail: reject });
        }),
    );
    if (pool.waiting.length >= KEYS_PER_READ || pool.out === 0) this.flush(target.key);
    else pool.timer ??= setTimeout(() => this.flush(target.key), this.parts.waitMs);
    return Promise.all(settled).then((entries) => new Map(entries));
  }

  private pool(target: WriteTarget): Pool {
    let pool = this.pools.get(target.key);
    if (!pool) {
      pool = { waiting: [], timer: undefined, out: 0 };
      this.pools.set(target.key, pool);
    }
    return pool;
  }

  /** Step 2: everything waiting for the target goes now. */
  private flush(key: string): void {
    const pool = this.pools.get(key);
    if (!pool || pool.waiting.length === 0) return;
    if (pool.timer) clearTimeout(pool.timer);
    pool.timer = undefined;
    const waiting = pool.waiting.splice(0);
    this.settle(waiting).catch((error: unknown) => {
      for (const entry of waiting) entry.fail(error);
    });
  }

  private async settle(waiting: Waiting[]): Promise<void> {
    const target = (waiting[0] as Waiting).target;
    const found = await this.findSurvivors(target, waiting);
    const rounds: Waiting[][] = [];
    const roundOf = new Map<string, number>();
    waiting.sort((a, b) => a.first.batch - b.first.batch || a.index - b.index);
    for (const entry of waiting) {
      const answer = found.get(entry.input.id) as Found;
      if ("rejection" in answer) {
        entry.settle({ status: "rejected", rejection: answer.rejection });
        continue;
      }
      const round = roundOf.get(answer.survivor) ?? 0;
      roundOf.set(answer.survivor, round + 1);
      (rounds[round] ??= []).push(entry);
    }
    for (const [number, round] of rounds.entries()) {
      if (number > 0) this.parts.isolation.onExtraRequest?.();
      await this.writeRound(target, round, found);
    }
  }

  /** Step 2's read: each waiting id's survivor (learnt earlier, or read now), or why it has none. */
  private async findSurvivors(target: WriteTarget, waiting: Waiting[]): Promise<Map<string, Found>> {
    const found = new Map<string, Found>();
    const toRead: string[] = [];
    for (const { input } of waiting) {
      const known = this.survivors.get(`${target.objectType}\u0000${input.id}`);
      if (known !== undefined) found.set(input.id, { survivor: known });
      else toRead.push(input.id);
    }
    if (toRead.length === 0) return found;
    const request = { objectType: target.objectType, idProperty: undefined };
    const read = await readByKey(
      this.parts.transport,
      this.parts.paths,
      request,
      toRead,
      this.parts.isolation,
    );
    for (const id of toRead) {
      const record = read.found.get(id);
      if (record) {
        this.survivors.set(`${target.objectType}\u0000${id}`, record.id);
        found.set(id, { survivor: record.id });
      } else {
        const rejection =
          read.refused.get(id) ??
          (read.unaccounted.has(id) ? unconfirmedRead(id) : recordNotFound(target.objectName, id));
        found.set(id, { rejection });
      }
    }
    return found;
  }

  /** Step 3: one round's inputs written to their survivors, 100 a request, side by side. */
  private async writeRound(target: WriteTarget, round: Waiting[], found: Map<string, Found>): Promise<void> {
    const sends: { entry: Waiting; wire: WireInput }[] = [];
    for (const entry of round) {
      const survivor = (found.get(entry.input.id) as { survivor: string }).survivor;
      const properties = notWrittenLater(entry, survivor);
      const written: InputOutcome = { status: "written", effect: "updated", recordId: survivor };
      if (Object.keys(properties).length === 0 && Object.keys(entry.input.properties).length > 0) {
        entry.settle(written);
        continue;
      }
      const traceId = `m${(this.nextTrace++).toString(36)}`;
      sends.push({ entry, wire: { traceId, id: survivor, properties } });
    }
    const path = this.parts.paths.crmBatch(target.objectType, "update");
    const chunks: (typeof sends)[] = [];
    for (let start = 0; start < sends.length; start += KEYS_PER_READ)
      chunks.push(sends.slice(start, start + KEYS_PER_READ));
    await Promise.all(
      chunks.map(async (chunk) => {
        const outcomes = await sendIsolating(
          chunk.map(({ wire }) => wire),
          (part) => writeBatch(this.parts.transport, target, part, path, undefined),
          this.parts.isolation,
        );
        for (const { entry, wire } of chunk)
          entry.settle(rewritten(target, wire, outcomes.get(wire.traceId)));
      }),
    );
  }
}

/** The input's properties less those a later input of its own batch wrote to the same record (later wins). */
function notWrittenLater(entry: Waiting, survivor: string): Record<string, string> {
  const later = entry.first.written.get(survivor);
  if (!later || later.index < entry.index) return { ...entry.input.properties };
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(entry.input.properties)) {
    if (!(name in later.properties)) properties[name] = value;
  }
  return properties;
}

/** A written-again input's outcome; a survivor itself not found (merged again meanwhile) is RECORD_NOT_FOUND. */
function rewritten(target: WriteTarget, wire: WireInput, outcome: InputOutcome | undefined): InputOutcome {
  if (!outcome)
    return { status: "unaccounted", reason: "the answer to writing it to its survivor left it out" };
  if (outcome.status === "written") return { ...outcome, effect: "updated", recordId: wire.id };
  if (outcome.status === "rejected" && outcome.rejection.category === "OBJECT_NOT_FOUND") {
    return {
      status: "rejected",
      rejection: recordNotFound(target.objectName, wire.id, outcome.rejection.httpStatus),
    };
  }
  return outcome;
}
