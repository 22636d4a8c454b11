/**
 * `write`: Airbyte messages (with `--catalog`) or plain JSON records (with `--object`) from stdin into HubSpot.
 *
 * 1. Check the command line (one of `--catalog`/`--object`, `--max-rejects`), then read the config and catalog.
 * 2. Build the parts: client with its governor and retry policy, routes, rejects store (S3, `--rejects` file,
 *    both, or none), the progress line, and the answers to a stop (write-stop.ts).
 * 3. Run the pipeline until the input ends or the run is stopped: a signal, stdout closing (Airbyte mode), or
 *    the `--max-rejects` limit.
 * 4. Store the rejects, report (write-summary.ts), and return what the exit code depends on.
 */
import type { Readable } from "node:stream";
import { type Config, configSecrets } from "../config.js";
import { type BatchSender, WRITE_MODES, type WriteMode } from "../contract.js";
import { ConfigError } from "../errors.js";
import { toConnectorError as classifyHubSpotError } from "../hubspot/classify.js";
import { createCrmSender } from "../hubspot/crm-batches.js";
import { createEventSender, EVENT_LIMITS } from "../hubspot/events.js";
import { createHubSpotClient } from "../hubspot/factory.js";
import { CRM_BATCH_LIMIT } from "../hubspot/policies.js";
import { RateGovernor } from "../hubspot/rate-governor.js";
import { PROCESS_REQUESTS } from "../hubspot/request-tally.js";
import { streamKey } from "../load/checkpoints.js";
import { type PipelineResult, type Route, runPipeline } from "../load/pipeline.js";
import {
  defaultWriteMode,
  isEventObject,
  matchingKey,
  planFromCatalog,
  type StreamPlan,
} from "../load/targets.js";
import type { HumanOutput } from "../protocol/human-output.js";
import { readLines } from "../protocol/reader.js";
import type { MessageWriter } from "../protocol/writer.js";
import { createRejectsSink } from "../rejects/create-sink.js";
import type { RejectsSink } from "../rejects/sink.js";
import type { EventMapper } from "../mapping/events.js";
import { UsageError } from "./exit-codes.js";
import { readCatalog, readConfig } from "./inputs.js";
import { parseMaxRejects, rejectLimitPassed, WatchedStats } from "./max-rejects.js";
import { progressIntervalFrom, startProgress, type Progress } from "./progress.js";
import type { Shutdown, StopReason } from "./shutdown.js";
import { buildRoutes, type WriteRoutes } from "./write-routes.js";
import { describeStop, reportStopped, wireStop } from "./write-stop.js";
import { type Log, logClosing, rawSummary, type WriteReport } from "./write-summary.js";

export interface WriteOptions {
  config: string;
  catalog?: string;
  object?: string;
  key?: string;
  mode?: string;
  /** `--rejects FILE.jsonl`: also (or instead of S3) append rejected records to this local file. */
  rejects?: string;
  /** `--max-rejects N` or `N%`: stop early past this many rejected records. */
  maxRejects?: string;
}

export interface WriteIo {
  writer: MessageWriter;
  stdin: Readable;
  stderr: HumanOutput;
  /** Signals and other stops; without it the run only ends with its input. */
  shutdown?: Shutdown;
  /** @default process.env */
  env?: Record<string, string | undefined>;
}

export interface WriteResult {
  stats: PipelineResult;
  raw: boolean;
  /** Why the run ended before its input did; undefined when it read everything. */
  stopReason: StopReason | undefined;
}

/** What one run's stages share. */
interface WriteRun {
  io: WriteIo;
  raw: boolean;
  config: Config;
  stats: WatchedStats;
  shutdown: Shutdown | undefined;
  log: Log;
  sink: RejectsSink;
  report: (unsettled: number) => WriteReport;
  /** Whether the `--max-rejects` limit is passed now (and if so, the run is stopped). */
  checkLimit: (ended: boolean) => string | undefined;
}

