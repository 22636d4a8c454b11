/**
 * Following merged record ids in updates by id. HubSpot gives a merged record a new id; its old ids still answer
 * reads with it, but `batch/update` does not take them ("these values are not supported when updating records
 * using the batch update endpoint", https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis,
 * "Update records"), and answers them as it answers an id no record has: an OBJECT_NOT_FOUND item.
 *
 * 1. The inputs a first write refused as not found come here, from every batch of the target.
 * 2. Their ids are read (hubspot/read-by-key.ts, by record id: an old id answers its survivor) 100 a request, once
 *    100 wait, or once no first write of the target is still out (none can join soon), or once `waitMs` passed;
 *    ids learnt earlier are not read again (a bounded map).
 * 3. Inputs whose survivor is known are written to it, 100 a request, under the same three conditions (a read
 *    still out counts as a write still out). A survivor is written by one input at a time, the earlier input
 *    first: two inputs naming one record never share a request (HubSpot refuses such a batch whole), and the later
 *    one's values land last. A property a later input of the input's own batch already wrote to the survivor is
 *    not written again: later wins.
 * 4. An id no record answers is RECORD_NOT_FOUND, naming hs_object_id; a read refused or left unaccounted rejects
 *    the input with that reason (record-id.ts, read-by-key.ts).
 * Why after the refusal rather than reading every id first: reading first costs a read for every batch of 100,
 * 2 requests a batch; following costs a read per 100 refused ids and a write per 100 merged ones, 1.11 requests a
 * batch with 5 % merged and 1 % missing ids, which no order can beat: the merged ids are written twice, and every
 * refused id is read (docs/crm.md, "Merged records").
 */
import type { InputOutcome, WireInput, WriteTarget } from "../../../contract.js";
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
  input: WireInput;
  index: number;
  first: FirstWrite;
  /** The record the id was merged into (or the id itself), once known. */
  survivor?: string;
  /** When it began to wait for its read, then for its write (performance.now()). */
  since: number;
  settle: (outcome: InputOutcome) => void;
  fail: (error: unknown) => void;
}

/** What the follower keeps for one target. */
interface TargetQueue {
  target: WriteTarget;
  /** First writes of the target still out. */
  out: number;
  toRead: Waiting[];
  reading: number;
  toWrite: Waiting[];
  /** Survivors with a write out. */
  busy: Set<string>;
  /** Fires when the longest-waiting input will have waited `waitMs`. */
  timer: NodeJS.Timeout | undefined;
}

const byInputOrder = (a: Waiting, b: Waiting) => a.first.batch - b.first.batch || a.index - b.index;

export class MergedIdFollower {
  private readonly queues = new Map<string, TargetQueue>();
  private readonly survivors = new BoundedCache<string>(REMEMBERED_SURVIVORS);
  private nextTrace = 0;

  constructor(private readonly parts: FollowerParts) {}

  /** A first write of `target` went out: refused inputs wait for it before their ids are read. */
  started(target: WriteTarget): void {
    this.queue(target).out += 1;
  }

  /** That first write was answered (its refused inputs, if any, already handed to `follow`). */
  ended(target: WriteTarget): void {
    const queue = this.queue(target);
    queue.out -= 1;
    this.pump(queue);
  }

  /** Step 1: inputs of one batch refused as not found; answers each one's outcome, by trace id. */
  follow(
    target: WriteTarget,
    refused: readonly { input: WireInput; index: number }[],
    first: FirstWrite,
  ): Promise<Outcomes> {
    const queue = this.queue(target);
    const settled = refused.map(
      ({ input, index }) =>
        new Promise<[string, InputOutcome]>((resolve, reject) => {
          const settle = (outcome: InputOutcome) => resolve([input.traceId, outcome]);
          const survivor = this.survivors.get(`${target.objectType}\u0000${input.id}`);
          const entry: Waiting = { input, index, first, settle, fail: reject, since: performance.now() };
          if (survivor === undefined) queue.toRead.push(entry);
          else queue.toWrite.push({ ...entry, survivor });
        }),
    );
    this.pump(queue);
    return Promise.all(settled).then((entries) => new Map(entries));
  }

  private queue(target: WriteTarget): TargetQueue {
    let queue = this.queues.get(target.key);
    if (!queue) {
      const fresh = { out: 0, toRead: [], reading: 0, toWrite: [], busy: new Set<string>() };
      queue = { target, ...fresh, timer: undefined };
      this.queues.set(target.key, queue);
    }
    return queue;
  }

