/**
 * The write loop: stdin lines → route → map → batch → send → settle → checkpoints.
 *
 * 1. Each line becomes a record, a state, or a rejected line (intake.ts).
 * 2. A record is admitted to the checkpoint tracker, mapped by its stream's mapper, checked against the values
 *    HubSpot already refused this run, and batched — or rejected with the reason.
 * 3. A STATE goes to the tracker, which echoes it once everything before it is settled; if nothing is in flight,
 *    the open batches are sent at once rather than after their linger.
 * 4. Reading pauses while too many records, or too many bytes of them, are unsettled: batched, queued, sending,
 *    or rejected and waiting for the rejects store. Memory stays flat whatever the input or record size.
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
import type {
  PlanDetail,
  RecordMapper,
  RecordStage,
  Rejection,
  StageVerdict,
  WriteEffect,
  WriteTarget,
} from "../contract.js";
import type { InputLine } from "../protocol/reader.js";
import type { RejectedRecord } from "../rejects/rejected-record.js";
import type { RejectsSink } from "../rejects/sink.js";
import { Batcher } from "./batcher.js";
import { CheckpointTracker, type StateMessage, UNATTRIBUTED } from "./checkpoints.js";
import { Dispatcher } from "./dispatcher.js";
import { type BadLine, createIntake, type PipelineInput } from "./intake.js";
import { RefusedValues } from "./refused-values.js";
import { RunStats } from "./run-stats.js";
import { untilStopped } from "./until-stopped.js";
import type { InputPart, RecordRef } from "./types.js";
import type { BatchSender } from "../contract.js";

export interface Route {
  target: WriteTarget;
  mapper: RecordMapper;
}

export interface PipelineOptions {
  /** Airbyte messages, or plain JSON records all going to one route. */
  input: PipelineInput;
  send: BatchSender;
  sink: RejectsSink;
  batchSize: number;
  lingerMs: number;
  /** Records allowed unsettled (batched, queued, sending, waiting for the rejects store) before reading pauses. */
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

