/**
 * One write run's shared parts, built before anything is read (write.ts runs them): the guards, the clients, the
 * counted stats and the `--max-rejects` limit, the receipt's sources, and the rejects store (or the plan whose
 * file stands in for it).
 */
import { randomUUID } from "node:crypto";
import type { Config } from "../config/schema.js";
import type { StreamSpec } from "../contract.js";
import { createPlanRun, openPlanFile, type PlanRun } from "../dry-run/index.js";
import { RunGuards } from "../guards/index.js";
import type { InputLine } from "../protocol/reader.js";
import { rejectLimitPassed, WatchedStats } from "../guards/max-rejects.js";
import { EventLatency } from "../receipt/event-latency.js";
import { openReceiptFile, RECEIPT_STORE_TIMEOUT_MS } from "../receipt/store.js";
import { createRejectsSink, type RunSinks } from "../rejects/create-sink.js";
import { createClients, createLog, type RunClients } from "./parts.js";
import type { Progress } from "./progress.js";
import { rejectsDeadlineMsFrom } from "./rejects-deadline.js";
import type { ReceiptRun } from "./receipt.js";
import type { Shutdown } from "./shutdown.js";
import type { Log, RunInput, RunOptions, WriteIo } from "./types.js";

/** What one run's steps share. */
export interface WriteRun {
  io: WriteIo;
  /** Raw pipe mode: plain JSON records, all for the one stream. */
  raw: boolean;
  /** Output for people (raw pipe mode, replay): a summary on stderr rather than LOG messages. */
  human: boolean;
  config: Config;
  specs: StreamSpec[];
  /** The input lines the command prepared (`replay`); undefined: stdin. */
  lines: AsyncIterable<InputLine> | undefined;
  stats: WatchedStats;
  shutdown: Shutdown | undefined;
  log: Log;
  guards: RunGuards;
  clients: RunClients;
  receipt: ReceiptRun;
  /** Whether the `--max-rejects` limit is passed now (and if so, the run is stopped). */
  checkLimit: (ended: boolean) => string | undefined;
  /** Set once the progress line starts. */
  progress?: Progress | undefined;
  /** Undoes what lasts only while the run runs (the routes' `release`); set once the routes are built. */
  release?: (() => Promise<void>) | undefined;
  /** The rejects store's upload deadline the environment sets, if it sets one (rejects-deadline.ts). */
  rejectsDeadlineMs?: number | undefined;
}

export async function createRun(input: RunInput, options: RunOptions, io: WriteIo): Promise<WriteRun> {
  const startedAt = Date.now();
  const { config, human, raw } = input;
  // The log clears the live progress line before writing, once the run has one.
  let run: WriteRun | undefined = undefined;
  const log = createLog(io, human, () => run?.progress);
  const shutdown = io.shutdown;
  const guards = new RunGuards(config.guards, {
    log,
    maxConcurrent: config.max_concurrent_requests,
    planning: options.plan !== undefined,
    raw: human,
    stopCleanly: shutdown ? (message) => shutdown.stopWith({ kind: "daily-budget", message }) : undefined,
  });
  const clients = createClients(config, log, io.writer, guards);
  const stats = watchedStats(options, guards, () => shutdown);
  const rejectsDeadlineMs = rejectsDeadlineMsFrom(io.env ?? process.env);
  const s3TimeoutMs = Math.min(RECEIPT_STORE_TIMEOUT_MS, rejectsDeadlineMs ?? RECEIPT_STORE_TIMEOUT_MS);
  const receipt = await receiptRun(input, options, { startedAt, stats, clients, guards, s3TimeoutMs });
  const { specs, lines } = input;
  const { checkLimit } = stats;
  run = { io, raw, human, config, specs, lines, stats, shutdown, log, guards, clients, receipt, checkLimit };
  Object.assign(run, { rejectsDeadlineMs });
  return run;
}

/** The run's stats, telling the `--max-rejects` limit and the `max_reject_ratio` guard of every count. */
function watchedStats(
  options: RunOptions,
  guards: RunGuards,
  shutdown: () => Shutdown | undefined,
): WatchedStats & { checkLimit: (ended: boolean) => string | undefined } {
  const limit = options.maxRejects;
  const counted = () => {
    checkLimit(false);
    guards.checkRejects({ read: stats.readCount, rejected: stats.rejectedCount });
  };
  const stats = new WatchedStats(counted, counted);
  const checkLimit = (ended: boolean) => {
    const passed =
      limit && rejectLimitPassed(limit, { read: stats.readCount, rejected: stats.rejectedCount }, ended);
    if (passed) shutdown()?.stopWith({ kind: "max-rejects", message: passed });
    return passed || undefined;
  };
  return Object.assign(stats, { checkLimit });
}

/** What the receipt is built from when the run ends (the `--receipt` file opened now, so a bad path fails first). */
async function receiptRun(
  input: RunInput,
  options: RunOptions,
  parts: Pick<ReceiptRun, "startedAt" | "stats" | "clients" | "guards" | "s3TimeoutMs">,
): Promise<ReceiptRun> {
  return {
    ...parts,
    command: input.command,
    plan: options.plan !== undefined,
    config: input.config,
    isolation: { recordsIsolated: 0, extraRequests: 0 },
    eventLatency: new EventLatency(),
    targets: new Map(),
    rejectsLocation: "not stored",
    file: options.receipt === undefined ? undefined : await openReceiptFile(options.receipt),
    syncId: input.specs[0]?.syncId,
  };
}

/** The run's rejects store, or the plan whose file stands in for it (`--plan`). */
export async function openSink(
  run: WriteRun,
  options: RunOptions,
): Promise<RunSinks & { plan: PlanRun | undefined }> {
  if (options.plan !== undefined) {
    const plan = createPlanRun(await openPlanFile(options.plan), run.raw ? run.specs[0]?.key : undefined);
    return { sink: plan.sink, file: undefined, discarding: false, plan };
  }
  const context = { syncId: run.specs[0]?.syncId, runId: randomUUID() };
  const sinks = await createRejectsSink(run.config, context, (message) => run.log("WARN", message), {
    file: options.rejects,
    s3DeadlineMs: run.rejectsDeadlineMs,
  });
  return { ...sinks, plan: undefined };
}
