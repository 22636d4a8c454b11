/**
 * The write loop: stdin lines → route → map → batch → send → settle → checkpoints.
 *
 * 1. Each line becomes a message (Airbyte mode) or a record (raw pipe mode). A line that cannot be used is a
 *    rejected record with the raw line kept, never a crash.
 * 2. A RECORD is admitted to the checkpoint tracker, mapped by its stream's mapper, and either batched or rejected.
 * 3. A STATE goes to the tracker, which echoes it once everything before it is settled; if nothing is in flight,
 *    the open batches are sent at once rather than after their linger.
 * 4. Reading pauses while too many records are in flight, so memory stays flat whatever the input size.
 * 5. At end of input the open batches are sent, the rejects store flushed, and every state released.
 * 6. A fatal error halts the tracker (no STATE past it), stops reading, and is rethrown for the CLI to report.
 */
import type { InputLine } from "../protocol/reader.js";
import { parseMessageLine } from "../protocol/reader.js";
import type { RejectedRecord, Rejection } from "../rejects/rejected-record.js";
import type { RejectsSink } from "../rejects/sink.js";
import { Batcher } from "./batcher.js";
import { CheckpointTracker, type StateMessage, streamKey, UNATTRIBUTED } from "./checkpoints.js";
import { Dispatcher } from "./dispatcher.js";
import { MAX_NESTING, nestsDeeperThan } from "./nesting.js";
import { RunStats } from "./run-stats.js";
import type { BatchSender, RecordRef, WriteTarget } from "./types.js";

/** What a mapper makes of one record: a HubSpot input, a rejection, or (events outside the allow-list) nothing. */
export type MappedRecord =
  | { ok: true; id: string; properties: Record<string, string>; skip?: undefined }
  | { ok: true; skip: true }
  | { ok: false; rejection: Rejection };

/** Maps one record's data to a HubSpot input or a rejection; compiled once per stream. */
export interface RecordMapper {
  map(data: unknown): MappedRecord;
}

export interface Route {
  target: WriteTarget;
  mapper: RecordMapper;
}

export interface PipelineOptions {
  /** Airbyte messages, or plain JSON records all going to `rawRoute`. */
  input: { kind: "airbyte"; routes: Map<string, Route> } | { kind: "raw"; route: Route };
  send: BatchSender;
  sink: RejectsSink;
  batchSize: number;
  lingerMs: number;
  /** Records allowed in flight (batched, queued or sending) before reading pauses. */
  maxInFlightRecords: number;
  emitState: (state: StateMessage) => void;
  log: (level: "INFO" | "WARN", message: string) => void;
}

const tooDeep = (lineNumber: number): Rejection => ({
  code: "NESTING_TOO_DEEP",
  message: `Input line ${lineNumber} holds data nested deeper than ${MAX_NESTING} levels, which no HubSpot value needs; its raw line is kept.`,
});

/** How much of an unparseable line is kept in the rejected store: enough to see what it was. */
export const MAX_KEPT_RAW_LINE = 1024 * 1024;

