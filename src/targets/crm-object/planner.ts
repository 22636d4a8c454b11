/**
 * The plan's stand-in for the CRM sender: reads records by key instead of writing them.
 *
 * 1. An input whose key the plan already decided (dry-run/projection.ts) is answered from there when every property it
 *    sets is known; the others are read by key (hubspot/read-by-key.ts, the archive sender's own read), asking
 *    for the properties they set, through the same client and governor as a write.
 * 2. upsert: a record found would be updated (its current values go in the detail, for the old → new line); a
 *    key matching none would be created. update: found → updated; not found → rejected OBJECT_NOT_FOUND, as the
 *    write would be. archive: found → archived; not found → already absent.
 * 3. Each written verdict carries the record's id, as a write's answer does: HubSpot's for a record found, a
 *    stand-in (dry-run/planned-ids.ts) for one the write would create, so the stages learn it (`observe`) as in a write.
 * 4. The projection learns what each verdict would leave, and the context how many requests the write would
 *    make for the batch (one, and for an archive batch with records found a second).
 */
import type {
  InputOutcome,
  PlanContext,
  Rejection,
  TargetPlanner,
  WireInput,
  WriteTarget,
} from "../../contract.js";
import type { ApiPaths } from "../../hubspot/api-paths.js";
import type { Outcomes } from "../../hubspot/isolate.js";
import { readByKey } from "../../hubspot/read-by-key.js";
import type { JsonTransport } from "../../hubspot/transport.js";
import type { Property } from "../../hubspot/types.js";
import { storedAfter } from "../../dry-run/compare.js";
import { plannedRecordId } from "../../dry-run/planned-ids.js";
import { Projection, type Projected } from "../../dry-run/projection.js";

export interface CrmPlannerParts {
  transport: JsonTransport;
  paths: Pick<ApiPaths, "crmBatch">;
  /** The property definitions of a target's object, by name. */
  definitions: (target: WriteTarget) => ReadonlyMap<string, Property>;
  projection?: Projection;
}

export function createCrmPlanner(parts: CrmPlannerParts): TargetPlanner & { projection: Projection } {
  const projection = parts.projection ?? new Projection();
  return {
    projection,
    async plan(target, inputs, context: PlanContext) {
      if (target.mode === "create") return planCreates(target, inputs, context);
      const outcomes: Outcomes = new Map();
      const toRead: WireInput[] = [];
      for (const input of inputs) {
        const known = projection.get(target, input.id);
        const complete =
          known && (!known.exists || Object.keys(input.properties).every((name) => name in known.values));
        if (known && complete) {
          const found = known.exists ? { values: known.values, id: known.id } : undefined;
          outcomes.set(input.traceId, verdict(target, input.id, found));
        } else toRead.push(input);
      }
      if (toRead.length > 0) {
        const read = await readVerdicts(parts, target, toRead, projection);
        for (const [trace, outcome] of read) outcomes.set(trace, outcome);
      }
      learn(target, inputs, outcomes, projection, parts.definitions(target));
      const archives = target.mode === "archive" && [...outcomes.values()].some(isArchive);
      context.wouldSend(target, archives ? 2 : 1);
      return outcomes;
    },
  };
}

/** Creates: each input a new record (nothing to read), one request for the batch, its links inside it. */
function planCreates(target: WriteTarget, inputs: readonly WireInput[], context: PlanContext): Outcomes {
  context.wouldSend(target, 1);
  const outcomes: Outcomes = new Map();
  for (const input of inputs) {
    outcomes.set(input.traceId, {
      status: "written",
      effect: "created",
      recordId: plannedRecordId(target.objectType, `${target.key}${input.id}`),
      detail: {
        verdicts: (input.links ?? []).map((link) => ({
          verdict: "link",
          about: link.about ?? `record ${link.toId}`,
        })),
      },
    });
  }
  return outcomes;
}

