/**
 * `write`: Airbyte messages (with `--catalog`) or plain JSON records (with `--object`) from stdin into HubSpot;
 * with `--plan FILE`, what that write would do, writing nothing. `replay` runs it on rows it read back.
 *
 * 1. Check the command line (no two outputs in one file: output-files.ts), read the config and catalog (or take
 *    the input `replay` prepared), and build the run's parts (write-run.ts): guards, clients, counted stats, the
 *    receipt file.
 * 2. Open the rejects store (or the plan file), wire the answers to a stop (write-stop.ts), and build the routes
 *    once the portal guard has passed, before any record.
 * 3. Run the pipeline until the input ends, the run is stopped (a signal, stdout closing, `--max-rejects`, the
 *    daily budget) or a guard halts it: with the write's senders and stages, or with the plan's planners.
 * 4. Store the rejects, report (write-summary.ts, or the plan's summary), and return what the exit code depends
 *    on. However the run ended, what lasts only while it runs is undone (a raw list overwrite's marker), and the
 *    receipt (write-receipt.ts) is written.
 */
import type { Readable } from "node:stream";
import type { Config } from "../config/schema.js";
import { ConfigError, TransientError } from "../errors.js";
import { toConnectorError as classifyHubSpotError } from "../hubspot/classify.js";
import type { PipelineResult } from "../load/pipeline.js";
import type { StreamSpec } from "../targets/streams.js";
import type { EventMapper } from "../targets/event/mapper.js";
import type { PlanRun } from "../dry-run/index.js";
import type { HumanOutput } from "../protocol/human-output.js";
import { type InputLine, readLines } from "../protocol/reader.js";
import type { MessageWriter } from "../protocol/writer.js";
import type { RunOutcome } from "../receipt/receipt.js";
import type { RejectsSink } from "../rejects/sink.js";
import { checkDistinctFiles, outputFiles } from "./output-files.js";
import type { Shutdown, StopReason } from "./shutdown.js";
import { startRunProgress, watchStdout } from "./write-parts.js";
import { writeReceipt } from "./write-receipt.js";
import { buildRoutes } from "./write-routes.js";
import { createRun, openSink, sendAll, type WriteRun, writeParts } from "./write-run.js";
import { describeStop, reportStopped, wireStop } from "./write-stop.js";
import { logClosing, rawSummary, type WriteReport } from "./write-summary.js";

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
  /** `--plan FILE`: write nothing to HubSpot; write what the write would do to this file (src/dry-run). */
  plan?: string;
  /** `--receipt FILE`: also write the run receipt to this file. */
  receipt?: string;
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
  /** Output for people (raw pipe mode, replay): rejected records make exit code 3. */
  raw: boolean;
  /** Why the run ended before its input did; undefined when it read everything. */
  stopReason: StopReason | undefined;
}

/** Input another command prepared in place of stdin and a catalog (`replay`): told to people, like raw mode. */
export interface PreparedInput {
  command: "replay";
  config: Config;
  plans: StreamSpec[];
  lines: AsyncIterable<InputLine>;
}

export async function runWrite(
  options: WriteOptions,
  io: WriteIo,
  prepared?: PreparedInput,
): Promise<WriteResult> {
  await checkDistinctFiles(outputFiles(options));
  const run = await createRun(options, io, prepared);
  let outcome: RunOutcome = { status: "finished" };
  let unsettled: number | undefined;
  const step = { operation: "opening the rejects store" };
  let result: WriteResult;
  try {
    result = await execute(run, options, prepared, step);
    unsettled = result.stats.unsettled;
    if (result.stopReason) outcome = { status: "stopped", by: describeStop(result.stopReason) ?? "a stop" };
  } catch (error) {
    const failure = classifyHubSpotError(error, step);
    outcome = {
      status: "failed",
      failureType: failure.failureType,
      message: io.writer.mask.apply(failure.message),
    };
    throw failure;
  } finally {
    run.progress?.stop();
    await run.release();
    await writeReceipt(run.receipt, outcome, unsettled, run.log);
    await run.clients.client.close();
  }
  // The daily budget stops the run cleanly, as a signal does (the receipt says so), and ends it with a
  // transient_error naming the guard, so the platform runs the sync again later.
  if (result.stopReason?.kind === "daily-budget") throw new TransientError(result.stopReason.message);
  return result;
}

