/**
 * The plan's summary: the last line of the plan file, and the same facts for people (stderr in raw pipe mode, LOG
 * lines in Airbyte mode). Counts per stream, verdict and reject code; the requests a write would need; which
 * guards the write would trip; and what a plan cannot know without writing, said rather than guessed.
 */
import { counted } from "../counted.js";
import type { GuardsConfigType } from "../config/guards.js";
import type { WriteTarget } from "../contract.js";
import type { RequestTally } from "../hubspot/request-tally.js";
import type { RunStats } from "../load/run-stats.js";
import { PLAN_MEMORY_KEYS } from "./projection.js";
import type { PlanCounts } from "./planner.js";
import type { PlanTally } from "./recorder.js";

export interface PlanSummaryParts {
  stats: RunStats;
  tallies: ReadonlyMap<string, PlanTally>;
  targets: ReadonlyMap<string, WriteTarget>;
  /** What the plan's context gathered: the write's requests, list removals asked, notes. */
  counts: PlanCounts;
  /** Requests this plan made before its first batch (scopes, definitions): a write makes them too. */
  setupRequests: number;
  requests: RequestTally;
  guards: GuardsConfigType;
  /** The portal's daily limit as HubSpot's answers gave it, if they did. */
  dailyLimit: number | undefined;
  forgottenKeys: number;
  /** What ended the plan before its input did, as a phrase; undefined when it read everything. */
  stoppedBy: string | undefined;
}

const sorted = (map: ReadonlyMap<string, number>) => Object.fromEntries([...map].sort());

/** The summary object (the plan file's last line holds it as `{"summary": …}`). */
export function buildPlanSummary(parts: PlanSummaryParts): Record<string, unknown> {
  const { verdicts, codes, actions } = totalsOf(parts);
  const streams = [...parts.stats.streams].map(([key, totals]) => {
    const tally = parts.tallies.get(key);
    const target = parts.targets.get(key);
    const write = parts.counts.requests.get(key);
    return {
      stream: target?.streamName ?? (key || null),
      namespace: target?.namespace ?? null,
      object: target?.objectName ?? null,
      mode: target?.mode ?? null,
      read: totals.read,
      verdicts: sorted(tally?.verdicts ?? new Map()),
      actions: sorted(tally?.actions ?? new Map()),
      rejected_by_code: sorted(tally?.rejectedByCode ?? new Map()),
      skipped: totals.skipped,
      write_requests: { batches: write?.batches ?? 0, requests: write?.requests ?? 0 },
    };
  });
  const batchRequests = [...parts.counts.requests.values()].reduce((sum, entry) => sum + entry.requests, 0);
  const setup = parts.setupRequests + parts.counts.setupWrites;
  const all = parts.stats.all;
  return {
    kind: "plan",
    stopped_by: parts.stoppedBy ?? null,
    records: {
      read: all.read,
      skipped: all.skipped,
      verdicts: sorted(verdicts),
      actions: sorted(actions),
      rejected_by_code: sorted(codes),
    },
    streams,
    write_requests: {
      total: setup + batchRequests,
      setup,
      batches: batchRequests,
      isolation: isolationNote(parts.targets),
    },
    plan_requests: {
      sent: parts.requests.sent,
      by_endpoint: Object.fromEntries(
        [...parts.requests.byEndpoint].map(([endpoint, statuses]) => [endpoint, sorted(mapKeys(statuses))]),
      ),
    },
    properties_to_create: [...parts.counts.propertiesToCreate],
    states: { read: parts.stats.statesEmitted, echoed: 0 },
    guards: guardForecast(parts, verdicts, actions, setup + batchRequests),
    cannot_know: cannotKnow(parts.targets, verdicts, actions, parts.counts.caveats),
    notes: [
      ...(parts.forgottenKeys > 0
        ? [
            `The input has more than ${PLAN_MEMORY_KEYS} keys: a key planned again after that many others is judged against HubSpot as it is now, not as the earlier record would leave it.`,
          ]
        : []),
      ...parts.counts.notes,
    ],
  };
}