/** @default 8 MiB of input lines unsettled at once: 32 records of 250 kB, far above the count bound for small ones */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 8 * 1024 * 1024;

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
  const redact = options.redact ?? ((text: string) => text);
  const maxBytes = options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES;
  const refused = new RefusedValues();
  const mergeFor = new Map<string, RecordMapper["merge"]>();
  let fatal: { error: unknown } | undefined;
  let rejectsPending = 0;
  let bytesInFlight = 0;
  let wakeReader: (() => void) | undefined;
  const wake = () => {
    const resolve = wakeReader;
    wakeReader = undefined;
    resolve?.();
  };
  const settled = (ref: RecordRef) => {
    bytesInFlight -= ref.bytes;
    wake();
  };
  const fail = (error: unknown) => {
    if (fatal) return;
    fatal = { error };
    tracker.halt();
    batcher.stop();
    dispatcher.discardWaiting();
    wake();
  };

  const tracker = new CheckpointTracker({
    release: (state) => {
      stats.statesEmitted += 1;
      options.emitState(state);
    },
    requestStoreFlush: () => {
      options.sink.flush().catch(fail);
    },
  });

  const reject = (ref: RecordRef, record: RejectedRecord, statsKey: string) => {
    stats.rejected(statsKey, record.rejection.code);
    tracker.markAwaitingStore(ref.ticket);
    rejectsPending += 1;
    const stored = {
      ...record,
      rejection: { ...record.rejection, message: redact(record.rejection.message) },
    };
    try {
      options.sink.add(stored, () => {
        rejectsPending -= 1;
        tracker.settleRejected(ref.ticket);
        settled(ref);
      });
    } catch (error) {
      fail(error);
    }
  };
  const rejectRecord = (target: WriteTarget, ref: RecordRef, rejection: Rejection) =>
    reject(ref, rejectedRecord(target, ref, rejection), target.key);
  const settleWritten = (target: WriteTarget, ref: RecordRef, effect: WriteEffect | undefined) => {
    stats.written(target.key, effect);
    tracker.settleWritten(ref.ticket);
    settled(ref);
  };
  const stages = options.stages ?? [];
  for (const stage of stages) stage.start?.({ fail: (error) => fail(error), stop: options.stop });

  const dispatcher = new Dispatcher({
    send: options.send,
    mergeFor: (target) => mergeFor.get(target.key),
    screen: (target, properties) => refused.check(target, properties),
    onWritten: (
      target,
      part: InputPart,
      effect: WriteEffect | undefined,
      key,
      recordId,
      detail?: PlanDetail,
    ) => {
      if (recordId !== undefined) for (const stage of stages) stage.observe?.(target, key, recordId);
      const stage = stages.find((candidate) => candidate.wants(target));
      if (!stage) return settleWritten(target, part.record, effect);
      const { record } = part;
      const stageRecord = {
        target,
        key,
        data: record.data,
        properties: part.properties,
        recordId,
        effect,
        lineNumber: record.lineNumber,
        detail,
      };
      // A paused reader must look again after a take (the stage may now hold all that holds it up) and after a
      // stage's rejection (which waits for the rejects store, that only a look again asks to flush).
      stage.take(stageRecord, (verdict: StageVerdict) => {
        if (verdict.status === "written") return settleWritten(target, record, verdict.effect);
        rejectRecord(target, record, verdict.rejection);
        wake();
      });
      wake();
    },
    onRejected: (target, part: InputPart, rejection) => {
      refused.learn(target, rejection, part.properties);
      rejectRecord(target, part.record, rejection);
    },
    onFatal: fail,
  });
  const batcher = new Batcher({
    batchSize: options.batchSize,
    lingerMs: options.lingerMs,
    onBatch: (target, inputs) => dispatcher.submit(target, inputs),
  });

  const admit = (statsKey: string, lineNumber: number, bytes: number, data: unknown, emittedAt?: number) => {
    stats.read(statsKey);
    bytesInFlight += bytes;
    return { ticket: tracker.admit(statsKey), data, emittedAt, lineNumber, bytes };
  };

  const intake = createIntake(options.input, {
    record(route, data, emittedAt, lineNumber, bytes) {
      const { target } = route;
      if (!mergeFor.has(target.key)) mergeFor.set(target.key, route.mapper.merge?.bind(route.mapper));
      const ref = admit(target.key, lineNumber, bytes, data, emittedAt);
      const mapped = route.mapper.map(data);
      if (mapped.ok && mapped.skip) {
        // Left out by the events allow-list on purpose: settled, in neither state count, counted apart.
        stats.skipped(target.key);
        tracker.settleSkipped(ref.ticket);
        settled(ref);
      } else if (mapped.ok) {
        const earlier = refused.check(target, mapped.properties);
        if (earlier) rejectRecord(target, ref, earlier);
        else batcher.add(target, mapped, ref, mapperMerge(route.mapper));
      } else {
        rejectRecord(target, ref, mapped.rejection);
      }
    },
    badLine(line: BadLine) {
      // A line that reached no route; in raw pipe mode it still belongs to the one stream and is counted there.
      const statsKey = options.input.kind === "raw" ? options.input.route.target.key : UNATTRIBUTED;
      const ref = admit(statsKey, line.lineNumber, line.bytes, line.data);
      const record: RejectedRecord = {
        stream: line.stream,
        lineNumber: line.lineNumber,
        rawLine: line.data === undefined ? line.rawLine.slice(0, MAX_KEPT_RAW_LINE) : undefined,
        data: line.data,
        rejection: line.rejection,
      };
      if (options.input.kind === "raw") record.generationId = options.input.route.target.generationId;
      for (const stage of stages) stage.lost?.(line.stream);
      reject(ref, record, statsKey);
    },
    state(state) {
      tracker.addState(state);
      // Nothing is being sent, so the open batches would only wait out their linger: send them now and let the
      // state go out sooner. While requests are in flight, batches keep filling instead.
      if (dispatcher.records === 0) batcher.flushAll();
    },
    streamStatus: (stream, status) => {
      stats.streamStatus(stream, status);
      for (const stage of stages) stage.streamStatus?.(stream, status);
    },
  });

  const unsettled = () =>
    dispatcher.records +
    batcher.buffered +
    rejectsPending +
    stages.reduce((sum, stage) => sum + stage.pending, 0);
  // Rejects waiting for the store hold reading up too: ask the store to flush them (once at a time), or a run with
  // no STATE to prompt a flush would wait for ever.
  let flushing = false;
  const flushRejects = () => {
    if (flushing || rejectsPending === 0) return;
    flushing = true;
    options.sink
      .flush()
      .catch(fail)
      .finally(() => {
        flushing = false;
        wake();
      });
  };
  const stopped = () => options.stop?.aborted === true;
  const onStop = () => wake();
  options.stop?.addEventListener("abort", onStop, { once: true });
  const halt = options.halt;
  const onHalt = () => fail(halt?.reason);
  if (halt?.aborted) onHalt();
  else halt?.addEventListener("abort", onHalt, { once: true });
  const ended = halt && options.stop ? AbortSignal.any([options.stop, halt]) : (halt ?? options.stop);
  try {
    for await (const line of untilStopped(lines, ended)) {
      if (fatal || stopped()) break;
      intake(line);
      while (
        !fatal &&
        !stopped() &&
        (unsettled() >= options.maxInFlightRecords || bytesInFlight >= maxBytes)
      ) {
        // Waiting on the batches' linger would only slow the drain: send what is open now. A stage holding the
        // only unsettled records may be waiting for input that cannot come while reading is paused: tell it.
        batcher.flushAll();
        // Rejects waiting for the store are stored first: only if the stages still hold reading up then, are they
        // told (flushRejects wakes the reader when it is done).
        const onlyStages = stages.length > 0 && dispatcher.records === 0;
        if (onlyStages && rejectsPending === 0) for (const stage of stages) stage.relieve?.();
        if (onlyStages || rejectsPending * 2 >= options.maxInFlightRecords || bytesInFlight >= maxBytes)
          flushRejects();
        await new Promise<void>((resolve) => {
          wakeReader = resolve;
        });
      }
    }
  } finally {
    options.stop?.removeEventListener("abort", onStop);
  }
  try {
    return await drain();
  } finally {
    // A guard may still fire while the last batches are answered.
    halt?.removeEventListener("abort", onHalt);
  }

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
    if (!fatal && !stats.stopped) {
      for (const stage of stages) {
        if (fatal) break;
        await stage.finish().catch(fail);
      }
    }
    if (!fatal) await options.sink.flush().catch(fail);
    if (fatal) throw fatal.error;
    stats.unsettled = tracker.pendingRecords;
    if (!stats.stopped && (tracker.pendingRecords > 0 || tracker.waitingStates > 0)) {
      throw new Error(
        `Internal accounting error: ${tracker.pendingRecords} records and ${tracker.waitingStates} states unsettled at the end`,
      );
    }
    return stats;
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

const mapperMerge = (mapper: RecordMapper): RecordMapper["merge"] => mapper.merge?.bind(mapper);
