/**
 * One `write` run's shared parts, built before anything is read (write.ts runs them): the config and stream
 * plans, the guards, the clients, the counted stats and limits, the receipt's sources; then, once the routes are
 * known, the pipeline's sender and stages (a write's, or a plan's) and the pipeline itself.
 */
import { randomUUID } from "node:crypto";
import type { Config } from "../config.js";
import { configSecrets } from "../config.js";
import type { BatchSender, RecordStage } from "../contract.js";
import { RunGuards } from "../guards/index.js";
import { CRM_BATCH_LIMIT } from "../hubspot/policies.js";
import { type PipelineResult, type Route, runPipeline } from "../load/pipeline.js";
import { planFromCatalog, type StreamPlan } from "../load/targets.js";
import { createPlanRun, openPlanFile, type PlanRun } from "../plan/index.js";
import type { InputLine } from "../protocol/reader.js";
import { EventLatency } from "../receipt/event-latency.js";
import { openReceiptFile, RECEIPT_STORE_TIMEOUT_MS } from "../receipt/store.js";
import { createRejectsSink, type RunSinks } from "../rejects/create-sink.js";
import { readCatalog, readConfig } from "./inputs.js";
import { parseMaxRejects, rejectLimitPassed, WatchedStats } from "./max-rejects.js";
import type { Progress } from "./progress.js";
import { rejectsDeadlineMsFrom } from "./rejects-deadline.js";
import type { Shutdown } from "./shutdown.js";
import {
  checkCommandLine,
  createClients,
  createLog,
  createSenders,
  rawPlan,
  type RunClients,
} from "./write-parts.js";
import type { ReceiptRun } from "./write-receipt.js";
import type { WriteRoutes } from "./write-routes.js";
import type { Log } from "./write-summary.js";
import type { PreparedInput, WriteIo, WriteOptions } from "./write.js";

/** What one run's stages share. */
export interface WriteRun {
  io: WriteIo;
  raw: boolean;
  /** Output for people (raw pipe mode, replay): a summary on stderr rather than LOG messages. */
  human: boolean;
  config: Config;
  plans: StreamPlan[];
  stats: WatchedStats;
  shutdown: Shutdown | undefined;
  log: Log;
  guards: RunGuards;
  clients: RunClients;
  receipt: ReceiptRun;
  /** Whether the `--max-rejects` limit is passed now (and if so, the run is stopped). */
  checkLimit: (ended: boolean) => string | undefined;
  /** Set once the progress line starts. */
  progress: Progress | undefined;
  /** Undoes what lasts only while the run runs (the routes' `release`); set once the routes are built. */
  release: () => Promise<void>;
  /** The rejects store's upload deadline the environment sets, if it sets one (rejects-deadline.ts). */
  rejectsDeadlineMs: number | undefined;
}

export async function createRun(
  options: WriteOptions,
  io: WriteIo,
  prepared?: PreparedInput,
): Promise<WriteRun> {
  const startedAt = Date.now();
  const raw = prepared ? false : checkCommandLine(options);
  const human = raw || prepared !== undefined;
  const limit = options.maxRejects === undefined ? undefined : parseMaxRejects(options.maxRejects);
  const rejectsDeadlineMs = rejectsDeadlineMsFrom(io.env ?? process.env);
  // The log clears the live progress line before writing, once the run has one.
  let run: WriteRun | undefined = undefined;
  const log = createLog(io, human, () => run?.progress);
  const config = prepared?.config ?? (await readConfig(options.config, (message) => log("WARN", message)));
  io.writer.setSecrets(configSecrets(config));
  const plans = prepared
    ? prepared.plans.map((plan) => ({ ...plan, replay: true }))
    : raw
      ? [rawPlan(options)]
      : planFromCatalog(await readCatalog(options.catalog as string));
  const shutdown = io.shutdown;
  const planning = options.plan !== undefined;
  const guards = new RunGuards(config.guards, {
    log,
    maxConcurrent: config.max_concurrent_requests,
    planning,
    raw: human,
    stopCleanly: shutdown ? (message) => shutdown.stopWith({ kind: "daily-budget", message }) : undefined,
  });
  const clients = createClients(config, log, io.writer, guards);
  const counted = () => {
    checkLimit(false);
    guards.checkRejects({ read: stats.readCount, rejected: stats.rejectedCount });
  };
  const stats = new WatchedStats(counted, counted);
  const checkLimit = (ended: boolean) => {
    const passed =
      limit && rejectLimitPassed(limit, { read: stats.readCount, rejected: stats.rejectedCount }, ended);
    if (passed) shutdown?.stopWith({ kind: "max-rejects", message: passed });
    return passed || undefined;
  };
  const receipt: ReceiptRun = {
    command: prepared?.command ?? "write",
    plan: planning,
    config,
    startedAt,
    stats,
    clients,
    isolation: { recordsIsolated: 0, extraRequests: 0 },
    eventLatency: new EventLatency(),
    guards,
    targets: new Map(),
    rejectsLocation: "not stored",
    file: options.receipt === undefined ? undefined : await openReceiptFile(options.receipt),
    syncId: plans[0]?.syncId,
    s3TimeoutMs: Math.min(RECEIPT_STORE_TIMEOUT_MS, rejectsDeadlineMs ?? RECEIPT_STORE_TIMEOUT_MS),
  };
  run = {
    io,
    raw,
    human,
    config,
    plans,
    stats,
    shutdown,
    log,
    guards,
    clients,
    receipt,
    checkLimit,
    progress: undefined,
    release: async () => undefined,
    rejectsDeadlineMs,
  };
  return run;
}

