/**
 * The associations stage: links each written record to its targets before the record counts as written.
 *
 * 1. `take` gets a record whose properties HubSpot wrote, with its HubSpot id. Work for one record runs after
 *    any earlier work for the same record (two lines of one key, or two streams of one object), so the later
 *    line's links win.
 * 2. Its targets' ids come from the resolver (resolver.ts): ids the run wrote (`observe`), else lookups; a
 *    target the run may still write waits for it. At most `maxWaitingRecords` records wait: past that the
 *    oldest are released (their targets looked up once more, then found or missing for good). The same happens
 *    when reading is paused and nothing but waiting records holds it (`relieve`), and for all at end of input.
 * 3. Where an entry has a label or `replace`, the record's current links are read first; then the links to
 *    write or remove are decided (link-ops.ts) and sent, batched per call and object pair (link-queues.ts).
 * 4. The record is settled once every link is: written, or rejected with the first problem in config order (a
 *    target not found, a lookup or link HubSpot refused), with the field named and a note that its properties
 *    were written. Links that could be made are made either way.
 * 5. The link changes HubSpot confirmed go to `onLinks` (the run's counts), and, in a plan (`describe`), into the
 *    record's verdict as its plan actions.
 * A failure of the stage's own requests (auth, retries exhausted) is the run's (`fail`); after it, or after a
 * stop, nothing more is sent. A plan runs this same stage over link calls that send no write (`api`).
 */
import type { RecordStage, StageRecord, StageVerdict, WriteTarget } from "../contract.js";
import { LinkQueues } from "./link-queues.js";
import { type LinkChange, type LinkJob, linkRecord } from "./link-record.js";
import { TargetResolver, type ResolverOptions } from "./resolver.js";
import type { LinkSpec } from "./types.js";
import type { LinkCalls } from "./links-api.js";

/**
 * Records that may wait for a target at once: past it, the oldest stop waiting. Reading also pauses once the
 * pipeline's own bound on unsettled records is reached, which is usually lower (about 2,000 by default).
 */
export const MAX_WAITING_RECORDS = 10_000;

export interface AssociationStageOptions {
  /** The compiled entries, by stream key. */
  specs: ReadonlyMap<string, readonly LinkSpec[]>;
  api: LinkCalls;
  lookup: ResolverOptions["lookup"];
  /** Told of each record's confirmed link changes, whatever its verdict (the run's `linked` counts). */
  onLinks?: ((target: WriteTarget, changes: readonly LinkChange[]) => void) | undefined;
  /**
   * A plan: a record settled as written carries its detail with the link changes added as verdicts (`link`,
   * `unlink`), for its plan line. @default false
   */
  describe?: boolean | undefined;
  /** Type ids of the objects some stream of the run upserts or updates (a target of them may come later). */
  writtenObjects: ReadonlySet<string>;
  /** How long a partly filled batch waits for more, in ms (the config's linger_ms). */
  lingerMs: number;
  /** @default MAX_WAITING_RECORDS */
  maxWaitingRecords?: number;
  /** @default ID_CACHE_ENTRIES */
  cacheEntries?: number;
}

export class AssociationStage implements RecordStage {
  pending = 0;
  private readonly resolver: TargetResolver;
  private readonly queues: LinkQueues;
  private readonly locks = new Map<string, Promise<void>>();
  /** Records with a target waiting, oldest first; `unreleased` of them have not been told to stop waiting. */
  private readonly waitingJobs = new Set<LinkJob>();
  private unreleased = 0;
  private readonly maxWaiting: number;
  private onFail: (error: unknown) => void = () => undefined;
  private idleWaiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private halted = false;
  private stalled = false;
  private draining = false;

  constructor(private readonly options: AssociationStageOptions) {
    this.maxWaiting = options.maxWaitingRecords ?? MAX_WAITING_RECORDS;
    const fail = (error: unknown) => this.fail(error);
    this.resolver = new TargetResolver({
      lookup: options.lookup,
      mayBeWritten: (objectType) => options.writtenObjects.has(objectType),
      lingerMs: options.lingerMs,
      specs: options.specs,
      fail,
      ...(options.cacheEntries === undefined ? {} : { cacheEntries: options.cacheEntries }),
    });
    this.queues = new LinkQueues(options.api, options.lingerMs, fail);
  }

  start(hooks: { fail: (error: unknown) => void; stop?: AbortSignal | undefined }): void {
    this.onFail = hooks.fail;
    hooks.stop?.addEventListener("abort", () => this.halt(), { once: true });
    if (hooks.stop?.aborted) this.halt();
  }

