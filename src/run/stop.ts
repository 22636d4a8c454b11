/**
 * How a `write` run meets a stop (see shutdown.ts): what it says and stores at the first stop, what it says after
 * a stopped run ended, and what it does when the process must exit before the run ended (grace period over, or
 * a second signal).
 */
import { TransientError } from "../errors.js";
import type { MessageWriter } from "../protocol/writer.js";
import type { HumanOutput } from "../protocol/human-output.js";
import type { FileSink } from "../rejects/file-sink.js";
import type { RejectsSink } from "../rejects/sink.js";
import type { ForcedReason, Shutdown, StopReason } from "./shutdown.js";
import { forcedSummary, type WriteReport } from "./summary.js";
import type { Log } from "./types.js";

/** The stop as a phrase for people: "SIGTERM", "stdout closing", "the --max-rejects limit". */
export function describeStop(reason: StopReason | undefined): string | undefined {
  if (reason === undefined) return undefined;
  if (reason.kind === "signal") return reason.signal;
  if (reason.kind === "daily-budget") return "the daily_budget_share guard";
  return reason.kind === "stdout-closed" ? "stdout closing" : "the --max-rejects limit";
}

export interface StopWiring {
  shutdown: Shutdown;
  raw: boolean;
  writer: MessageWriter;
  stderr: HumanOutput;
  log: Log;
  sink: RejectsSink;
  file: FileSink | undefined;
  /** The report as it stands now (the live totals), for a forced exit. */
  report: () => WriteReport;
  /** Called first when the process must exit now (stops the progress line). */
  beforeForcedExit: () => void;
}

/** Registers the run's answers to a stop. */
export function wireStop(wiring: StopWiring): void {
  const { shutdown, log, sink } = wiring;
  shutdown.onStop((reason) => {
    if (reason.kind !== "stdout-closed") {
      log(
        "WARN",
        `Stopping (${describeStop(reason)}): reading no more input and sending nothing new; requests in flight ` +
          `may finish within ${shutdown.graceSeconds} s, rejected records are stored.`,
      );
    }
    // Store what was rejected before the stop now, not only after the requests in flight have finished.
    sink.flush().catch(() => undefined);
  });
  shutdown.whenForced((why) => forcedExit(wiring, why));
}

async function forcedExit(wiring: StopWiring, why: ForcedReason): Promise<void> {
  const { shutdown, writer, stderr } = wiring;
  wiring.beforeForcedExit();
  wiring.file?.writeQueuedSync();
  const report = wiring.report();
  const because =
    why === "second-signal"
      ? "a second signal asked to exit at once"
      : `the grace period of ${shutdown.graceSeconds} s ran out with requests still in flight`;
  stderr.write(forcedSummary(report, because));
  if (!wiring.raw && shutdown.reason?.kind !== "stdout-closed") {
    await writer.traceError(
      new TransientError(
        `The sync was stopped by ${report.stoppedBy ?? "a signal"} and exited before it could finish (${because}). ` +
          "Nothing after the last STATE echoed is claimed; the next sync resumes from it.",
      ),
    );
  }
  await wiring.sink.flush().catch(() => undefined);
}

/** After a stopped run ended within its grace period: the TRACE the platform acts on (Airbyte mode). */
export async function reportStopped(
  reason: StopReason,
  report: WriteReport,
  writer: MessageWriter,
  raw: boolean,
): Promise<void> {
  if (raw || reason.kind !== "signal") return;
  const all = report.stats.all;
  await writer.traceError(
    new TransientError(
      `The sync was stopped by ${reason.signal} before its input ended: ${all.written} records written, ` +
        `${all.rejected} rejected, ${report.unsettled} read but not settled. Every STATE that became safe was ` +
        "echoed; the next sync resumes from the last one.",
    ),
  );
}
