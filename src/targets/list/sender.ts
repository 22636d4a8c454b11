/**
 * The sender of list memberships: the write pipeline's BatchSender for targets of kind `list`.
 *
 * 1. Resolve each member's key to its record id (record-ids.ts).
 * 2. A key without a record: removing it is already done (`not-member`); adding it upserts the record first by its
 *    key through the CRM sender when `lists.create_missing_records` is on (unless its fields could not be
 *    converted: then it is rejected with that reason), else rejects it RECORD_NOT_FOUND.
 * 3. Overwrite: every resolved id is remembered as seen; in Airbyte mode it is also added to the staging list, side
 *    by side with the list, so what this attempt wrote survives a crash (a member the staging list refuses is
 *    rejected with its reason).
 * 4. Add or remove the ids (memberships.ts); each input's outcome is its record's.
 * A record counts as written only when HubSpot confirmed its membership change (and, for an overwrite in Airbyte
 * mode, its staging). Connector-level failures throw. In a plan (the CRM sender is then the CRM planner, which
 * answers with a detail), a member whose record would be created first says so in its detail: a `create` verdict.
 */
import type {
  BatchSender,
  InputOutcome,
  InputScreen,
  PlanDetail,
  WireInput,
  WriteTarget,
} from "../../contract.js";
import type { ApiPaths } from "../../hubspot/api-paths.js";
import type { JsonTransport } from "../../hubspot/transport.js";
import type { Outcomes } from "../../hubspot/isolate.js";
import { CRM_BATCH_LIMIT } from "../../hubspot/policies.js";
import type { ListCalls } from "./api.js";
import { createRefusal } from "./mapper.js";
import { changeMembers } from "./memberships.js";
import { LIST_REJECTION_CODES } from "./policies.js";
import { type KnownIds, resolveRecordIds } from "./record-ids.js";
import { type ListRun, rememberSeen } from "./run.js";

export interface ListSenderParts {
  api: ListCalls;
  /** For the key reads. */
  transport: JsonTransport;
  paths: Pick<ApiPaths, "crmBatch">;
  /** The CRM sender, for upserting missing members' records. */
  crmSender: BatchSender;
  known: KnownIds;
  /** Each list stream's run, by stream key. */
  runs: ReadonlyMap<string, ListRun>;
  /** Told of the records HubSpot created for members (the run's `created` counts). */
  onCreated?: ((target: WriteTarget, count: number) => void) | undefined;
}

export function createListSender(parts: ListSenderParts): BatchSender {
  return async (target, inputs, screen) => {
    const run = parts.runs.get(target.key);
    if (!run) throw new Error(`No list was prepared for stream ${target.key}.`);
    const outcomes: Outcomes = new Map();
    const keys = inputs.map((input) => input.id);
    const { found, refused } = await resolveRecordIds(
      parts.transport,
      parts.paths,
      target,
      keys,
      parts.known,
    );
    const ids = new Map<string, string>(); // trace id → record id
    const upserted = new Map<string, PlanDetail>(); // trace id → a planner's detail of its record's upsert
    const missing: WireInput[] = [];
    for (const input of inputs) {
      const id = found.get(input.id);
      const rejection = refused.get(input.id);
      if (id !== undefined) ids.set(input.traceId, id);
      else if (rejection) outcomes.set(input.traceId, { status: "rejected", rejection });
      else missing.push(input);
    }
    // A key HubSpot would not read may be a member's: an overwrite can no longer vouch for what it saw.
    if (target.mode === "replace") run.unresolved += refused.size;
    await settleMissing(parts, run, missing, { ids, upserted, outcomes }, screen);
    if (target.mode === "replace") rememberSeen(run, ids.values());
    const recordIds = [...ids.values()];
    const action = target.mode === "remove" ? "remove" : "add";
    const [staged, changed] = await Promise.all([
      target.mode === "replace" && run.staging
        ? changeMembers(parts.api, run.staging, "add", recordIds)
        : undefined,
      changeMembers(parts.api, run.list, action, recordIds),
    ]);
    for (const [trace, id] of ids) {
      // Staged and changed, or not written: a member the staging list refused is rejected with its reason.
      const stagedOutcome = staged?.get(id) ?? (staged ? unanswered(id) : undefined);
      const outcome = changed.get(id) ?? unanswered(id);
      const detail = upserted.get(trace);
      if (stagedOutcome && stagedOutcome.status !== "written") outcomes.set(trace, stagedOutcome);
      else outcomes.set(trace, detail && outcome.status === "written" ? { ...outcome, detail } : outcome);
    }
    return outcomes;
  };
}

/** What step 2 fills in: record ids found by upserting, planners' details of those upserts, and outcomes. */
interface Settled {
  ids: Map<string, string>;
  upserted: Map<string, PlanDetail>;
  outcomes: Outcomes;
}

/** Step 2: keys HubSpot has no record for. */
async function settleMissing(
  parts: ListSenderParts,
  run: ListRun,
  missing: readonly WireInput[],
  { ids, upserted, outcomes }: Settled,
  screen: InputScreen | undefined,
): Promise<void> {
  if (missing.length === 0) return;
  const { target } = run;
  if (target.mode === "remove" || !run.createMissing) {
    for (const input of missing) {
      outcomes.set(
        input.traceId,
        target.mode === "remove" ? { status: "written", effect: "not-member" } : notFound(run, input.id),
      );
    }
    return;
  }
  const creatable = missing.filter((input) => {
    const refusal = createRefusal(input.properties);
    if (refusal) outcomes.set(input.traceId, { status: "rejected", rejection: refusal });
    return refusal === undefined;
  });
  const chunks: WireInput[][] = [];
  for (let start = 0; start < creatable.length; start += CRM_BATCH_LIMIT) {
    chunks.push(creatable.slice(start, start + CRM_BATCH_LIMIT));
  }
  const answers = await Promise.all(chunks.map((chunk) => parts.crmSender(run.upsertTarget, chunk, screen)));
  const { objectType, idProperty } = run.upsertTarget;
  let created = 0;
  for (const input of creatable) {
    const outcome = answers.find((answer) => answer.has(input.traceId))?.get(input.traceId);
    if (outcome?.status === "written" && outcome.recordId !== undefined) {
      ids.set(input.traceId, outcome.recordId);
      // Another list stream keyed the same way then knows it, as the write's key read would find it (no upsert).
      parts.known.remember(objectType, idProperty, input.id, outcome.recordId);
      if (outcome.effect === "created") created += 1;
      if (outcome.detail) {
        const verdict = outcome.effect === "created" ? "create" : "update";
        upserted.set(input.traceId, { verdicts: [{ verdict, about: `${run.objectName} ${input.id}` }] });
      }
    } else if (outcome?.status === "written") {
      outcomes.set(input.traceId, {
        status: "unaccounted",
        reason: "HubSpot wrote the member's record but did not give its id",
      });
    } else {
      outcomes.set(input.traceId, outcome ?? unanswered(input.id));
    }
  }
  run.createdRecords += created;
  if (created > 0) parts.onCreated?.(target, created);
}

function notFound(run: ListRun, key: string): InputOutcome {
  return {
    status: "rejected",
    rejection: {
      code: LIST_REJECTION_CODES.RECORD_NOT_FOUND,
      message: `No ${run.objectName} has ${run.target.idProperty} ${key}, so it cannot join list ${run.list.name}. Set lists.create_missing_records to create missing records.`,
      field: run.target.idProperty,
    },
  };
}

const unanswered = (id: string): InputOutcome => ({
  status: "unaccounted",
  reason: `HubSpot's answer did not mention record ${id}`,
});