export async function runWrite(options: WriteOptions, io: WriteIo): Promise<WriteResult> {
  const raw = checkCommandLine(options);
  const limit = options.maxRejects === undefined ? undefined : parseMaxRejects(options.maxRejects);
  let progress: Progress | undefined;
  const log = createLog(io, raw, () => progress);
  const config = await readConfig(options.config, (message) => log("WARN", message));
  io.writer.setSecrets(configSecrets(config));
  const plans = raw ? [rawPlan(options)] : planFromCatalog(await readCatalog(options.catalog as string));
  const { client, governor, eventGate } = createClients(config, log, io.writer);
  const shutdown = io.shutdown;
  const stats = new WatchedStats(() => checkLimit(false));
  const checkLimit = (ended: boolean) => {
    const counts = { read: stats.readCount, rejected: stats.rejectedCount };
    const passed = limit && rejectLimitPassed(limit, counts, ended);
    if (passed) shutdown?.stopWith({ kind: "max-rejects", message: passed });
    return passed || undefined;
  };
  let operation = "opening the rejects store";
  try {
    const { sink, file, discarding } = await createRejectsSink(
      config,
      { syncId: plans[0]?.syncId },
      (message) => log("WARN", message),
      { file: options.rejects },
    );
    const report = (unsettled: number): WriteReport => ({
      stats,
      unsettled,
      location: sink.location,
      discarding,
      requests: PROCESS_REQUESTS,
      stoppedBy: describeStop(shutdown?.reason),
    });
    const run: WriteRun = { io, raw, config, stats, shutdown, log, sink, report, checkLimit };
    if (shutdown) {
      wireStop({
        shutdown,
        raw,
        writer: io.writer,
        stderr: io.stderr,
        log,
        sink,
        file,
        report: () => report(0),
        beforeForcedExit: () => progress?.stop(),
      });
      // Airbyte mode: once stdout is gone no STATE can reach anyone; stop instead of spending the API budget.
      if (!raw) watchStdout(io.writer, shutdown);
    }
    operation = "reading the property definitions of the configured objects";
    const routes = await buildRoutes(config, plans, client, log, (step) => {
      operation = step;
    });
    operation = "writing records";
    if ((io.stdin as { isTTY?: boolean }).isTTY) {
      io.stderr.write("Reading records from the terminal, one JSON object a line; end with Ctrl-D.\n");
    }
    progress = startRunProgress(io, raw, stats, () => governor.waitedMs + eventGate.waitedMs);
    const senders = {
      crm: createCrmSender(client, client.paths),
      event: createEventSender(client, eventGate),
    };
    const result = await sendAll(run, routes, senders);
    progress.stop();
    operation = "storing rejected records";
    return await finish(run, result, routes.eventMappers);
  } catch (error) {
    throw classifyHubSpotError(error, { operation });
  } finally {
    progress?.stop();
    await client.close();
  }
}

/** Log lines: LOG messages in Airbyte mode; `level: message` on stderr in raw mode, clearing the live line first. */
function createLog(io: WriteIo, raw: boolean, progress: () => Progress | undefined): Log {
  return (level, message) => {
    if (!raw) return io.writer.log(level, message);
    progress()?.clear();
    io.stderr.write(`${level.toLowerCase()}: ${io.writer.mask.apply(message)}\n`);
  };
}

/** The HubSpot client with its governor, and the separate gate for event sends. */
function createClients(config: Config, log: Log, writer: MessageWriter) {
  const { client, governor } = createHubSpotClient(config, {
    log,
    onAccessToken: (token) => writer.setSecrets([token]),
  });
  // Event sends are exempt from the burst limit and capped per second instead: they get their own gate.
  const eventGate = new RateGovernor({
    maxConcurrent: config.max_concurrent_requests,
    initialLimit: EVENT_LIMITS.sendsPerSecond,
    initialIntervalMs: 1000,
  });
  return { client, governor, eventGate };
}

/** Runs the pipeline over stdin with the run's routes, senders, rejects store, stats and stop. */
function sendAll(
  run: WriteRun,
  { routes, hasEvents, stages, senders: extra }: WriteRoutes,
  senders: { crm: BatchSender; event: BatchSender },
): Promise<PipelineResult> {
  const { config, io } = run;
  const batchSize = Math.min(config.batch_size, CRM_BATCH_LIMIT);
  const largestBatch = Math.max(batchSize, hasEvents ? config.events.batch_size : 0);
  return runPipeline(readLines(io.stdin), {
    input: run.raw
      ? { kind: "raw", route: routes.values().next().value as Route }
      : { kind: "airbyte", routes },
    send: (target, inputs, screen) =>
      (extra[target.kind] ?? (target.kind === "event" ? senders.event : senders.crm))(target, inputs, screen),
    stages,
    sink: run.sink,
    batchSize,
    lingerMs: config.linger_ms,
    maxInFlightRecords: largestBatch * (config.max_concurrent_requests * 2 + routes.size + 1),
    emitState: (state) => io.writer.state(state),
    log: run.log,
    redact: (text) => io.writer.mask.apply(text),
    stats: run.stats,
    ...(run.shutdown ? { stop: run.shutdown.stop } : {}),
  });
}

