/**
 * The write loop: stdin lines → route → map → batch → send → settle → checkpoints.
 *
 * 1. Each line becomes a record, a state, or a rejected line (intake.ts).
 * 2. A record is admitted to the checkpoint tracker, mapped by its stream's mapper, checked against the values
 *    HubSpot already refused this run, and batched — or rejected with the reason.
 * 3. A STATE goes to the tracker, which echoes it once everything before it is settled; if nothing is in flight,
 *    the open batches are sent at once rather than after their linger.
 * 4. Reading pauses while too many records are on their way to HubSpot (batched, queued, sending, or held by a
 *    stage), too many rejected records wait for the rejects store, or too many bytes of input are unsettled.
 *    Memory stays flat whatever the input or record size. The rejects store has its own bound and is flushed
 *    as it nears it, so storing rejected records never narrows what may be sent, and a pause sends a partly
 *    filled batch early only when nothing else would free room: batches form as they would with no store.
 * 5. A written record that a stage has more work for (its associations) is settled by that stage, not at once;
 *    every written record's HubSpot id is shown to the stages. When reading is paused and only the stages hold
 *    records, they are told (`relieve`), so a stage waiting for later input lets some records go. At end of input
 *    the open batches are sent, the stages finish (targets never written, a list's sweep), the rejects store is
 *    flushed, and every state released.
 * 6. A fatal error halts the tracker (no STATE past it), stops reading, and is rethrown for the CLI to report;
 *    so does `halt` (a guard), with the error it was aborted with.
 * 7. `stop` (a signal) ends reading at once: nothing more is sent, requests in flight finish, rejected records
 *    are stored, and the states that became safe are echoed; the rest is left for the next run.
 */
import type { BatchSender, RecordMapper, RecordStage } from "../contract.js";
import type { InputLine } from "../protocol/reader.js";
import type { RejectedRecord } from "../rejects/rejected-record.js";
import type { RejectsSink } from "../rejects/sink.js";
import { Batcher } from "./batcher.js";
import { UNATTRIBUTED } from "../protocol/stream-key.js";
import type { StateMessage } from "./checkpoints.js";
import { Dispatcher } from "./dispatcher.js";
import { type BadLine, createIntake } from "./intake.js";
import { RefusedValues } from "./refused-values.js";
import { RunStats } from "./run-stats.js";
import { Settlement } from "./settlement.js";
import { handOffWritten } from "./stage-handoff.js";
import type { InputPart, PipelineInput } from "./types.js";
import { untilStopped } from "./until-stopped.js";

export interface PipelineOptions {
  /** Airbyte messages, or plain JSON records all going to one route. */
  input: PipelineInput;
  send: BatchSender;
  sink: RejectsSink;
  batchSize: number;
  lingerMs: number;
  /**
   * Records allowed on their way to HubSpot (batched, queued, sending, held by a stage) before reading pauses; as
   * many rejected records may wait for the rejects store besides.
   */
  maxInFlightRecords: number;
  /** Bytes of input lines allowed unsettled before reading pauses. @default DEFAULT_MAX_IN_FLIGHT_BYTES */
  maxInFlightBytes?: number;
  emitState: (state: StateMessage) => void;
  log: (level: "INFO" | "WARN", message: string) => void;
  /** Masks secrets in text that reaches the rejects store (HubSpot's messages). @default identity */
  redact?: (text: string) => string;
  /** Aborted when the run must stop early (a signal): see step 7. */
  stop?: AbortSignal;
  /**
   * Aborted, with an error as its reason, when the run must end at once as after a fatal error (a guard fired):
   * see step 6. Unlike a stop, no STATE is echoed after it.
   */
  halt?: AbortSignal;
  /** Work after a record's own write (associations) or after the input (list sweeps): see step 5. */
  stages?: readonly RecordStage[];
  /** Where the run's totals are counted, for a caller that reads them while the run goes on (progress). */
  stats?: RunStats;
}

/**
 * @default 4 MiB of input lines unsettled at once: 16 records of 250 kB; records under ~2 kB meet the count bound
 * first. Each byte in flight costs some 12 bytes of RSS on its way (line, parsed record, properties, request body,
 * HubSpot's echo of it, all garbage until collected): measured 260 MB peak at 8 MiB, 210 MB at 4 MiB, 206 MB at 2 MiB
 * for 250 kB records, which at 4 MiB still fill 16 records per round trip.
 */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 4 * 1024 * 1024;

/** How much of an unparseable line is kept in the rejected store: enough to see what it was. */
export const MAX_KEPT_RAW_LINE = 1024 * 1024;

export interface PipelineResult extends RunStats {
  /** True when `stop` ended the run before the input did. */
  stopped: boolean;
  /** Records read but left unsettled by a stop (not written, no state covering them echoed). */
  unsettled: number;
}