/** Reads a batch by key and answers each input's verdict (refusals and partial answers as the read gave them). */
async function readVerdicts(
  parts: CrmPlannerParts,
  target: WriteTarget,
  inputs: readonly WireInput[],
  projection: Projection,
): Promise<Outcomes> {
  const names = new Set<string>();
  for (const input of inputs) for (const name of Object.keys(input.properties)) names.add(name);
  const request = { objectType: target.objectType, idProperty: target.idProperty, properties: [...names] };
  const read = await readByKey(
    parts.transport,
    parts.paths,
    request,
    inputs.map((input) => input.id),
  );
  const outcomes: Outcomes = new Map();
  for (const input of inputs) {
    const refusal = read.refused.get(input.id);
    if (refusal) {
      outcomes.set(input.traceId, { status: "rejected", rejection: refusal });
      continue;
    }
    const planned = projection.get(target, input.id);
    const found = read.found.get(input.id);
    if (planned) {
      // Known to the plan but not in full: HubSpot's values for the rest, the plan's where it has them.
      const record = planned.exists
        ? { values: { ...found?.properties, ...planned.values }, id: planned.id ?? found?.id }
        : undefined;
      outcomes.set(input.traceId, verdict(target, input.id, record));
    } else if (found) {
      const values = asKeyed(target, input.id, found.properties);
      outcomes.set(input.traceId, verdict(target, input.id, { values, id: found.id }));
    } else if (read.absent.has(input.id)) {
      const notFound = read.absent.get(input.id);
      outcomes.set(input.traceId, verdict(target, input.id, undefined, notFound));
    } else {
      outcomes.set(input.traceId, {
        status: "unaccounted",
        reason: "the read answered in part and left it out",
      });
    }
  }
  return outcomes;
}

/**
 * A contact found by one of its secondary addresses is answered with its primary one; the write sends no `email`
 * equal to its key (same-record.ts), so the primary address stays and is no change: the key stands for it here.
 */
function asKeyed(
  target: WriteTarget,
  key: string,
  values: Record<string, string | null>,
): Record<string, string | null> {
  return target.idProperty === "email" && "email" in values ? { ...values, email: key } : values;
}

/** A record the plan found (in HubSpot or among its own verdicts): its values and id. */
interface FoundRecord {
  values: Readonly<Record<string, string | null>>;
  id: string | undefined;
}

/** The outcome a write would settle an input with, given the record with its key (undefined: no record). */
function verdict(
  target: WriteTarget,
  key: string,
  record: FoundRecord | undefined,
  notFound?: Rejection,
): InputOutcome {
  const exists = record !== undefined;
  const current = record?.values;
  const recordId = record?.id;
  switch (target.mode) {
    case "archive":
      return exists
        ? { status: "written", effect: "archived", recordId, detail: { current } }
        : { status: "written", effect: "absent", detail: { current } };
    case "update":
      if (!exists) {
        return {
          status: "rejected",
          rejection: notFound ?? {
            code: "OBJECT_NOT_FOUND",
            message: `No ${target.objectName} has ${target.idProperty} of this value, so it cannot be updated.`,
            field: target.idProperty,
          },
        };
      }
      return { status: "written", effect: "updated", recordId, detail: { current } };
    default:
      return exists
        ? { status: "written", effect: "updated", recordId, detail: { current } }
        : {
            status: "written",
            effect: "created",
            recordId: plannedRecordId(target.objectType, key),
            detail: { current },
          };
  }
}

const isArchive = (outcome: InputOutcome) => outcome.status === "written" && outcome.effect === "archived";

/** Records in the projection what each written verdict would leave. */
function learn(
  target: WriteTarget,
  inputs: readonly WireInput[],
  outcomes: Outcomes,
  projection: Projection,
  definitions: ReadonlyMap<string, Property>,
): void {
  for (const input of inputs) {
    const outcome = outcomes.get(input.traceId);
    if (outcome?.status !== "written") continue;
    if (target.mode === "archive") {
      projection.set(target, input.id, { exists: false, values: {} });
      continue;
    }
    const values: Projected["values"] = { ...outcome.detail?.current };
    for (const [name, next] of Object.entries(input.properties)) {
      values[name] = storedAfter(definitions.get(name), values[name], next);
    }
    projection.set(target, input.id, { exists: true, values, id: outcome.recordId });
  }
}
