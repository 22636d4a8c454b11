/**
 * Finds the HubSpot ids of link targets by their unique values: the waiting rule.
 *
 * 1. Ids of records the run wrote (`observe`) and ids looked up are kept for the run in a least-recently-used
 *    cache of `ID_CACHE_ENTRIES` entries, so memory stays flat however many targets a run links.
 * 2. A target not in the cache is looked up at once, batched per object and property (100 values a request).
 * 3. A target HubSpot does not have, of an object some stream of the run writes, may still be created by a later
 *    record: it waits until a record with that key is written (`observe`), or until it is released (the stage's
 *    cap on waiting records, or reading paused with nothing else to do): then it is looked up once more and is
 *    found or missing for good. A target of an object the run does not write is missing at once (and remembered
 *    as missing, so it costs one lookup however many records name it).
 * 4. `finish` (end of input) releases every waiting target, and from then on nothing waits.
 */
import type { WriteTarget } from "../contract.js";
import { BatchQueue } from "./batch-queue.js";
import { BoundedCache } from "./bounded-cache.js";
import { LOOKUP_BATCH_LIMIT } from "./lookups.js";
import { type LinkSpec, type Resolution, type TargetRef, targetKey } from "./types.js";

/**
 * Target ids a run keeps: 100,000 entries of a key and an id, about 15 MB at most. A target pushed out is looked
 * up again when a later record names it.
 */
export const ID_CACHE_ENTRIES = 100_000;

export interface ResolverOptions {
  lookup(
    target: { objectType: string; property: string },
    values: string[],
  ): Promise<Map<string, Resolution>>;
  /** Whether a record of this run may still create a record of this object with this key. */
  mayBeWritten(objectType: string, property: string): boolean;
  lingerMs: number;
  fail(error: unknown): void;
  /** The stage's links per stream: only writes of the objects and keys they name are worth remembering. */
  specs: ReadonlyMap<string, readonly LinkSpec[]>;
  /** @default ID_CACHE_ENTRIES */
  cacheEntries?: number;
}

interface Request {
  settle(resolution: Resolution): void;
  /** Told when the target starts waiting for a later record (or at once, if it already waits). */
  onWait?: (() => void) | undefined;
}

interface KeyState {
  ref: TargetRef;
  phase: "lookup" | "waiting";
  /** Looked up for the last time: a miss is final. */
  final: boolean;
  requests: Request[];
}

/** `null`: looked up and not found, for objects the run does not write. */
type Cached = string | null;

export class TargetResolver {
  private readonly cache: BoundedCache<Cached>;
  private readonly states = new Map<string, KeyState>();
  private readonly queues = new Map<string, BatchQueue<KeyState>>();
  private draining = false;
  private lingerMs: number;
  /** `objectType\0property` of every target some link names. */
  private readonly watched = new Set<string>();

  constructor(private readonly options: ResolverOptions) {
    this.cache = new BoundedCache(options.cacheEntries ?? ID_CACHE_ENTRIES);
    this.lingerMs = options.lingerMs;
    for (const specs of options.specs.values())
      for (const spec of specs) this.watched.add(`${spec.toObjectType}\u0000${spec.toKey}`);
  }

  /** Targets waiting for a later record. */
  get waiting(): number {
    let count = 0;
    for (const state of this.states.values()) if (state.phase === "waiting") count += 1;
    return count;
  }

  /** Lookups queued or in flight. */
  get busy(): boolean {
    for (const queue of this.queues.values()) if (queue.queued > 0 || queue.inFlight > 0) return true;
    return false;
  }

  /** The target's id, or what finding it came to; never settles before it returns. */
  resolve(ref: TargetRef, onWait?: () => void): Promise<Resolution> {
    const key = targetKey(ref);
    const cached = this.cache.get(key);
    if (typeof cached === "string") return Promise.resolve({ status: "found", id: cached });
    if (cached === null) return Promise.resolve({ status: "missing" });
    return new Promise((settle) => {
      const request = { settle, onWait };
      const state = this.states.get(key);
      if (state) {
        state.requests.push(request);
        if (state.phase === "waiting") onWait?.();
        return;
      }
      const fresh: KeyState = { ref, phase: "lookup", final: this.draining, requests: [request] };
      this.states.set(key, fresh);
      this.queueFor(ref).add(fresh);
    });
  }