/** The verdicts, reject codes and actions of every stream the run counted, added up. */
function totalsOf({ stats, tallies }: Pick<PlanSummaryParts, "stats" | "tallies">) {
  const verdicts = new Map<string, number>();
  const codes = new Map<string, number>();
  const actions = new Map<string, number>();
  const add = (into: Map<string, number>, from: ReadonlyMap<string, number>) => {
    for (const [name, count] of from) into.set(name, (into.get(name) ?? 0) + count);
  };
  for (const key of stats.streams.keys()) {
    const tally = tallies.get(key);
    if (!tally) continue;
    add(verdicts, tally.verdicts);
    add(codes, tally.rejectedByCode);
    add(actions, tally.actions);
  }
  return { verdicts, codes, actions };
}

const mapKeys = (map: ReadonlyMap<string, number>) =>
  new Map([...map].map(([key, value]) => [String(key), value]));

function isolationNote(targets: ReadonlyMap<string, WriteTarget>): string {
  const byEmail = [...targets.values()].some(
    (target) => target.screensValues && target.objectType === "0-1" && target.idProperty === "email",
  );
  return (
    "Counted as if HubSpot accepts every record sent: each record HubSpot refuses costs about one more request to isolate" +
    (byEmail
      ? "; contacts keyed by email are refused a whole batch at a time, so each such refusal also sends the rest of its batch again."
      : ".")
  );
}

/** What the write would do to each guard that is set. */
function guardForecast(
  parts: PlanSummaryParts,
  verdicts: ReadonlyMap<string, number>,
  actions: ReadonlyMap<string, number>,
  needed: number,
): string[] {
  const guards = parts.guards;
  const lines: string[] = [];
  // Records created as a line's own verdict, and as an action: a list member's record, or a record's own write
  // on a line rejected after it (its links).
  const creates = (verdicts.get("create") ?? 0) + (actions.get("create") ?? 0);
  if (guards.max_creates !== undefined) {
    lines.push(
      creates > guards.max_creates
        ? `max_creates (${guards.max_creates}) would fire: the write would create ${counted(creates, "record")}, and stop once HubSpot's answers show ${guards.max_creates + 1}.`
        : `max_creates (${guards.max_creates}) holds: the write would create ${counted(creates, "record")}.`,
    );
  }
  const archives = (verdicts.get("archive") ?? 0) + (verdicts.get("absent") ?? 0);
  if (guards.max_archives !== undefined) {
    lines.push(
      archives > guards.max_archives
        ? `max_archives (${guards.max_archives}) would fire: the write would ask HubSpot to archive ${counted(archives, "record")}; the batch that passes the cap would not be sent.`
        : `max_archives (${guards.max_archives}) holds: the write would ask to archive ${counted(archives, "record")}.`,
    );
  }
  if (guards.max_reject_ratio !== undefined) {
    const all = parts.stats.all;
    const judged = all.read >= guards.min_records;
    const ratio = all.read > 0 ? all.rejected / all.read : 0;
    lines.push(
      judged && ratio > guards.max_reject_ratio
        ? `max_reject_ratio (${guards.max_reject_ratio}) would fire: ${all.rejected} of ${counted(all.read, "record")} would be rejected, more than the share allowed.`
        : `max_reject_ratio (${guards.max_reject_ratio}) holds${judged ? "" : ` (fewer than ${counted(guards.min_records, "record")}: not judged)`} as far as the local checks and reads tell.`,
    );
  }
  if (guards.daily_budget_share !== undefined) {
    lines.push(
      parts.dailyLimit === undefined
        ? `daily_budget_share (${guards.daily_budget_share}) cannot be judged: HubSpot's answers carried no daily limit.`
        : `daily_budget_share (${guards.daily_budget_share}) ${needed > guards.daily_budget_share * parts.dailyLimit ? "would fire" : "holds"}: the write needs about ${needed} requests, and the share is ${Math.floor(guards.daily_budget_share * parts.dailyLimit)} of the daily limit of ${parts.dailyLimit}.`,
    );
  }
  const removals = parts.counts.listRemovalsAsked;
  if (guards.max_list_removals !== undefined) {
    lines.push(
      removals > guards.max_list_removals
        ? `max_list_removals (${guards.max_list_removals}) would fire: the write would ask HubSpot to remove ${counted(removals, "list member")} (remove streams' records and overwrite sweeps); the request that passes the cap would not be sent.`
        : `max_list_removals (${guards.max_list_removals}) holds: the write would ask to remove ${counted(removals, "list member")}.`,
    );
  }
  return lines;
}

