/**
 * Groups mapped records into HubSpot batches, one open batch per target.
 *
 * 1. A record joins its target's open batch; a record whose key is already in that batch is merged into the
 *    same input (later values win), because HubSpot refuses a batch with duplicate ids.
 * 2. A batch is handed on when it holds `batchSize` inputs (the target's own size, if it has one), when its
 *    linger time has passed since it opened,
 *    or when `flushAll()` is called (end of input, or a checkpoint that needs it).
 */
import type { BatchInput, RecordRef, WriteTarget } from "./types.js";

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

export class Batcher {
  private readonly open = new Map<string, OpenBatch>();
  private nextTrace = 0;
  /** Records held in open batches, for backpressure. */
  buffered = 0;

  constructor(private readonly options: BatcherOptions) {}

  add(target: WriteTarget, id: string, properties: Record<string, string>, record: RecordRef): void {
    let batch = this.open.get(target.key);
    if (!batch) {
      batch = { target, inputs: new Map(), timer: undefined };
      this.open.set(target.key, batch);
      const lingerMs = target.lingerMs ?? this.options.lingerMs;
      if (lingerMs > 0) {
        const opened = batch;
        batch.timer = setTimeout(() => this.flushBatch(opened), lingerMs);
      }
    }
    this.buffered += 1;
    const existing = batch.inputs.get(id);
    if (existing) {
      Object.assign(existing.properties, properties);
      existing.parts.push({ properties, record });
    } else {
      batch.inputs.set(id, {
        traceId: `t${(this.nextTrace++).toString(36)}`,
        id,
        properties: { ...properties },
        parts: [{ properties, record }],
      });
    }
    const full = batch.inputs.size >= (target.batchSize ?? this.options.batchSize);
    if (full || (target.lingerMs ?? this.options.lingerMs) === 0) this.flushBatch(batch);
  }

  flushAll(): void {
    for (const batch of [...this.open.values()]) this.flushBatch(batch);
  }

  /** Stops the linger timers (after a fatal error); what is open stays unsent. */
  stop(): void {
    for (const batch of this.open.values()) if (batch.timer) clearTimeout(batch.timer);
    this.open.clear();
  }

  private flushBatch(batch: OpenBatch): void {
    if (this.open.get(batch.target.key) !== batch) return;
    this.open.delete(batch.target.key);
    if (batch.timer) clearTimeout(batch.timer);
    const inputs = [...batch.inputs.values()];
    for (const input of inputs) this.buffered -= input.parts.length;
    if (inputs.length > 0) this.options.onBatch(batch.target, inputs);
  }
}