/** The run's rejects store, or the plan whose file stands in for it (`--plan`). */
export async function openSink(
  run: WriteRun,
  options: WriteOptions,
): Promise<RunSinks & { plan: PlanRun | undefined }> {
  if (options.plan !== undefined) {
    const plan = createPlanRun(await openPlanFile(options.plan), {
      transport: run.clients.client,
      paths: run.clients.client.paths,
      rawStreamKey: run.raw ? run.plans[0]?.key : undefined,
    });
    return { sink: plan.sink, file: undefined, discarding: false, plan };
  }
  const context = { syncId: run.plans[0]?.syncId, runId: randomUUID() };
  const sinks = await createRejectsSink(run.config, context, (message) => run.log("WARN", message), {
    file: options.rejects,
    s3DeadlineMs: run.rejectsDeadlineMs,
  });
  return { ...sinks, plan: undefined };
}

/** A write's sender (the guards' caps around it) and stages (the routes' own, then the event latency measure). */
export function writeParts(routes: WriteRoutes, run: WriteRun): { send: BatchSender; stages: RecordStage[] } {
  const senders = createSenders(run.clients, run.receipt.isolation);
  const extra = routes.senders;
  const send: BatchSender = (target, inputs, screen) =>
    (extra[target.kind] ?? (target.kind === "event" ? senders.event : senders.crm))(target, inputs, screen);
  return { send: run.guards.wrapSender(send), stages: [...routes.stages, run.receipt.eventLatency] };
}

/** Runs the pipeline over the input with the run's routes, sender, stages, rejects store, stats, stop and halt. */
export function sendAll(
  run: WriteRun,
  { routes, hasEvents }: WriteRoutes,
  parts: { send: BatchSender; stages: RecordStage[]; sink: RunSinks["sink"]; planning: boolean },
  lines: AsyncIterable<InputLine>,
): Promise<PipelineResult> {
  const { config, io } = run;
  const batchSize = Math.min(config.batch_size, CRM_BATCH_LIMIT);
  // At least HubSpot's own batch size per slot, whatever batch_size says: smaller batches are no reason to hold
  // fewer records, and a batch waiting to be retried keeps its records here while the others go on.
  const largestBatch = Math.max(CRM_BATCH_LIMIT, batchSize, hasEvents ? config.events.batch_size : 0);
  return runPipeline(lines, {
    input: run.raw
      ? { kind: "raw", route: routes.values().next().value as Route }
      : { kind: "airbyte", routes },
    send: parts.send,
    stages: parts.stages,
    sink: parts.sink,
    batchSize,
    lingerMs: config.linger_ms,
    maxInFlightRecords: largestBatch * (config.max_concurrent_requests * 2 + routes.size + 1),
    // A plan echoes no STATE: nothing was written, so nothing is checkpointed.
    emitState: parts.planning ? () => undefined : (state) => io.writer.state(state),
    log: run.log,
    redact: (text) => io.writer.mask.apply(text),
    stats: run.stats,
    halt: run.guards.halt,
    ...(run.shutdown ? { stop: run.shutdown.stop } : {}),
  });
}
