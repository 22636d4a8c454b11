/**
 * The receipt of a `write` (or `replay`, or plan) run: gathered from the run's own parts when it ends, or as far
 * as it got when it failed, stored (the `--receipt` file; S3 beside the rejected records, for a write), and
 * summarised in one closing log line.
 */
import type { Config } from "../config/schema.js";
import type { RunGuards } from "../guards/index.js";
import type { RunStats } from "../load/run-stats.js";
import type { EventLatency } from "../receipt/event-latency.js";
import { configDigest } from "../receipt/config-digest.js";
import { buildReceipt, describeReceipt, type RunOutcome, type StreamTarget } from "../receipt/receipt.js";
import { storeReceipt } from "../receipt/store.js";
import type { LineFile } from "../rejects/line-file.js";
import { connectorVersion } from "../version.js";
import type { IsolationCounts, RunClients } from "./parts.js";
import type { Log } from "./types.js";

export interface ReceiptRun {
  command: "write" | "replay";
  plan: boolean;
  config: Config;
  startedAt: number;
  stats: RunStats;
  clients: RunClients;
  isolation: IsolationCounts;
  eventLatency: EventLatency;
  guards: RunGuards;
  /** The streams' targets, once the routes are built (empty before). */
  targets: ReadonlyMap<string, StreamTarget>;
  /** A plan's unchanged counts per stream. */
  unchanged?: (() => Map<string, number>) | undefined;
  rejectsLocation: string;
  /** The `--receipt` file, opened when the run started. */
  file: LineFile | undefined;
  syncId: number | undefined;
  /** How long storing the receipt in S3 may take: no longer than the rejects store's upload deadline. */
  s3TimeoutMs: number;
}

/** Builds the receipt, stores it, and logs its summary line. Never throws: the run's own ending stands. */
export async function writeReceipt(
  run: ReceiptRun,
  outcome: RunOutcome,
  unsettled: number | undefined,
  log: Log,
): Promise<void> {
  const { clients } = run;
  const all = run.stats.all;
  const receipt = buildReceipt({
    command: run.command,
    plan: run.plan,
    version: connectorVersion(),
    configDigest: configDigest(run.config),
    startedAt: run.startedAt,
    endedAt: Date.now(),
    outcome,
    stats: run.stats,
    targets: run.targets,
    unchanged: run.unchanged?.(),
    // A failed run did not say: what was read and not settled either way.
    unsettled: unsettled ?? Math.max(0, all.read - all.written - all.rejected - all.skipped),
    rejectsLocation: run.rejectsLocation,
    requests: clients.tally,
    retries: { retried: clients.retry.retried, backoffMs: clients.retry.backoffMs },
    rateLimit: { waitedMs: clients.waitedMs() },
    isolation: run.isolation,
    eventLatency: run.eventLatency.histogram,
    guards: run.guards.report(),
  });
  const storage = run.config.object_storage_config;
  const s3 =
    !run.plan && storage.storage_type === "S3"
      ? { config: storage, syncId: run.syncId, timeoutMs: run.s3TimeoutMs }
      : undefined;
  const where = await storeReceipt(receipt, { file: run.file, s3 }, (message) => log("WARN", message));
  log("INFO", describeReceipt(receipt, where));
}