export async function runPipeline(
  lines: AsyncIterable<InputLine>,
  options: PipelineOptions,
): Promise<PipelineResult> {
  const stats = (options.stats ?? new RunStats()) as PipelineResult;
  stats.stopped = false;
  stats.unsettled = 0;
  const maxBytes = options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES;
  const stages = options.stages ?? [];
  const refused = new RefusedValues();
  let fatal: { error: unknown } | undefined;
  let wakeReader: (() => void) | undefined;
  const wake = () => {
    const resolve = wakeReader;
    wakeReader = undefined;
    resolve?.();
  };
  const fail = (error: unknown) => {
    if (fatal) return;
    fatal = { error };
    settlement.tracker.halt();
    batcher.stop();
    dispatcher.discardWaiting();
    wake();
  };
  const settlement = new Settlement({
    stats,
    sink: options.sink,
    flushRejectsAt: Math.max(1, Math.floor(options.maxInFlightRecords / 2)),
    emitState: options.emitState,
    redact: options.redact ?? ((text: string) => text),
    wake,
    fail,
  });
  for (const stage of stages) stage.start?.({ fail, stop: options.stop });
  const handoff = handOffWritten(stages, settlement, wake);
  const mergeFor = new Map<string, RecordMapper["merge"]>();
  const dispatcher = new Dispatcher({
    send: options.send,
    mergeFor: (target) => mergeFor.get(target.key),
    screen: (target, properties) => refused.check(target, properties),
    learn: (target, properties, rejection) => refused.learn(target, rejection, properties),
    onWritten: handoff.onWritten,
    onRejected: (target, part: InputPart, rejection) => {
      refused.learn(target, rejection, part.properties);
      settlement.rejectRecord(target, part.record, rejection);
    },
    onFatal: fail,
  });
  const batcher = new Batcher({
    batchSize: options.batchSize,
    lingerMs: options.lingerMs,
    onBatch: (target, inputs) => dispatcher.submit(target, inputs),
  });
  const intake = createIntake(options.input, {
    record(route, data, emittedAt, lineNumber, bytes) {
      const { target, mapper } = route;
      if (!mergeFor.has(target.key)) mergeFor.set(target.key, mapper.merge?.bind(mapper));
      const ref = settlement.admit(target.key, lineNumber, bytes, data, emittedAt);
      const mapped = mapper.map(data);
      if (!mapped.ok) return settlement.rejectRecord(target, ref, mapped.rejection);
      if (mapped.skip) return settlement.skipped(target, ref);
      const earlier = refused.check(target, mapped.properties);
      if (earlier) return settlement.rejectRecord(target, ref, earlier);
      batcher.add(target, mapped, ref, mergeFor.get(target.key));
    },
    badLine(line: BadLine) {
      for (const stage of stages) stage.lost?.(line.stream);
      rejectBadLine(line, options.input, settlement);
    },
    state(state) {
      settlement.tracker.addState(state);
      // Nothing is being sent, so the open batches would only wait out their linger: send them now and let the
      // state go out sooner. While requests are in flight, batches keep filling instead.
      if (dispatcher.records === 0) batcher.flushAll();
    },
    streamStatus: (stream, status) => {
      stats.streamStatus(stream, status);
      for (const stage of stages) stage.streamStatus?.(stream, status);
    },
    notice: (message) => options.log("WARN", message),
  });

  /** Records on their way to HubSpot: what the senders and stages still have to settle. */
  const sending = () =>
    dispatcher.records + batcher.buffered + stages.reduce((sum, stage) => sum + stage.pending, 0);
  const overBytes = () => settlement.bytesInFlight >= maxBytes;
  const held = () =>
    sending() >= options.maxInFlightRecords ||
    settlement.rejectsPending >= options.maxInFlightRecords ||
    overBytes();
  const stopped = () => options.stop?.aborted === true;
  /** Waits while too much is unsettled, freeing what can be freed meanwhile. */
  const holdReading = async () => {
    while (!fatal && !stopped() && held()) {
      // A batch in flight will settle and wake the reader, which then fills the open batches up: sending them
      // early would only spend requests on part-filled batches. They go now when nothing else can free room
      // (nothing is being sent), or when their bytes are what holds reading up.
      const idle = dispatcher.records === 0;
      if (idle || overBytes()) batcher.flushAll();
      // Rejects waiting for the store are stored first; only if the stages alone still hold reading up are they
      // told (a stage waiting for input that cannot come while reading is paused lets some records go).
      const onlyStages = stages.length > 0 && idle;
      if (onlyStages && settlement.rejectsPending === 0) for (const stage of stages) stage.relieve?.();
      if (settlement.rejectsPending >= options.maxInFlightRecords || overBytes() || onlyStages) {
        settlement.flushRejects();
      }
      await new Promise<void>((resolve) => {
        wakeReader = resolve;
      });
    }
  };

  const halt = options.halt;
  const onHalt = () => fail(halt?.reason);
  if (halt?.aborted) onHalt();
  else halt?.addEventListener("abort", onHalt, { once: true });
  options.stop?.addEventListener("abort", wake, { once: true });
  const ended = halt && options.stop ? AbortSignal.any([options.stop, halt]) : (halt ?? options.stop);
  try {
    for await (const line of untilStopped(lines, ended)) {
      if (fatal || stopped()) break;
      intake(line);
      await holdReading();
    }
    options.stop?.removeEventListener("abort", wake);
    return await drain();
  } finally {
    handoff.countHeld();
    options.stop?.removeEventListener("abort", wake);
    // A guard may still fire while the last batches are answered: only then does it stop listening.
    halt?.removeEventListener("abort", onHalt);
  }

  /** The input ended (or a stop came): send what is open, let the stages finish, store the rejects, account. */
  async function drain(): Promise<PipelineResult> {
    if (!fatal && stopped()) {
      stats.stopped = true;
      batcher.stop();
      dispatcher.discardWaiting();
    }
    if (!fatal) {
      batcher.flushAll();
      await dispatcher.idle();
    }
    for (const stage of stages) {
      if (fatal || stats.stopped) break;
      await stage.finish().catch(fail);
    }
    if (!fatal) await options.sink.flush().catch(fail);
    if (fatal) throw fatal.error;
    const { tracker } = settlement;
    stats.unsettled = tracker.pendingRecords;
    if (!stats.stopped && (tracker.pendingRecords > 0 || tracker.waitingStates > 0)) {
      throw new Error(
        `Internal accounting error: ${tracker.pendingRecords} records and ${tracker.waitingStates} states unsettled at the end`,
      );
    }
    return stats;
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