async function execute(
  run: WriteRun,
  options: WriteOptions,
  prepared: PreparedInput | undefined,
  step: { operation: string },
): Promise<WriteResult> {
  const { io, shutdown, clients } = run;
  const { sink, file, discarding, plan } = await openSink(run, options);
  run.receipt.rejectsLocation = sink.location;
  run.receipt.unchanged = plan?.unchanged;
  const report = (left: number): WriteReport => ({
    stats: run.stats,
    unsettled: left,
    location: sink.location,
    discarding,
    requests: clients.tally,
    stoppedBy: describeStop(shutdown?.reason),
  });
  if (shutdown) {
    const { writer, stderr } = io;
    // No receipt can be written now: the file opened for it is not left behind empty.
    const beforeForcedExit = () => {
      run.progress?.stop();
      run.receipt.file?.removeIfUntouchedSync();
    };
    wireStop({
      shutdown,
      raw: run.human,
      writer,
      stderr,
      log: run.log,
      sink,
      file,
      report: () => report(0),
      beforeForcedExit,
    });
    if (!run.human) watchStdout(io.writer, shutdown);
  }
  step.operation = "reading the property definitions of the configured objects";
  const routes = await buildRoutes(
    run.config,
    run.plans,
    clients.client,
    run.log,
    (now) => (step.operation = now),
    {
      plan,
      beforeListRemovals: (count) => run.guards.caps.beforeListRemovals(count),
      wrapSender: (send) => run.guards.wrapSender(send),
      stats: run.stats,
      onPortal: (hubId) =>
        run.guards.checkPortal(hubId, async () => (await clients.client.getAccountDetails()).portalId),
      releaseGate: clients.governor,
    },
  );
  run.release = routes.release;
  run.guards.afterSetup();
  run.receipt.targets = new Map(
    [...routes.routes.values()].map(({ target }) => [
      target.key,
      {
        stream: target.streamName,
        namespace: target.namespace,
        object: target.objectName,
        mode: target.mode,
      },
    ]),
  );
  step.operation = plan ? "planning records" : "writing records";
  if (!prepared && (io.stdin as { isTTY?: boolean }).isTTY) {
    io.stderr.write("Reading records from the terminal, one JSON object a line; end with Ctrl-D.\n");
  }
  const setupRequests = clients.tally.sent;
  const waited = () => clients.governor.waitedMs + clients.eventGate.waitedMs;
  run.progress = startRunProgress(io, run.human, run.stats, clients.tally, waited);
  const input = prepared?.lines ?? readLines(io.stdin);
  const parts = plan ? plan.attach(routes) : writeParts(routes, run);
  // Read times are kept only where events are sent: their latency is the receipt's.
  for (const [key, { target }] of routes.routes) {
    if (routes.hasEvents && target.mode === "send") run.receipt.eventLatency.measure(key);
  }
  const lines = plan || !run.receipt.eventLatency.measuring ? input : run.receipt.eventLatency.stamp(input);
  const result = await sendAll(run, routes, { ...parts, sink, planning: plan !== undefined }, lines);
  run.progress.stop();
  step.operation = plan ? "writing the plan" : "storing rejected records";
  return await finish(run, { sink, plan, report, setupRequests }, result, routes.eventMappers);
}

/** Stores the rejects, reports, and says how the run ended (a passed limit or the daily budget throws). */
async function finish(
  run: WriteRun,
  ending: {
    sink: RejectsSink;
    plan: PlanRun | undefined;
    report: (unsettled: number) => WriteReport;
    setupRequests: number;
  },
  result: PipelineResult,
  eventMappers: EventMapper[],
): Promise<WriteResult> {
  const { human, io, log } = run;
  await ending.sink.close();
  for (const mapper of eventMappers) {
    for (const [property, count] of mapper.droppedProperties) {
      log(
        "WARN",
        `Left out event property ${property} from ${count} events: HubSpot takes at most 50 properties per event.`,
      );
    }
  }
  const report = ending.report(result.unsettled);
  // A closed stdout may have lost states even when the input ended meanwhile; a signal counts if it cut the run.
  const reason = run.shutdown?.reason;
  const stopReason = result.stopped || reason?.kind === "stdout-closed" ? reason : undefined;
  if (ending.plan) {
    const lines = await ending.plan.complete({
      stats: run.stats,
      setupRequests: ending.setupRequests,
      requests: run.clients.tally,
      guards: run.config.guards,
      dailyLimit: run.clients.governor.dailyLimit,
      stoppedBy: describeStop(stopReason),
    });
    for (const line of lines) {
      if (human) io.stderr.write(`${line}\n`);
      else log("INFO", line);
    }
  } else {
    logClosing(report, log, human);
    // People read stderr in raw mode; in Airbyte mode too when the run was cut short (the LOG lines say it all else).
    if (human || stopReason) io.stderr.write(rawSummary(report));
  }
  // Said with the counts at the end, as the closing lines say them: records in flight when the limit was passed
  // may have been rejected since.
  const passed =
    stopReason?.kind === "max-rejects"
      ? (run.checkLimit(true) ?? stopReason.message)
      : !result.stopped && run.checkLimit(true);
  if (passed) throw new ConfigError(`${passed} The run stopped there; fix the input or raise the limit.`);
  if (stopReason) await reportStopped(stopReason, report, io.writer, human);
  return { stats: result, raw: human, stopReason };
}
