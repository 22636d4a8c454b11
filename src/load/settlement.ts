/**
 * Where every record of a run ends: written, skipped, or rejected and durably stored. It owns the checkpoint
 * tracker (a STATE goes out once all before it is settled), the run's totals, the rejects store, and the two
 * counts reading waits on besides the senders: rejects not yet stored, and bytes of input not yet settled.
 */
import type { Rejection, WriteEffect, WriteTarget } from "../contract.js";
import type { RejectedRecord } from "../rejects/rejected-record.js";
import type { RejectsSink } from "../rejects/sink.js";
import { CheckpointTracker, type StateMessage } from "./checkpoints.js";
import type { RunStats } from "./run-stats.js";
import type { RecordRef } from "./types.js";

export interface SettlementOptions {
  stats: RunStats;
  sink: RejectsSink;
  emitState: (state: StateMessage) => void;
  /** Masks secrets in text that reaches the rejects store. */
  redact: (text: string) => string;
  /** A record settled, or a flush finished: a paused reader should look again. */
  wake: () => void;
  /** The store failed: the run cannot go on. */
  fail: (error: unknown) => void;
  /**
   * Rejected records waiting for the store at which it is asked to store them (one flush at a time), before
   * they reach the pipeline's bound on them and hold reading up.
   */
  flushRejectsAt: number;
}

export class Settlement {
  readonly tracker: CheckpointTracker;
  /** Rejected records handed to the store and not yet durable. */
  rejectsPending = 0;
  /** Bytes of input lines admitted and not yet settled. */
  bytesInFlight = 0;
  private flushing = false;

  constructor(private readonly options: SettlementOptions) {
    this.tracker = new CheckpointTracker({
      release: (state) => {
        options.stats.statesEmitted += 1;
        options.emitState(state);
      },
      requestStoreFlush: () => {
        options.sink.flush().catch(options.fail);
      },
    });
  }

  /** A line read: counted under its stream, and holding back the STATEs after it until it is settled. */
  admit(statsKey: string, lineNumber: number, bytes: number, data: unknown, emittedAt?: number): RecordRef {
    this.options.stats.read(statsKey);
    this.bytesInFlight += bytes;
    return { ticket: this.tracker.admit(statsKey), data, emittedAt, lineNumber, bytes };
  }

  written(target: WriteTarget, ref: RecordRef, effect: WriteEffect | undefined): void {
    this.options.stats.written(target.key, effect);
    this.tracker.settleWritten(ref.ticket);
    this.settled(ref);
  }

  /** Left out by the events allow-list on purpose: settled, in neither state count, counted apart. */
  skipped(target: WriteTarget, ref: RecordRef): void {
    this.options.stats.skipped(target.key);
    this.tracker.settleSkipped(ref.ticket);
    this.settled(ref);
  }

  /**
   * A record of a stream rejected with a reason; `written` is what its own write did when a later stage rejected it
   * (its links): a record HubSpot created is counted as created, apart from the written count.
   */
  rejectRecord(target: WriteTarget, ref: RecordRef, rejection: Rejection, written?: WriteEffect): void {
    if (written === "created") this.createdApart(target);
    this.reject(ref, rejectedRecord(target, ref, rejection), target.key);
  }

  /** A record HubSpot created that is not (or not yet) counted written: counted as created, apart. */
  createdApart(target: WriteTarget): void {
    this.options.stats.effectApart(target.key, "created");
  }

  /** Any rejected line: settled once the store holds it durably (its reason masked for secrets). */
  reject(ref: RecordRef, record: RejectedRecord, statsKey: string): void {
    this.options.stats.rejected(statsKey, record.rejection.code);
    this.tracker.markAwaitingStore(ref.ticket);
    this.rejectsPending += 1;
    const message = this.options.redact(record.rejection.message);
    try {
      this.options.sink.add({ ...record, rejection: { ...record.rejection, message } }, () => {
        this.rejectsPending -= 1;
        this.tracker.settleRejected(ref.ticket);
        this.settled(ref);
      });
    } catch (error) {
      this.options.fail(error);
      return;
    }
    if (this.rejectsPending >= this.options.flushRejectsAt) this.flushRejects();
  }

  /**
   * Asks the store to make the waiting rejects durable (one flush at a time): past their bound they hold reading
   * up too, and a run with no STATE to prompt a flush would otherwise wait for ever.
   */
  flushRejects(): void {
    if (this.flushing || this.rejectsPending === 0) return;
    this.flushing = true;
    this.options.sink
      .flush()
      .catch(this.options.fail)
      .finally(() => {
        this.flushing = false;
        this.options.wake();
      });
  }

  private settled(ref: RecordRef): void {
    this.bytesInFlight -= ref.bytes;
    this.options.wake();
  }
}

function rejectedRecord(target: WriteTarget, ref: RecordRef, rejection: Rejection): RejectedRecord {
  return {
    stream: target.streamName,
    namespace: target.namespace,
    objectName: target.objectName,
    matchingKey: target.idProperty,
    mode: target.mode,
    data: ref.data,
    emittedAt: ref.emittedAt,
    lineNumber: ref.lineNumber,
    generationId: target.generationId,
    rejection,
  };
}