  /** A record of the run was written with this key: its id settles whoever waits for it. */
  observe(ref: TargetRef, id: string): void {
    const key = targetKey(ref);
    this.cache.set(key, id);
    const state = this.states.get(key);
    if (state) this.settle(key, state, { status: "found", id });
  }

  /** A record the run wrote (not archived) with this key: observed when some link names its object and key. */
  observeWrite(target: WriteTarget, key: string, recordId: string): void {
    if (target.mode === "archive" || !this.watched.has(`${target.objectType}\u0000${target.idProperty}`))
      return;
    this.observe({ objectType: target.objectType, property: target.idProperty, value: key }, recordId);
  }

  /** Stops waiting for these targets: each is looked up once more, then found or missing. */
  release(refs: Iterable<TargetRef>): void {
    for (const ref of refs) {
      const state = this.states.get(targetKey(ref));
      if (state?.phase !== "waiting") continue;
      state.phase = "lookup";
      state.final = true;
      this.queueFor(ref).add(state);
    }
  }

  /**
   * Stops the oldest of `jobs` (records waiting for their targets, oldest first) waiting: `records` of them at most,
   * and at most one lookup request's worth of targets; their targets are looked up at once. Answers how many it
   * released. The associations stage and the creates' inline links both hold records this way.
   */
  releaseOldest(jobs: Iterable<{ refs: TargetRef[]; released: boolean }>, records: number): number {
    const refs: TargetRef[] = [];
    let released = 0;
    for (const job of jobs) {
      if (released >= records || refs.length >= LOOKUP_BATCH_LIMIT) break;
      if (job.released) continue;
      job.released = true;
      released += 1;
      refs.push(...job.refs);
    }
    if (refs.length === 0) return released;
    this.release(refs);
    this.flush();
    return released;
  }

  /** End of input: every waiting target is released, nothing waits from now on, lookups go out without linger. */
  finish(): void {
    this.draining = true;
    this.setLinger(0);
    this.release([...this.states.values()].map((state) => state.ref));
    this.flush();
  }

  flush(): void {
    for (const queue of this.queues.values()) queue.flush();
  }

  setLinger(lingerMs: number): void {
    this.lingerMs = lingerMs;
    for (const queue of this.queues.values()) queue.setLinger(lingerMs);
  }

  /** Sends nothing more (a fatal failure or a stop). */
  stop(): void {
    for (const queue of this.queues.values()) queue.stop();
  }

  private queueFor(ref: TargetRef): BatchQueue<KeyState> {
    const name = `${ref.objectType}\u0000${ref.property}`;
    let queue = this.queues.get(name);
    if (!queue) {
      const target = { objectType: ref.objectType, property: ref.property };
      queue = new BatchQueue<KeyState>({
        maxItems: LOOKUP_BATCH_LIMIT,
        lingerMs: this.lingerMs,
        fail: this.options.fail,
        send: async (states) => {
          const found = await this.options.lookup(
            target,
            states.map((state) => state.ref.value),
          );
          for (const state of states) this.answer(state, found.get(state.ref.value) ?? { status: "missing" });
        },
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  private answer(state: KeyState, resolution: Resolution): void {
    const key = targetKey(state.ref);
    // Settled meanwhile: a record with this key was written while the lookup was out.
    if (this.states.get(key) !== state || state.phase !== "lookup") return;
    if (resolution.status !== "missing") {
      if (resolution.status === "found") this.cache.set(key, resolution.id);
      return this.settle(key, state, resolution);
    }
    const { objectType, property } = state.ref;
    if (!this.options.mayBeWritten(objectType, property)) {
      this.cache.set(key, null);
      return this.settle(key, state, resolution);
    }
    if (state.final || this.draining) return this.settle(key, state, resolution);
    state.phase = "waiting";
    for (const request of state.requests) request.onWait?.();
  }

  private settle(key: string, state: KeyState, resolution: Resolution): void {
    this.states.delete(key);
    for (const request of state.requests) request.settle(resolution);
  }
}
