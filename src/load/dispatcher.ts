/**
 * Sends batches and settles each record in them.
 *
 * 1. Every CRM input holds a lock on its record (object type and key), whatever stream it came from. Batches wait
 *    in submission order; a batch starts once it is the oldest pending write of each record it holds, so two
 *    writes of one record never race and the later one always lands last. Batches without shared records run
 *    concurrently; the HubSpot client's rate governor decides how many requests are really on the wire.
 * 2. Just before a batch goes out, inputs holding a value HubSpot refused since they were batched are rejected
 *    without being sent (`screen`); the sender applies the same screen to what it re-sends while isolating, and
 *    tells it (`learn`) of each value a refusal blames as soon as it is known.
 * 3. Each input's outcome settles its records (see settle-input.ts). Whatever that takes (a record sent again
 *    alone, merged records isolated) happens before the batch lets go of its locks.
 * 4. A connector-level failure (bad token, retries exhausted) goes to `onFatal`; nothing more is sent after it.
 */
import type {
  BatchSender,
  InputOutcome,
  InputScreen,
  PlanDetail,
  RecordMapper,
  Rejection,
  WriteEffect,
  WriteTarget,
} from "../contract.js";
import { recordLock } from "./batcher.js";
import { settleInput } from "./settle-input.js";
import type { BatchInput, InputPart, WrittenHandler } from "./types.js";

export interface DispatcherOptions {
  send: BatchSender;
  /** The merge rule of a target's stream, for records isolated from a merged input. */
  mergeFor?: (target: WriteTarget) => RecordMapper["merge"];
  /** HubSpot's earlier rejection of one of these values, if any (refused-values.ts). */
  screen?: (target: WriteTarget, properties: Readonly<Record<string, string>>) => Rejection | undefined;
  /** A refusal blamed these values, while the batch is still being isolated: screen them from now on. */
  learn?: (target: WriteTarget, properties: Readonly<Record<string, string>>, rejection: Rejection) => void;
  onWritten: WrittenHandler;
  onRejected: (target: WriteTarget, part: InputPart, rejection: Rejection) => void;
  onFatal: (error: unknown) => void;
}

interface Job {
  seq: number;
  target: WriteTarget;
  inputs: BatchInput[];
  locks: string[];
}

const replace: NonNullable<RecordMapper["merge"]> = (into, later) => Object.assign(into, later);

export class Dispatcher {
  private readonly waiting: Job[] = [];
  /** Record lock → sequence numbers of the jobs that hold it, oldest first (the head may run). */
  private readonly lockQueues = new Map<string, number[]>();
  private nextSeq = 0;
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
    const seq = this.nextSeq++;
    const locks: string[] = [];
    for (const input of inputs) {
      this.records += input.parts.length;
      const lock = recordLock(target, input.id);
      if (lock === undefined) continue;
      locks.push(lock);
      const queue = this.lockQueues.get(lock);
      if (queue) queue.push(seq);
      else this.lockQueues.set(lock, [seq]);
    }
    this.waiting.push({ seq, target, inputs, locks });
    this.pump();
  }

  /** Resolves when nothing is queued or in flight (or after a fatal failure, once nothing runs). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops every batch that has not started (after a fatal failure or a stop); running ones finish. */
  discardWaiting(): number {
    let dropped = 0;
    for (const job of this.waiting.splice(0)) {
      for (const input of job.inputs) dropped += input.parts.length;
      this.release(job);
    }
    this.records -= dropped;
    this.notifyIdle();
    return dropped;
  }

  private isIdle(): boolean {
    return this.active === 0 && (this.waiting.length === 0 || this.failed);
  }

  private pump(): void {
    for (let index = 0; index < this.waiting.length && !this.failed;) {
      const job = this.waiting[index] as Job;
      if (job.locks.every((lock) => this.lockQueues.get(lock)?.[0] === job.seq)) {
        this.waiting.splice(index, 1);
        this.active += 1;
        void this.run(job);
      } else {
        index += 1;
      }
    }
  }

  private async run(job: Job): Promise<void> {
    const { target } = job;
    try {
      const screened = new Map<string, InputOutcome>();
      const toSend = job.inputs.filter((input) => {
        const rejection = this.options.screen?.(target, input.properties);
        if (rejection) screened.set(input.traceId, { status: "rejected", rejection });
        return rejection === undefined;
      });
      const outcomes =
        toSend.length > 0
          ? await this.options.send(target, toSend.map(wire), this.wireScreen(target))
          : new Map();
      for (const [trace, outcome] of screened) outcomes.set(trace, outcome);
      this.batchesSent += 1;
      const context = this.settleContext(target);
      await Promise.all(
        job.inputs.map((input) =>
          settleInput(context, input, outcomes.get(input.traceId) ?? notNamed(outcomes.size)),
        ),
      );
    } catch (error) {
      if (!this.failed) {
        this.failed = true;
        this.options.onFatal(error);
      }
    } finally {
      this.active -= 1;
      this.release(job);
      this.pump();
      this.notifyIdle();
    }
  }

  private settleContext(target: WriteTarget) {
    return {
      target,
      merge: this.options.mergeFor?.(target) ?? replace,
      nextTraceId: () => `r${(this.retryTrace++).toString(36)}`,
      sendAlone: async (input: BatchInput): Promise<InputOutcome> => {
        const rejection = this.options.screen?.(target, input.properties);
        if (rejection) return { status: "rejected", rejection };
        const outcomes = await this.options.send(target, [wire(input)], this.wireScreen(target));
        return outcomes.get(input.traceId) ?? notNamed(outcomes.size);
      },
      written: (
        part: InputPart,
        effect: WriteEffect | undefined,
        key: string,
        recordId: string | undefined,
        detail?: PlanDetail,
      ) => {
        this.records -= 1;
        this.options.onWritten(target, part, effect, key, recordId, detail);
      },
      rejected: (part: InputPart, rejection: Rejection) => {
        this.records -= 1;
        this.options.onRejected(target, part, rejection);
      },
    };
  }

  private wireScreen(target: WriteTarget): InputScreen | undefined {
    const { screen, learn } = this.options;
    if (!screen) return undefined;
    const wired: InputScreen = (input) => screen(target, input.properties);
    if (learn) wired.refused = (input, rejection) => learn(target, input.properties, rejection);
    return wired;
  }

  private release(job: Job): void {
    for (const lock of job.locks) {
      const queue = this.lockQueues.get(lock);
      if (!queue) continue;
      const at = queue.indexOf(job.seq);
      if (at >= 0) queue.splice(at, 1);
      if (queue.length === 0) this.lockQueues.delete(lock);
    }
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

const wire = ({ traceId, id, properties, links }: BatchInput) =>
  links ? { traceId, id, properties, links } : { traceId, id, properties };

/** A sender that answers nothing for an input leaves it unaccounted, never written. */
const notNamed = (answered: number): InputOutcome => ({
  status: "unaccounted",
  reason: `the answer named ${answered} of the inputs, not this one`,
});
