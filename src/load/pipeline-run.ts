/**
 * One run of the write pipeline, as pipeline.ts's outline drives it: its parts wired together (the settlement and
 * its checkpoint tracker, the stages, the dispatcher, the batcher, the intake), the backpressure that pauses
 * reading, and the drain at the end. The numbered steps are pipeline.ts's.
 */
import type { InputStage, RecordMapper, RecordStage } from "../contract.js";
import type { InputLine } from "../protocol/reader.js";
import { UNATTRIBUTED } from "../protocol/stream-key.js";
import type { RejectedRecord } from "../rejects/rejected-record.js";
import { Batcher } from "./batcher.js";
import { Dispatcher } from "./dispatcher.js";
import { type BadLine, createIntake } from "./intake.js";
import {
  DEFAULT_MAX_IN_FLIGHT_BYTES,
  MAX_KEPT_RAW_LINE,
  type PipelineOptions,
  type PipelineResult,
} from "./pipeline-options.js";
import { RefusedValues } from "./refused-values.js";
import { RunStats } from "./run-stats.js";
import { Settlement } from "./settlement.js";
import { handOffWritten, type WrittenHandoff } from "./stage-handoff.js";
import type { InputPart, PipelineInput } from "./types.js";

export class PipelineRun {
  readonly stats: PipelineResult;
  /** Turns one input line into a record, a state, or a rejected line (step 1). */
  readonly intake: (line: InputLine) => void;
  private readonly stages: readonly RecordStage[];
  private readonly inputStages: readonly InputStage[];
  private readonly maxBytes: number;
  private readonly refused = new RefusedValues();
  private readonly mergeFor = new Map<string, RecordMapper["merge"]>();
  private readonly settlement: Settlement;
  private readonly handoff: WrittenHandoff;
  private readonly dispatcher: Dispatcher;
  private readonly batcher: Batcher;
  private fatal: { error: unknown } | undefined;
  private wakeReader: (() => void) | undefined;
  private readonly onHalt = () => this.fail(this.options.halt?.reason);
  private readonly onStop = () => this.wake();

  constructor(private readonly options: PipelineOptions) {
    this.stats = (options.stats ?? new RunStats()) as PipelineResult;
    this.stats.stopped = false;
    this.stats.unsettled = 0;
    this.stages = options.stages ?? [];
    this.inputStages = options.inputStages ?? [];
    this.maxBytes = options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES;
    this.settlement = new Settlement({
      stats: this.stats,
      sink: options.sink,
      flushRejectsAt: Math.max(1, Math.floor(options.maxInFlightRecords / 2)),
      emitState: options.emitState,
      redact: options.redact ?? ((text: string) => text),
      wake: () => this.wake(),
      fail: (error) => this.fail(error),
    });
    for (const stage of [...this.inputStages, ...this.stages])
      stage.start?.({ fail: (error) => this.fail(error), stop: options.stop });
    this.handoff = handOffWritten(this.stages, this.settlement, () => this.wake(), this.inputStages);
    this.dispatcher = this.newDispatcher();
    this.batcher = new Batcher({
      batchSize: options.batchSize,
      lingerMs: options.lingerMs,
      onBatch: (target, inputs) => this.dispatcher.submit(target, inputs),
    });
    this.intake = this.newIntake();
  }

  /** Whether reading must end: a fatal error, or a stop. */
  get ending(): boolean {
    return this.fatal !== undefined || this.stopped;
  }

  /** Listens for a halt (step 6) and a stop (step 7); answers the signal that ends reading. */
  listen(): AbortSignal | undefined {
    const { halt, stop } = this.options;
    if (halt?.aborted) this.onHalt();
    else halt?.addEventListener("abort", this.onHalt, { once: true });
    stop?.addEventListener("abort", this.onStop, { once: true });
    return halt && stop ? AbortSignal.any([stop, halt]) : (halt ?? stop);
  }

  /** Counts what the stages still hold, and stops listening once the last batches are answered. */
  close(): void {
    this.handoff.countHeld();
    this.options.stop?.removeEventListener("abort", this.onStop);
    // A guard may still fire while the last batches are answered: only then does it stop listening.
    this.options.halt?.removeEventListener("abort", this.onHalt);
  }

  /** Step 4: waits while too much is unsettled, freeing what can be freed meanwhile. */
  async holdReading(): Promise<void> {
    const { settlement, dispatcher, batcher } = this;
    const stages = [...this.inputStages, ...this.stages];
    const most = this.options.maxInFlightRecords;
    while (!this.ending && this.held()) {
      // A batch in flight will settle and wake the reader, which then fills the open batches up: sending them
      // early would only spend requests on part-filled batches. They go now when nothing else can free room
      // (nothing is being sent), or when their bytes are what holds reading up.
      const idle = dispatcher.records === 0;
      if (idle || this.overBytes()) batcher.flushAll();
      // Rejects waiting for the store are stored first; only if the stages alone still hold reading up are they
      // told (a stage waiting for input that cannot come while reading is paused lets some records go).
      const onlyStages = stages.length > 0 && idle;
      if (onlyStages && settlement.rejectsPending === 0) for (const stage of stages) stage.relieve?.();
      if (settlement.rejectsPending >= most || this.overBytes() || onlyStages) settlement.flushRejects();
      await new Promise<void>((resolve) => {
        this.wakeReader = resolve;
      });
    }
  }

