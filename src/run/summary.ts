/**
 * What `write` says when it ends: LOG lines per stream and for the run (Airbyte mode), or a summary on stderr
 * (raw pipe mode); the same facts when a stop ended it early, including what was left unsettled.
 */
import { counted } from "../counted.js";
import type { RequestTally } from "../hubspot/request-tally.js";
import { describeEffects, describeTotals, type RunStats, type StreamTotals } from "../load/run-stats.js";
import type { Log } from "./types.js";

export interface WriteReport {
  stats: RunStats;
  /** Records read but neither written nor durably rejected (a stop ended the run before they settled). */
  unsettled: number;
  /** Where rejected records went (`s3://…`, a file path, or that they were not stored). */
  location: string;
  /** True when rejected records are kept nowhere (storage None and no `--rejects` file). */
  discarding: boolean;
  requests: RequestTally;
  /** What stopped the run before its input ended, as a phrase ("SIGTERM", "stdout closing"); undefined if none. */
  stoppedBy: string | undefined;
}

/** The closing LOG lines (Airbyte mode) or WARN/INFO lines on stderr (raw mode), before the summary. */
export function logClosing(report: WriteReport, log: Log, raw: boolean): void {
  for (const [name, totals] of report.stats.streams) log("INFO", describeTotals(name, totals));
  const all = report.stats.all;
  if (raw) return;
  if (report.discarding && all.rejected > 0) log("WARN", discardedNote(all.rejected));
  log(
    "INFO",
    `Write ${report.stoppedBy ? `stopped by ${report.stoppedBy}` : "finished"}: ${all.written} written` +
      `${describeEffects(all) ? ` (${describeEffects(all)})` : ""}, ${all.rejected} rejected (rejected records: ${report.location})` +
      `${all.skipped > 0 ? `, ${counted(all.skipped, "event")} skipped (left out by events.mappings; in neither state count)` : ""}` +
      `${report.unsettled > 0 ? `, ${report.unsettled} read but left unsettled (after the last STATE echoed: the next sync sends them again)` : ""}` +
      `, ${counted(report.stats.statesEmitted, "state")} echoed, ${counted(report.requests.sent, "HubSpot request")}.`,
  );
}

/** The summary for people on stderr in raw pipe mode. */
export function rawSummary(report: WriteReport): string {
  const all = report.stats.all;
  const codes = [...all.rejectedByCode].map(([code, count]) => `  ${code}: ${count}`).join("\n");
  const rateLimited = report.requests.count(429);
  return (
    `\n${report.stoppedBy ? `Stopped by ${report.stoppedBy}.` : "Done."} ${readLine(all)}\n` +
    `${report.unsettled > 0 ? `${counted(report.unsettled, "record was", "records were")} read but not written (still in flight when the run stopped): send ${report.unsettled === 1 ? "it" : "them"} again.\n` : ""}` +
    `${codes ? `Rejected by reason:\n${codes}\n` : ""}` +
    `${all.rejected > 0 ? rejectedWhere(all.rejected, report) : ""}` +
    `${rateLimited > 0 ? `HubSpot answered 429 ${counted(rateLimited, "time")}.\n` : ""}`
  );
}

/** One line, for a process that must exit now: the live totals and where the rejects went. */
export function forcedSummary(report: WriteReport, why: string): string {
  const all = report.stats.all;
  const unsettled = Math.max(0, all.read - all.written - all.rejected - all.skipped);
  return (
    `\nStopped by ${report.stoppedBy ?? "a signal"}; ${why}. ${readLine(all)}` +
    `${unsettled > 0 ? ` ${counted(unsettled, "record was", "records were")} not settled (no STATE covers ${unsettled === 1 ? "it" : "them"}): run again to send ${unsettled === 1 ? "it" : "them"}.` : ""}` +
    `${all.rejected > 0 ? ` Rejected records: ${report.discarding ? "not kept" : report.location}.` : ""}\n`
  );
}

function readLine(all: StreamTotals): string {
  const effects = describeEffects(all);
  return (
    `Read ${counted(all.read, "record")}: written ${all.written}${effects ? ` (${effects})` : ""}, ` +
    `rejected ${all.rejected}${all.skipped > 0 ? `, skipped ${all.skipped} (left out by events.mappings)` : ""}.`
  );
}

function rejectedWhere(rejected: number, report: WriteReport): string {
  return report.discarding
    ? `${discardedNote(rejected)}\n`
    : `Rejected records: ${rejected}, in ${report.location}.\n`;
}

function discardedNote(rejected: number): string {
  return (
    `${counted(rejected, "rejected record was", "rejected records were")} not kept anywhere: object_storage_config is None and no --rejects file ` +
    "was given (write --rejects FILE.jsonl keeps them with their reasons)."
  );
}
