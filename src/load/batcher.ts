/**
 * Groups mapped records into HubSpot batches, one open batch per target.
 *
 * 1. A record joins its target's open batch; a record whose key is already in that batch is merged into the
 *    same input with the stream's merge rule (as HubSpot would apply the two writes in order), because HubSpot
 *    refuses a batch with duplicate ids.
 * 2. A record whose object and key sit in *another* target's open batch (two streams writing one object) first
 *    sends that batch, so batches reach the dispatcher in input order for every key.
 * 3. A batch is handed on when it holds `batchSize` inputs (the target's own size, if it has one), when its
 *    linger time has passed since it opened, or when `flushAll()` is called (end of input, a checkpoint that needs
 *    it, or backpressure).
 */
import type { InlineLink, RecordMapper, WriteTarget } from "../contract.js";
import type { BatchInput, RecordRef } from "./types.js";

export interface BatcherOptions {
  batchSize: number;
  lingerMs: number;
  onBatch: (target: WriteTarget, inputs: BatchInput[]) => void;
}

interface OpenBatch {
  target: WriteTarget;
  inputs: Map<string, BatchInput>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The key two writes of one HubSpot record share, whatever stream they come from (a target that `locksRecord`:
 * a CRM write, a list membership, which then follows a CRM write of its member earlier in the input).
 */
export function recordLock(target: WriteTarget, id: string): string | undefined {
  return target.locksRecord ? `${target.objectType}\u0000${id}` : undefined;
}

const replace: NonNullable<RecordMapper["merge"]> = (into, later) => Object.assign(into, later);

export class Batcher {
  private readonly open = new Map<string, OpenBatch>();
  /** Record lock → key of the target whose open batch holds it. */
  private readonly openLocks = new Map<string, string>();
  private nextTrace = 0;
  /** Records held in open batches, for backpressure. */
  buffered = 0;

  constructor(private readonly options: BatcherOptions) {}

  add(
    target: WriteTarget,
    mapped: { id: string; properties: Record<string, string>; links?: readonly InlineLink[] | undefined },
    record: RecordRef,
    merge: RecordMapper["merge"] = replace,
  ): void {
    const lock = recordLock(target, mapped.id);
    const holder = lock === undefined ? undefined : this.openLocks.get(lock);
    if (holder !== undefined && holder !== target.key) {
      const other = this.open.get(holder);
      if (other) this.flushBatch(other);
    }
    const batch = this.openBatch(target);
    this.buffered += 1;
    const existing = batch.inputs.get(mapped.id);
    const part = { properties: mapped.properties, record };
    if (existing) {
      merge(existing.properties, mapped.properties);
      existing.parts.push(part);
    } else {
      batch.inputs.set(mapped.id, {
        traceId: `t${(this.nextTrace++).toString(36)}`,
        id: mapped.id,
        properties: { ...mapped.properties },
        ...(mapped.links ? { links: mapped.links } : {}),
        parts: [part],
      });
      if (lock !== undefined) this.openLocks.set(lock, target.key);
    }
    const full = batch.inputs.size >= (target.batchSize ?? this.options.batchSize);
    if (full || (target.lingerMs ?? this.options.lingerMs) === 0) this.flushBatch(batch);
  }

  flushAll(): void {
    for (const batch of [...this.open.values()]) this.flushBatch(batch);
  }

  /** Stops the linger timers (after a fatal error or a stop); what is open stays unsent. */
  stop(): void {
    for (const batch of this.open.values()) if (batch.timer) clearTimeout(batch.timer);
    this.open.clear();
    this.openLocks.clear();
    this.buffered = 0;
  }

  private openBatch(target: WriteTarget): OpenBatch {
    let batch = this.open.get(target.key);
    if (batch) return batch;
    batch = { target, inputs: new Map(), timer: undefined };
    this.open.set(target.key, batch);
    const lingerMs = target.lingerMs ?? this.options.lingerMs;
    if (lingerMs > 0) {
      const opened = batch;
      batch.timer = setTimeout(() => this.flushBatch(opened), lingerMs);
    }
    return batch;
  }

  private flushBatch(batch: OpenBatch): void {
    if (this.open.get(batch.target.key) !== batch) return;
    this.open.delete(batch.target.key);
    if (batch.timer) clearTimeout(batch.timer);
    const inputs = [...batch.inputs.values()];
    for (const input of inputs) {
      this.buffered -= input.parts.length;
      const lock = recordLock(batch.target, input.id);
      if (lock !== undefined && this.openLocks.get(lock) === batch.target.key) this.openLocks.delete(lock);
    }
    if (inputs.length > 0) this.options.onBatch(batch.target, inputs);
  }
}