  /** Step 5 and the end of 6 and 7: send what is open, let the stages finish, store the rejects, account. */
  async drain(): Promise<PipelineResult> {
    const { stats, batcher, dispatcher } = this;
    this.options.stop?.removeEventListener("abort", this.onStop);
    if (!this.fatal && this.stopped) {
      stats.stopped = true;
      batcher.stop();
      dispatcher.discardWaiting();
    }
    if (!this.fatal) {
      batcher.flushAll();
      await dispatcher.idle();
    }
    // Every earlier write is answered: records held before their write (a create's link targets) go now.
    for (const stage of this.inputStages) {
      if (this.fatal || stats.stopped) break;
      await stage.finish().catch((error: unknown) => this.fail(error));
      batcher.flushAll();
      await dispatcher.idle();
    }
    for (const stage of this.stages) {
      if (this.fatal || stats.stopped) break;
      await stage.finish().catch((error: unknown) => this.fail(error));
    }
    if (!this.fatal) await this.options.sink.flush().catch((error: unknown) => this.fail(error));
    if (this.fatal) throw this.fatal.error;
    const { tracker } = this.settlement;
    stats.unsettled = tracker.pendingRecords;
    if (!stats.stopped && (tracker.pendingRecords > 0 || tracker.waitingStates > 0)) {
      throw new Error(
        `Internal accounting error: ${tracker.pendingRecords} records and ${tracker.waitingStates} states unsettled at the end`,
      );
    }
    return stats;
  }

  private get stopped(): boolean {
    return this.options.stop?.aborted === true;
  }

  /** Records on their way to HubSpot: what the senders and stages still have to settle. */
  private sending(): number {
    const stages = [...this.inputStages, ...this.stages];
    const held = stages.reduce((sum, stage) => sum + stage.pending, 0);
    return this.dispatcher.records + this.batcher.buffered + held;
  }

  private overBytes(): boolean {
    return this.settlement.bytesInFlight >= this.maxBytes;
  }

  private held(): boolean {
    const most = this.options.maxInFlightRecords;
    return this.sending() >= most || this.settlement.rejectsPending >= most || this.overBytes();
  }

  private wake(): void {
    const resolve = this.wakeReader;
    this.wakeReader = undefined;
    resolve?.();
  }

  /** Step 6: a fatal error halts the tracker (no STATE past it) and stops reading and sending. */
  private fail(error: unknown): void {
    if (this.fatal) return;
    this.fatal = { error };
    this.settlement.tracker.halt();
    this.batcher.stop();
    this.dispatcher.discardWaiting();
    this.wake();
  }

  private newDispatcher(): Dispatcher {
    const { refused, settlement } = this;
    return new Dispatcher({
      send: this.options.send,
      mergeFor: (target) => this.mergeFor.get(target.key),
      screen: (target, properties) => refused.check(target, properties),
      learn: (target, properties, rejection) => refused.learn(target, rejection, properties),
      onWritten: this.handoff.onWritten,
      onRejected: (target, part: InputPart, rejection) => {
        refused.learn(target, rejection, part.properties);
        settlement.rejectRecord(target, part.record, rejection);
      },
      onFatal: (error) => this.fail(error),
    });
  }

  /** Steps 2 and 3: a record mapped, screened and batched; a state tracked; a bad line rejected. */
  private newIntake(): (line: InputLine) => void {
    const { settlement, refused, batcher, mergeFor, stages, stats, options, inputStages } = this;
    const ending = () => this.ending;
    const wake = () => this.wake();
    return createIntake(options.input, {
      record(route, data, emittedAt, lineNumber, bytes) {
        const { target, mapper } = route;
        if (!mergeFor.has(target.key)) mergeFor.set(target.key, mapper.merge?.bind(mapper));
        const ref = settlement.admit(target.key, lineNumber, bytes, data, emittedAt);
        const mapped = mapper.map(data);
        if (!mapped.ok) return settlement.rejectRecord(target, ref, mapped.rejection);
        if (mapped.skip) return settlement.skipped(target, ref);
        const earlier = refused.check(target, mapped.properties);
        if (earlier) return settlement.rejectRecord(target, ref, earlier);
        const before = inputStages.find((stage) => stage.wants(target));
        if (!before) return batcher.add(target, mapped, ref, mergeFor.get(target.key));
        const { id, properties } = mapped;
        before.take(
          { target, data, id, properties, lineNumber },
          (links) => {
            // After a stop or a fatal error nothing more is batched: the record is left for the next run.
            if (!ending()) batcher.add(target, { id, properties, links }, ref, mergeFor.get(target.key));
          },
          (rejection) => {
            settlement.rejectRecord(target, ref, rejection);
            wake();
          },
        );
      },
      badLine(line: BadLine) {
        for (const stage of stages) stage.lost?.(line.stream);
        rejectBadLine(line, options.input, settlement);
      },
      state: (state) => {
        settlement.tracker.addState(state);
        // Nothing is being sent, so the open batches would only wait out their linger: send them now and let the
        // state go out sooner. While requests are in flight, batches keep filling instead.
        if (this.dispatcher.records === 0) batcher.flushAll();
      },
      streamStatus: (stream, status) => {
        stats.streamStatus(stream, status);
        for (const stage of stages) stage.streamStatus?.(stream, status);
      },
      notice: (message) => options.log("WARN", message),
    });
  }
}

/** A line that reached no route; in raw pipe mode it still belongs to the one stream and is counted there. */
function rejectBadLine(line: BadLine, input: PipelineInput, settlement: Settlement): void {
  const statsKey = input.kind === "raw" ? input.route.target.key : UNATTRIBUTED;
  const ref = settlement.admit(statsKey, line.lineNumber, line.bytes, line.data);
  const record: RejectedRecord = {
    stream: line.stream,
    lineNumber: line.lineNumber,
    rawLine: line.data === undefined ? line.rawLine.slice(0, MAX_KEPT_RAW_LINE) : undefined,
    data: line.data,
    rejection: line.rejection,
  };
  if (input.kind === "raw") record.generationId = input.route.target.generationId;
  settlement.reject(ref, record, statsKey);
}
