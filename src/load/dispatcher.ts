/**
 * Sends batches and settles each record in them.
 *
 * 1. Batches of one target go out in the order they were made; a batch that shares a key with a batch still in
 *    flight waits for it (and the ones behind it wait too), so two writes of one record never race.
 * 2. Batches of different targets, and batches without shared keys, run concurrently; the HubSpot client's rate
 *    governor decides how many requests are really on the wire.
 * 3. Every input's outcome settles its records: written, or rejected with HubSpot's reason. An input that merged
 *    several records and was rejected is retried one record at a time, so one bad record never costs the others.
 * 4. A connector-level failure (bad token, retries exhausted) goes to `onFatal`; nothing more is sent after it.
 */
import type { Rejection } from "../rejects/rejected-record.js";
import type { BatchInput, BatchSender, RecordRef, WriteTarget } from "./types.js";

export interface DispatcherOptions {
  send: BatchSender;
  onWritten: (target: WriteTarget, record: RecordRef, created: boolean | undefined) => void;
  onRejected: (target: WriteTarget, record: RecordRef, rejection: Rejection) => void;
  onFatal: (error: unknown) => void;
}

interface TargetQueue {
  target: WriteTarget;
  waiting: BatchInput[][];
  inFlightKeys: Map<string, number>;
}

export class Dispatcher {
  private readonly queues = new Map<string, TargetQueue>();
  private active = 0;
  private failed = false;
  private idleWaiters: (() => void)[] = [];
  private retryTrace = 0;
  /** Records queued or in flight, for backpressure. */
  records = 0;
  /** Batch requests completed (each possibly several HTTP calls when isolating bad records). */
  batchesSent = 0;

  constructor(private readonly options: DispatcherOptions) {}

  submit(target: WriteTarget, inputs: BatchInput[]): void {
    if (this.failed) return;
    let queue = this.queues.get(target.key);
    if (!queue) {
      queue = { target, waiting: [], inFlightKeys: new Map() };
      this.queues.set(target.key, queue);
    }
    for (const input of inputs) this.records += input.parts.length;
    queue.waiting.push(inputs);
    this.pump(queue);
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.active === 0 && this.records === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(queue: TargetQueue): void {
    while (!this.failed) {
      const head = queue.waiting[0];
      if (!head || head.some((input) => queue.inFlightKeys.has(input.id))) return;
      queue.waiting.shift();
      for (const input of head) queue.inFlightKeys.set(input.id, (queue.inFlightKeys.get(input.id) ?? 0) + 1);
      this.active += 1;
      void this.run(queue, head);
    }
  }

  private async run(queue: TargetQueue, inputs: BatchInput[]): Promise<void> {
    const { target } = queue;
    try {
      const outcomes = await this.options.send(
        target,
        inputs.map(({ traceId, id, properties }) => ({ traceId, id, properties })),
      );
      this.batchesSent += 1;
      const retries: BatchInput[] = [];
      for (const input of inputs) {
        const outcome = outcomes.get(input.traceId) ?? { ok: true };
        if (outcome.ok) {
          // A merged input is one HubSpot record: only its first part can have created it.
          input.parts.forEach((part, index) => {
            const created = index === 0 || outcome.created === undefined ? outcome.created : false;
            this.options.onWritten(target, part.record, created);
          });
        } else if (input.parts.length > 1) {
          for (const part of input.parts) retries.push(this.single(input.id, part));
        } else {
          for (const part of input.parts) this.options.onRejected(target, part.record, outcome.rejection);
        }
        this.records -= input.parts.length;
      }
      // Re-queued one record per batch, in their input order: the key stays serialized by step 1.
      for (const retry of retries) this.submit(target, [retry]);
    } catch (error) {
      if (!this.failed) {
        this.failed = true;
        this.options.onFatal(error);
      }
    } finally {
      for (const input of inputs) {
        const count = (queue.inFlightKeys.get(input.id) ?? 1) - 1;
        if (count <= 0) queue.inFlightKeys.delete(input.id);
        else queue.inFlightKeys.set(input.id, count);
      }
      this.active -= 1;
      this.pump(queue);
      this.notifyIdle();
    }
  }

  private single(id: string, part: BatchInput["parts"][number]): BatchInput {
    return {
      traceId: `r${(this.retryTrace++).toString(36)}`,
      id,
      properties: part.properties,
      parts: [part],
    };
  }

  private notifyIdle(): void {
    if (this.active !== 0 || (this.records !== 0 && !this.failed)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