  wants(target: WriteTarget): boolean {
    return target.linkable && target.mode !== "archive" && this.options.specs.has(target.key);
  }

  take(record: StageRecord, settle: (verdict: StageVerdict) => void): void {
    this.pending += 1;
    this.setStalled(false);
    const job: LinkJob = { record, settle, refs: [], released: false };
    const lock = `${record.target.objectType}|${record.recordId ?? `key=${record.key}`}`;
    const previous = this.locks.get(lock) ?? Promise.resolve();
    const current = previous.then(() => this.run(job));
    this.locks.set(lock, current);
    void current.finally(() => {
      if (this.locks.get(lock) === current) this.locks.delete(lock);
    });
  }

  observe(target: WriteTarget, key: string, recordId: string): void {
    this.resolver.observeWrite(target, key, recordId);
  }

  /** Reading waits on this stage alone: nothing lingers now, and if nothing is under way either, records go. */
  relieve(): void {
    this.setStalled(true);
    this.flush();
    if (!this.busy()) this.releaseOldest();
  }

  async finish(): Promise<void> {
    this.draining = true;
    this.queues.setLinger(0);
    this.resolver.finish();
    this.flush();
    if (this.pending === 0 || this.halted) return;
    await new Promise<void>((resolve, reject) => this.idleWaiters.push({ resolve, reject }));
  }

  private async run(job: LinkJob): Promise<void> {
    if (this.halted) return;
    let verdict: StageVerdict;
    try {
      const specs = this.options.specs.get(job.record.target.key) ?? [];
      const linked = await linkRecord(job, specs, {
        resolver: this.resolver,
        queues: this.queues,
        lookup: this.options.lookup,
        onWait: () => this.markWaiting(job),
      });
      if (linked.changes.length > 0) this.options.onLinks?.(job.record.target, linked.changes);
      verdict = this.options.describe ? described(job, linked.verdict, linked.changes) : linked.verdict;
    } catch (error) {
      return this.fail(error);
    } finally {
      if (this.waitingJobs.delete(job) && !job.released) this.unreleased -= 1;
    }
    if (this.halted) return;
    this.pending -= 1;
    this.setStalled(false);
    job.settle(verdict);
    if (this.pending === 0) for (const waiter of this.idleWaiters.splice(0)) waiter.resolve();
  }

  private markWaiting(job: LinkJob): void {
    if (!this.waitingJobs.has(job)) {
      this.waitingJobs.add(job);
      if (!job.released) this.unreleased += 1;
    }
    if (this.stalled) return this.releaseOldest();
    // Past the cap, the oldest go: the excess and a hundredth of the cap more, so the next few need no release.
    if (this.unreleased > this.maxWaiting)
      this.releaseOldest(this.unreleased - this.maxWaiting + Math.ceil(this.maxWaiting / 100));
  }

  /** Stops the oldest `records` waiting records waiting, or fewer: about one lookup request's worth of targets. */
  private releaseOldest(records = Number.POSITIVE_INFINITY): void {
    this.unreleased -= this.resolver.releaseOldest(this.waitingJobs, records);
  }

  private busy(): boolean {
    return this.resolver.busy || this.queues.busy;
  }

  private flush(): void {
    this.resolver.flush();
    this.queues.flush();
  }

  /** While reading is paused for want of settles, nothing lingers for a fuller batch. */
  private setStalled(stalled: boolean): void {
    if (this.stalled === stalled || this.draining) return;
    this.stalled = stalled;
    const linger = stalled ? 0 : this.options.lingerMs;
    this.resolver.setLinger(linger);
    this.queues.setLinger(linger);
  }

  private halt(): void {
    this.halted = true;
    this.resolver.stop();
    this.queues.stop();
  }

  private fail(error: unknown): void {
    if (this.halted) return;
    this.halt();
    for (const waiter of this.idleWaiters.splice(0)) waiter.reject(error);
    this.onFail(error);
  }
}

/**
 * A plan's verdict: the record's own detail (its current values) with the link changes added, also when the record
 * ends rejected (its properties were written, and the links that could be made were).
 */
function described(job: LinkJob, verdict: StageVerdict, changes: readonly LinkChange[]): StageVerdict {
  const detail = job.record.detail;
  return { ...verdict, detail: { ...detail, verdicts: [...(detail?.verdicts ?? []), ...changes] } };
}