/** Stores the rejects, reports, and says how the run ended (a passed `--max-rejects` limit throws). */
async function finish(
  run: WriteRun,
  result: PipelineResult,
  eventMappers: EventMapper[],
): Promise<WriteResult> {
  const { raw, io, log } = run;
  await run.sink.close();
  for (const mapper of eventMappers) {
    for (const [property, count] of mapper.droppedProperties) {
      log(
        "WARN",
        `Left out event property ${property} from ${count} events: HubSpot takes at most 50 properties per event.`,
      );
    }
  }
  const ending = run.report(result.unsettled);
  logClosing(ending, log, raw);
  // A closed stdout may have lost states even when the input ended meanwhile; a signal counts if it cut the run.
  const reason = run.shutdown?.reason;
  const stopReason = result.stopped || reason?.kind === "stdout-closed" ? reason : undefined;
  // People read stderr in raw mode; in Airbyte mode too when the run was cut short (the LOG lines say it all else).
  if (raw || stopReason) io.stderr.write(rawSummary(ending));
  const passed =
    stopReason?.kind === "max-rejects" ? stopReason.message : !result.stopped && run.checkLimit(true);
  if (passed) throw new ConfigError(`${passed} The run stopped there; fix the input or raise the limit.`);
  if (stopReason) await reportStopped(stopReason, ending, io.writer, raw);
  return { stats: result, raw, stopReason };
}

/** Raw pipe mode or Airbyte mode: exactly one of `--object` and `--catalog`, else a usage error. */
function checkCommandLine(options: WriteOptions): boolean {
  if (options.catalog === undefined && options.object === undefined) {
    throw new UsageError(
      "write needs --catalog (Airbyte mode) or --object (raw pipe mode of plain JSON lines).",
    );
  }
  if (options.catalog !== undefined && (options.object || options.key || options.mode)) {
    throw new UsageError(
      "--object, --key and --mode are for raw pipe mode; with --catalog the catalog says all that.",
    );
  }
  return options.catalog === undefined;
}

function watchStdout(writer: MessageWriter, shutdown: Shutdown): void {
  const stop = () => shutdown.stopWith({ kind: "stdout-closed" });
  if (writer.gone.aborted) stop();
  else writer.gone.addEventListener("abort", stop, { once: true });
}

function startRunProgress(io: WriteIo, raw: boolean, stats: WatchedStats, waitedMs: () => number): Progress {
  const source = { stats, requests: PROCESS_REQUESTS, waitedMs };
  if (io.stderr.isTTY) {
    return startProgress({ source, output: { kind: "live", write: (text) => io.stderr.write(text) } });
  }
  const intervalMs = progressIntervalFrom(io.env ?? process.env);
  const line = raw
    ? (text: string) => io.stderr.write(`${text}\n`)
    : (text: string) => io.writer.log("INFO", text);
  return startProgress({ source, output: { kind: "lines", line }, ...(intervalMs ? { intervalMs } : {}) });
}

function rawPlan(options: WriteOptions): StreamPlan {
  const object = options.object as string;
  const mode = (options.mode ?? defaultWriteMode(object)) as WriteMode;
  if (!WRITE_MODES.includes(mode)) throw new UsageError(`--mode must be one of ${WRITE_MODES.join(", ")}.`);
  const label = `--object ${object}`;
  return {
    key: streamKey("stdin"),
    streamName: "stdin",
    namespace: undefined,
    objectName: object,
    mode,
    idProperty: isEventObject(object)
      ? "uuid"
      : matchingKey(label, object, options.key ? [[options.key]] : undefined),
    syncId: undefined,
    generationId: undefined,
    raw: true,
  };
}