  /**
   * Steps 2 and 3: starts the reads and writes that may go now; while anything waits, a timer for when the
   * longest-waiting input will have waited `waitMs`.
   */
  private pump(queue: TargetQueue): void {
    const now = performance.now();
    const overdue = (entries: readonly Waiting[]) =>
      entries.some((entry) => now - entry.since >= this.parts.waitMs);
    const quiet = queue.out === 0;
    while (queue.toRead.length >= KEYS_PER_READ) this.read(queue, queue.toRead.splice(0, KEYS_PER_READ));
    if (queue.toRead.length > 0 && (quiet || overdue(queue.toRead))) this.read(queue, queue.toRead.splice(0));
    const calm = quiet && queue.reading === 0 && queue.toRead.length === 0;
    let ready = this.ready(queue);
    while (ready.length >= KEYS_PER_READ) {
      this.write(queue, ready.slice(0, KEYS_PER_READ));
      ready = this.ready(queue);
    }
    if (ready.length > 0 && (calm || overdue(ready))) this.write(queue, ready);
    this.wake(queue, now);
  }

  /**
   * The timer for the longest-waiting input that could go (none while nothing waits). An input behind a write of
   * its survivor still out goes when that write is answered, which pumps again.
   */
  private wake(queue: TargetQueue, now: number): void {
    if (queue.timer) clearTimeout(queue.timer);
    queue.timer = undefined;
    const waiting = [...queue.toRead, ...this.ready(queue)];
    if (waiting.length === 0) return;
    const oldest = Math.min(...waiting.map((entry) => entry.since));
    queue.timer = setTimeout(() => this.pump(queue), Math.max(0, oldest + this.parts.waitMs - now));
  }

  /** The inputs that may be written now: the earliest of each survivor that has no write out. */
  private ready(queue: TargetQueue): Waiting[] {
    queue.toWrite.sort(byInputOrder);
    const taken = new Set(queue.busy);
    const ready: Waiting[] = [];
    for (const entry of queue.toWrite) {
      const survivor = entry.survivor as string;
      if (!taken.has(survivor)) ready.push(entry);
      taken.add(survivor);
    }
    return ready;
  }

  /** Step 2's read: each id's survivor, or why it has none (step 4). */
  private read(queue: TargetQueue, entries: Waiting[]): void {
    const { target } = queue;
    queue.reading += 1;
    const request = { objectType: target.objectType, idProperty: undefined };
    const ids = entries.map(({ input }) => input.id);
    readByKey(this.parts.transport, this.parts.paths, request, ids, this.parts.isolation)
      .then((read) => {
        for (const entry of entries) {
          const { id } = entry.input;
          const record = read.found.get(id);
          if (record) {
            this.survivors.set(`${target.objectType}\u0000${id}`, record.id);
            queue.toWrite.push({ ...entry, survivor: record.id, since: performance.now() });
            continue;
          }
          const rejection =
            read.refused.get(id) ??
            (read.unaccounted.has(id) ? unconfirmedRead(id) : recordNotFound(target.objectName, id));
          entry.settle({ status: "rejected", rejection });
        }
      })
      .catch((error: unknown) => {
        for (const entry of entries) entry.fail(error);
      })
      .finally(() => {
        queue.reading -= 1;
        this.pump(queue);
      });
  }

  /** Step 3's write: these inputs (one per survivor) written to their survivors in one request. */
  private write(queue: TargetQueue, entries: Waiting[]): void {
    const { target } = queue;
    const taken = new Set(entries);
    queue.toWrite = queue.toWrite.filter((entry) => !taken.has(entry));
    const sends: { entry: Waiting; wire: WireInput }[] = [];
    for (const entry of entries) {
      const survivor = entry.survivor as string;
      const properties = notWrittenLater(entry, survivor);
      if (Object.keys(properties).length === 0 && Object.keys(entry.input.properties).length > 0) {
        entry.settle({ status: "written", effect: "updated", recordId: survivor });
        continue;
      }
      queue.busy.add(survivor);
      const traceId = `m${(this.nextTrace++).toString(36)}`;
      sends.push({ entry, wire: { traceId, id: survivor, properties } });
    }
    if (sends.length === 0) return;
    const path = this.parts.paths.crmBatch(target.objectType, "update");
    sendIsolating(
      sends.map(({ wire }) => wire),
      (part) => writeBatch(this.parts.transport, target, part, path, undefined),
      this.parts.isolation,
    )
      .then((outcomes) => {
        for (const { entry, wire } of sends)
          entry.settle(rewritten(target, wire, outcomes.get(wire.traceId)));
      })
      .catch((error: unknown) => {
        for (const { entry } of sends) entry.fail(error);
      })
      .finally(() => {
        for (const { wire } of sends) queue.busy.delete(wire.id);
        this.pump(queue);
      });
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
