/**
 * The plan's stand-in for the by-id sender (`write --plan`): the CRM planner (targets/crm-object/planner.ts) reads
 * the ids by record id (hubspot/read-by-key.ts), which answers a merged id with the record it was merged into, and
 * its current values (so an update that changes nothing is `unchanged`). This adds what is particular to ids:
 *
 * - a record found under another id than its own was merged into it: the write would update (archive) that record,
 *   so the verdict stays and the line says `"merged_into": "<id>"`;
 * - an update of an id no record answers is RECORD_NOT_FOUND, naming hs_object_id, as the write would reject it.
 */
import type { InputOutcome, TargetPlanner, WriteTarget } from "../../../contract.js";
import { recordNotFound } from "./record-id.js";

export function createByIdPlanner(
  inner: TargetPlanner,
  onFollowed: (target: WriteTarget) => void,
): TargetPlanner {
  return {
    async plan(target, inputs, context) {
      const outcomes = await inner.plan(target, inputs, context);
      let followed = 0;
      for (const input of inputs) {
        const outcome = outcomes.get(input.traceId);
        if (!outcome) continue;
        const planned = byIdVerdict(target, input.id, outcome);
        if (planned !== outcome) outcomes.set(input.traceId, planned);
        if (planned.status === "written" && planned.detail?.mergedInto !== undefined) followed += 1;
      }
      for (let count = 0; count < followed; count += 1) onFollowed(target);
      if (followed > 0 && target.mode === "update") {
        context.caveat(
          "Updates by merged record ids: the write sends each to its old id first, then reads the ids HubSpot refused (about one request per 100 of them, from every batch together) and writes them to their new ids (one request per 100); the request counts here leave those out.",
        );
      }
      return outcomes;
    },
  };
}

function byIdVerdict(target: WriteTarget, id: string, outcome: InputOutcome): InputOutcome {
  if (outcome.status === "written" && outcome.recordId !== undefined && outcome.recordId !== id) {
    return { ...outcome, detail: { ...outcome.detail, mergedInto: outcome.recordId } };
  }
  const { status } = outcome;
  if (status === "rejected" && target.mode === "update") {
    const { code, category, httpStatus } = outcome.rejection;
    if (code === "OBJECT_NOT_FOUND" || category === "OBJECT_NOT_FOUND") {
      return { status: "rejected", rejection: recordNotFound(target.objectName, id, httpStatus) };
    }
  }
  return outcome;
}
