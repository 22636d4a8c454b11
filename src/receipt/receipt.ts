/**
 * The run receipt: one JSON document saying what a `write` (or `replay`, or plan) did and what it cost, written
 * at its end, and on a fatal error as far as it got. Built from the run's own accounting (RunStats, the client's
 * RequestTally, the governors, the retry policy, isolation counts), never from a count kept apart.
 */
import { counted } from "../counted.js";
import type { RequestTally } from "../hubspot/request-tally.js";
import type { LatencyHistogram, LatencySummary } from "../latency.js";
import type { RunStats, StreamTotals } from "../load/run-stats.js";
import type { GuardsReport } from "../guards/index.js";

export const RECEIPT_VERSION = 1;

/** How the run ended. */
export type RunOutcome =
  | { status: "finished" }
  | { status: "stopped"; by: string }
  | { status: "failed"; failureType: string; message: string };

/** What a stream writes, for the receipt's per-stream lines. */
export interface StreamTarget {
  stream: string;
  namespace: string | undefined;
  object: string;
  mode: string;
}

/** Everything the receipt is built from. */
export interface ReceiptSources {
  command: "write" | "replay";
  plan: boolean;
  version: string;
  configDigest: string;
  startedAt: number;
  endedAt: number;
  outcome: RunOutcome;
  stats: RunStats;
  targets: ReadonlyMap<string, StreamTarget>;
  /** Per stream key, records a plan found unchanged; undefined in a write (HubSpot's answers do not say). */
  unchanged?: ReadonlyMap<string, number> | undefined;
  unsettled: number;
  rejectsLocation: string;
  requests: RequestTally;
  retries: { retried: number; backoffMs: number };
  rateLimit: { waitedMs: number };
  isolation: { recordsIsolated: number; extraRequests: number };
  eventLatency: LatencyHistogram | undefined;
  guards: GuardsReport;
}

/** camelCase → snake_case, for the receipt's wire names. */
const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** Every count of a stream's totals (created, updated, archived, absent, … and any a stage adds), by wire name. */
function counts(totals: StreamTotals, unchanged: number | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(totals)) {
    if (typeof value === "number") out[name === "absent" ? "already_absent" : snake(name)] = value;
  }
  out.unchanged = unchanged;
  out.rejected_by_code = Object.fromEntries([...totals.rejectedByCode].sort());
  return out;
}

const latency = (summary: LatencySummary) => ({
  count: summary.count,
  p50: summary.p50Ms ?? null,
  p95: summary.p95Ms ?? null,
  max: summary.maxMs ?? null,
});

const byStatus = (statuses: ReadonlyMap<number | string, number>) =>
  Object.fromEntries([...statuses].map(([status, count]) => [String(status), count]).sort());

export function buildReceipt(sources: ReceiptSources): Record<string, unknown> {
  const { stats } = sources;
  const unchangedTotal = sources.unchanged
    ? [...sources.unchanged.values()].reduce((a, b) => a + b, 0)
    : null;
  const outcome =
    sources.outcome.status === "failed"
      ? {
          status: "failed",
          failure_type: sources.outcome.failureType,
          message: sources.outcome.message,
        }
      : sources.outcome;
  return {
    receipt_version: RECEIPT_VERSION,
    connector: { name: "destination-hubspot", version: sources.version },
    command: sources.command,
    plan: sources.plan,
    config_digest: sources.configDigest,
    started_at: new Date(sources.startedAt).toISOString(),
    ended_at: new Date(sources.endedAt).toISOString(),
    duration_ms: Math.round(sources.endedAt - sources.startedAt),
    outcome,
    totals: counts(stats.all, unchangedTotal),
    streams: streamsOf(sources),
    states_echoed: stats.statesEmitted,
    unsettled: sources.unsettled,
    rejected_records: sources.rejectsLocation,
    ...costs(sources),
    guards: { set: sources.guards.set, fired: sources.guards.fired ?? null },
    notes: sources.unchanged
      ? []
      : [
          "unchanged is null: HubSpot's answer to a write does not say whether a record's values changed (write --plan tells).",
        ],
  };
}

/** Each stream's target and counts. */
function streamsOf(sources: ReceiptSources): Array<Record<string, unknown>> {
  const unchangedOf = (key: string) => (sources.unchanged ? (sources.unchanged.get(key) ?? 0) : null);
  return [...sources.stats.streams].map(([key, totals]) => {
    const target = sources.targets.get(key);
    return {
      stream: target?.stream ?? (key || null),
      namespace: target?.namespace ?? null,
      object: target?.object ?? null,
      mode: target?.mode ?? null,
      ...counts(totals, unchangedOf(key)),
    };
  });
}

/** What the run cost: requests, retries, rate-limit waits, isolation, and the events' latency. */
function costs(sources: ReceiptSources): Record<string, unknown> {
  const { requests } = sources;
  return {
    requests: {
      sent: requests.sent,
      unanswered: requests.unanswered,
      by_status: byStatus(requests.byStatus),
      by_endpoint: Object.fromEntries(
        [...requests.byEndpoint].map(([endpoint, statuses]) => [endpoint, byStatus(statuses)]).sort(),
      ),
      latency_ms: latency(requests.latency.summary()),
    },
    retries: { count: sources.retries.retried, waited_ms: Math.round(sources.retries.backoffMs) },
    rate_limit: {
      answers_429: requests.count(429),
      waited_ms: Math.round(sources.rateLimit.waitedMs),
    },
    isolation: {
      records_isolated: sources.isolation.recordsIsolated,
      extra_requests: sources.isolation.extraRequests,
    },
    event_latency_ms:
      sources.eventLatency && sources.eventLatency.count > 0 ? latency(sources.eventLatency.summary()) : null,
  };
}

/** The receipt in one line, for the closing LOG / stderr summary. */
export function describeReceipt(receipt: Record<string, unknown>, where: readonly string[]): string {
  const r = receipt as {
    duration_ms: number;
    requests: { sent: number; by_status: Record<string, number>; latency_ms: ReturnType<typeof latency> };
    retries: { count: number };
    rate_limit: { answers_429: number; waited_ms: number };
    isolation: { records_isolated: number; extra_requests: number };
    event_latency_ms: ReturnType<typeof latency> | null;
  };
  const statuses = Object.entries(r.requests.by_status)
    .map(([status, count]) => `${status}: ${count}`)
    .join(", ");
  const lat = r.requests.latency_ms;
  const events = r.event_latency_ms
    ? `, events stdin → acknowledged p50 ${r.event_latency_ms.p50} ms / p95 ${r.event_latency_ms.p95} ms`
    : "";
  return (
    `Receipt: ${counted(r.requests.sent, "HubSpot request")}${statuses ? ` (${statuses})` : ""}` +
    `${lat.count > 0 ? `, latency p50 ${lat.p50} ms / p95 ${lat.p95} ms / max ${lat.max} ms` : ""}` +
    `, ${counted(r.retries.count, "retry", "retries")}, ${r.rate_limit.answers_429} answered 429, ${Math.round(r.rate_limit.waited_ms / 100) / 10} request-seconds waiting for the rate limit` +
    `, ${counted(r.isolation.records_isolated, "record")} isolated for ${counted(r.isolation.extra_requests, "extra request")}${events}` +
    `, ${Math.round(r.duration_ms / 100) / 10} s` +
    `${where.length > 0 ? `; written to ${where.join(" and ")}` : ""}.`
  );
}
