/**
 * How a write run ends once its pipeline returned: the rejects store closed, the kinds' closing lines logged, and
 * the summary said (the plan's, or the write's: LOG lines, and for people the summary on stderr); then a passed
 * `--max-rejects` limit fails the run, and a stop is reported as the platform expects.
 */
import { ConfigError } from "../errors.js";
import type { PlanRun } from "../dry-run/index.js";
import type { PipelineResult } from "../load/pipeline.js";
import type { RejectsSink } from "../rejects/sink.js";
import type { WriteRun } from "./setup.js";
import type { StopReason } from "./shutdown.js";
import { describeStop, reportStopped } from "./stop.js";
import { logClosing, rawSummary, type WriteReport } from "./summary.js";
import type { WriteResult } from "./types.js";

export interface Ending {
  sink: RejectsSink;
  plan: PlanRun | undefined;
  report: (unsettled: number) => WriteReport;
  /** HubSpot requests made before the first record (a plan's summary counts them as the write's setup). */
  setupRequests: number;
  /** The kinds' WARN lines for the end of the run. */
  closing: string[];
}

/** Stores the rejects, reports, and says how the run ended (a passed limit throws). */
export async function finish(run: WriteRun, ending: Ending, result: PipelineResult): Promise<WriteResult> {
  const { human, io, log } = run;
  await ending.sink.close();
  for (const line of ending.closing) log("WARN", line);
  const report = ending.report(result.unsettled);
  // A closed stdout may have lost states even when the input ended meanwhile; a signal counts if it cut the run.
  const reason = run.shutdown?.reason;
  const stopReason = result.stopped || reason?.kind === "stdout-closed" ? reason : undefined;
  if (ending.plan) await sayPlan(run, ending, stopReason);
  else {
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

/** The plan's summary: the plan file's last line, and for people (stderr) or the platform (LOG lines). */
async function sayPlan(run: WriteRun, ending: Ending, stopReason: StopReason | undefined): Promise<void> {
  const lines = await (ending.plan as PlanRun).complete({
    stats: run.stats,
    setupRequests: ending.setupRequests,
    requests: run.clients.tally,
    guards: run.config.guards,
    dailyLimit: run.clients.governor.dailyLimit,
    stoppedBy: describeStop(stopReason),
  });
  for (const line of lines) {
    if (run.human) run.io.stderr.write(`${line}\n`);
    else run.log("INFO", line);
  }
}