export async function runPipeline(
  lines: AsyncIterable<InputLine>,
  options: PipelineOptions,
): Promise<RunStats> {
  const stats = new RunStats();
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
    tracker.halt();
    batcher.stop();
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

  const reject = (ref: Pick<RecordRef, "ticket">, record: RejectedRecord, statsKey: string) => {
    stats.rejected(statsKey, record.rejection.code);
    tracker.markAwaitingStore(ref.ticket);
    try {
      options.sink.add(record, () => tracker.settleRejected(ref.ticket));
    } catch (error) {
      fail(error);
    }
  };

  const dispatcher = new Dispatcher({
    send: options.send,
    onWritten: (target, record, created) => {
      stats.written(target.key, created);
      tracker.settleWritten(record.ticket);
      wake();
    },
    onRejected: (target, record, rejection) => {
      reject(
        record,
        {
          stream: target.streamName,
          namespace: target.namespace,
          objectName: target.objectName,
          data: record.data,
          emittedAt: record.emittedAt,
          lineNumber: record.lineNumber,
          rejection,
        },
        target.key,
      );
      wake();
    },
    onFatal: fail,
  });
  const batcher = new Batcher({
    batchSize: options.batchSize,
    lingerMs: options.lingerMs,
    onBatch: (target, inputs) => dispatcher.submit(target, inputs),
  });

  const handleRecord = (route: Route, data: unknown, emittedAt: number | undefined, lineNumber: number) => {
    const { target } = route;
    const ref: RecordRef = { ticket: tracker.admit(target.key), data, emittedAt, lineNumber };
    stats.read(target.key);
    const mapped = route.mapper.map(data);
    if (mapped.ok && mapped.skip) {
      // Left out by the events allow-list on purpose: settled as loaded, counted apart.
      stats.skipped(target.key);
      tracker.settleWritten(ref.ticket);
    } else if (mapped.ok) {
      batcher.add(target, mapped.id, mapped.properties, ref);
    } else {
      reject(
        ref,
        {
          stream: target.streamName,
          namespace: target.namespace,
          objectName: target.objectName,
          data,
          emittedAt,
          lineNumber,
          rejection: mapped.rejection,
        },
        target.key,
      );
    }
  };

  const rejectLine = (
    lineNumber: number,
    rawLine: string,
    stream: string,
    rejection: Rejection,
    data?: unknown,
  ) => {
    // A line that reached no route; in raw pipe mode it still belongs to the one stream and is counted there.
    const statsKey = options.input.kind === "raw" ? options.input.route.target.key : UNATTRIBUTED;
    const ticket = tracker.admit(statsKey);
    stats.read(statsKey);
    reject(
      { ticket },
      {
        stream,
        lineNumber,
        rawLine: data === undefined ? rawLine.slice(0, MAX_KEPT_RAW_LINE) : undefined,
        data,
        rejection,
      },
      statsKey,
    );
  };

  for await (const line of lines) {
    if (fatal) break;
    if ("tooLong" in line) {
      rejectLine(line.lineNumber, line.head, "_unparsed", {
        code: "LINE_TOO_LONG",
        message: `Input line ${line.lineNumber} is ${line.bytes} bytes, over the line limit; only its start is kept.`,
      });
    } else if (options.input.kind === "raw") {
      handleRawLine(line.text, line.lineNumber, options.input.route);
    } else {
      handleMessageLine(line.text, line.lineNumber, options.input.routes);
    }
    while (!fatal && dispatcher.records + batcher.buffered >= options.maxInFlightRecords) {
      await new Promise<void>((resolve) => {
        wakeReader = resolve;
      });
    }
  }

  if (!fatal) {
    batcher.flushAll();
    await dispatcher.idle();
  }
  if (!fatal) {
    await options.sink.flush().catch(fail);
  }
  if (fatal) throw fatal.error;
  if (tracker.pendingRecords > 0 || tracker.waitingStates > 0) {
    throw new Error(
      `Internal accounting error: ${tracker.pendingRecords} records and ${tracker.waitingStates} states unsettled at the end`,
    );
  }
  return stats;

  function handleRawLine(text: string, lineNumber: number, route: Route): void {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      rejectLine(lineNumber, text, route.target.streamName, {
        code: "INVALID_JSON",
        message: `Input line ${lineNumber} is not valid JSON.`,
      });
      return;
    }
    if (nestsDeeperThan(data)) {
      rejectLine(lineNumber, text, route.target.streamName, tooDeep(lineNumber));
      return;
    }
    handleRecord(route, data, undefined, lineNumber);
  }

  function handleMessageLine(text: string, lineNumber: number, routes: Map<string, Route>): void {
    const parsed = parseMessageLine(text);
    if (!parsed.ok) {
      rejectLine(lineNumber, text, "_unparsed", {
        code: "INVALID_MESSAGE",
        message: `Input line ${lineNumber} is not an Airbyte message: ${parsed.reason}`,
      });
      return;
    }
    const message = parsed.message as { type: string; record?: unknown; state?: unknown; trace?: unknown };
    if (message.type === "RECORD") {
      const record = message.record as {
        stream: string;
        namespace?: string | null;
        data: unknown;
        emitted_at?: number;
      };
      const route = routes.get(streamKey(record.stream, record.namespace));
      if (!route) {
        rejectLine(
          lineNumber,
          text,
          record.stream,
          {
            code: "UNKNOWN_STREAM",
            message: `Stream ${streamKey(record.stream, record.namespace)} is not in the configured catalog.`,
          },
          record.data,
        );
        return;
      }
      if (nestsDeeperThan(record.data)) {
        rejectLine(lineNumber, text, record.stream, tooDeep(lineNumber));
        return;
      }
      handleRecord(route, record.data, record.emitted_at, lineNumber);
    } else if (message.type === "STATE") {
      tracker.addState(message.state as StateMessage);
      // Nothing is being sent, so the open batches would only wait out their linger: send them now and let the
      // state go out sooner. While requests are in flight, batches keep filling instead.
      if (dispatcher.records === 0) batcher.flushAll();
    } else if (message.type === "TRACE") {
      const trace = message.trace as {
        type?: string;
        stream_status?: { stream_descriptor?: { name?: string }; status?: string };
      };
      if (trace.type === "STREAM_STATUS" && trace.stream_status) {
        stats.streamStatus(
          trace.stream_status.stream_descriptor?.name ?? "?",
          trace.stream_status.status ?? "?",
        );
      }
    }
  }
}