/** What a read cannot tell about the write, for the streams this plan has. */
function cannotKnow(
  targets: ReadonlyMap<string, WriteTarget>,
  verdicts: ReadonlyMap<string, number>,
  actions: ReadonlyMap<string, number>,
  caveats: readonly string[],
): string[] {
  const lines = [
    "HubSpot's own checks happen only when it is written to: property validation rules an admin set (enforced on API version 2026-09), values it refuses that pass the connector's local checks, and its limits at the time.",
    "Writes by others between this plan and the write (another sync, a user, a workflow) can change any verdict.",
  ];
  if ([...targets.values()].some((target) => target.objectType === "0-1")) {
    lines.push(
      "Email addresses that pass the connector's syntax check can still be refused by HubSpot (it checks each domain's top-level domain, among others).",
    );
  }
  if ([...targets.values()].some((target) => target.mode === "upsert" || target.mode === "update")) {
    lines.push(
      "A unique value another record already holds (UNIQUE_VALUE_TAKEN, EMAIL_TAKEN) is found only when written: the plan reads records by their key, not by every unique value they set.",
    );
  }
  if ((verdicts.get("create") ?? 0) > 0) {
    lines.push(
      "A create can be refused for a property HubSpot requires on create (deals: dealname, dealstage, pipeline; products: name, price, hs_sku, …).",
    );
  }
  // The kinds' own (events, lists), in the order the routes were built.
  lines.push(...caveats);
  if ((actions.get("link") ?? 0) > 0) {
    lines.push(
      "Whether HubSpot accepts each link is known only when it is sent: its limits on associations per record and per label, and links to records others archive meanwhile.",
    );
  }
  return lines;
}

/** The summary for people, a line per fact. */
export function describePlanSummary(summary: Record<string, unknown>, location: string): string[] {
  const s = summary as {
    stopped_by: string | null;
    records: { read: number; verdicts: Record<string, number> };
    streams: Array<{
      stream: string | null;
      object: string | null;
      mode: string | null;
      verdicts: Record<string, number>;
      actions: Record<string, number>;
      rejected_by_code: Record<string, number>;
      write_requests: { batches: number; requests: number };
    }>;
    write_requests: { total: number; setup: number; batches: number; isolation: string };
    properties_to_create: Array<{ object: string; name: string; type: string; fieldType: string }>;
    guards: string[];
    cannot_know: string[];
    notes: string[];
  };
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([name, count]) => `${name} ${count}`)
      .join(", ");
  const lines = [
    `Plan (nothing was written${s.stopped_by ? `; stopped by ${s.stopped_by}` : ""}): read ${counted(s.records.read, "record")}: ${list(s.records.verdicts) || "no verdicts"}.`,
  ];
  for (const stream of s.streams) {
    const codes = list(stream.rejected_by_code);
    const actions = list(stream.actions);
    lines.push(
      `  ${stream.stream ?? "(lines outside any stream)"}${stream.object ? ` (${stream.object}, ${stream.mode})` : ""}: ${list(stream.verdicts) || "nothing"}${codes ? ` (${codes})` : ""}${actions ? `; actions: ${actions}` : ""}; the write would send ${counted(stream.write_requests.batches, "batch", "batches")}.`,
    );
  }
  lines.push(
    `A write would make about ${counted(s.write_requests.total, "HubSpot request")}: ${counted(s.write_requests.setup, "setup read")} and ${s.write_requests.batches} for the batches. ${s.write_requests.isolation}`,
  );
  if (s.properties_to_create.length > 0) {
    const created = s.properties_to_create.map((p) => `${p.object}.${p.name} (${p.type}/${p.fieldType})`);
    lines.push(`A write would first create ${created.length} properties: ${created.join(", ")}.`);
  }
  for (const guard of s.guards) lines.push(`Guard ${guard}`);
  lines.push(`Not known without writing: ${s.cannot_know.join(" ")}`);
  for (const note of s.notes) lines.push(note);
  lines.push(`Plan written to ${location}.`);
  return lines;
}
