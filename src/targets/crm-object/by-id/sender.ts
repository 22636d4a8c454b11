/**
 * The sender of streams keyed by record id (`hs_object_id`): updates and archives of the records with those ids,
 * merged ids followed to the records they were merged into.
 *
 * - update: `POST …/batch/update` with the ids and no `idProperty` (HubSpot's shape for record ids; `idProperty:
 *   "hs_object_id"` is refused as "non-unique"). The inputs it refuses as not found are followed (merged-ids.ts):
 *   written to their survivor, or RECORD_NOT_FOUND.
 * - archive: the CRM sender's archive (targets/crm-object/sender.ts): the ids are read first, which answers a merged
 *   id with its survivor, and the survivors are archived (`batch/archive` refuses old ids whole). An id no record
 *   answers is already absent, as for an archive by any key. Reading first costs what archive-then-follow would: in
 *   a batch of 100 with 5 % merged ids there is nearly always one, and the refused batch must be sent again.
 * Every input written to another id than its own counts as a merged id followed (RunStats).
 */
import type { BatchSender, InputOutcome, InputScreen, WireInput, WriteTarget } from "../../../contract.js";
import type { ApiPaths } from "../../../hubspot/api-paths.js";
import { type IsolationOptions, type Outcomes, sendIsolating } from "../../../hubspot/isolate.js";
import type { JsonTransport } from "../../../hubspot/transport.js";
import { createCrmSender, writeBatch } from "../sender.js";
import { type FirstWrite, MergedIdFollower } from "./merged-ids.js";

export interface ByIdSenderParts {
  transport: JsonTransport;
  paths: Pick<ApiPaths, "crmBatch">;
  isolation: IsolationOptions;
  /** The longest a refused input waits for others before their ids are read (the run's `linger_ms`). */
  waitMs: number;
  /** An input was written to the record its id was merged into. */
  onFollowed: (target: WriteTarget) => void;
}

export function createByIdSender(parts: ByIdSenderParts): BatchSender {
  const archive = createCrmSender(parts.transport, parts.paths, parts.isolation);
  const follower = new MergedIdFollower(parts);
  let batches = 0;
  const counted = (target: WriteTarget, input: WireInput, outcome: InputOutcome): InputOutcome => {
    if (outcome.status === "deferred") {
      return { ...outcome, outcome: outcome.outcome.then((later) => counted(target, input, later)) };
    }
    if (outcome.status === "written" && outcome.recordId !== undefined && outcome.recordId !== input.id) {
      parts.onFollowed(target);
    }
    return outcome;
  };
  return async (target, inputs, screen) => {
    const outcomes =
      target.mode === "update"
        ? await updateById(parts, follower, target, inputs, batches++, screen)
        : await archive(target, inputs, screen);
    for (const input of inputs) {
      const outcome = outcomes.get(input.traceId);
      if (outcome) outcomes.set(input.traceId, counted(target, input, outcome));
    }
    return outcomes;
  };
}

/**
 * The first write; the inputs it refused as not found are followed together with other batches' and answered
 * `deferred`, so the batch's other inputs settle at once (and do not hold the run's in-flight bound meanwhile).
 */
async function updateById(
  parts: ByIdSenderParts,
  follower: MergedIdFollower,
  target: WriteTarget,
  inputs: readonly WireInput[],
  batch: number,
  screen: InputScreen | undefined,
): Promise<Outcomes> {
  const path = parts.paths.crmBatch(target.objectType, "update");
  const options = screen ? { ...parts.isolation, screen } : parts.isolation;
  follower.started(target);
  try {
    const outcomes = await sendIsolating(
      inputs,
      (part) => writeBatch(parts.transport, target, part, path, undefined),
      options,
    );
    const refused = inputs.flatMap((input, index) =>
      notFound(outcomes.get(input.traceId)) ? [{ input, index }] : [],
    );
    if (refused.length === 0) return outcomes;
    const following = follower.follow(target, refused, firstWrite(batch, inputs, outcomes));
    for (const { input } of refused) {
      const later = following.then((followed) => followed.get(input.traceId) ?? lost);
      outcomes.set(input.traceId, { status: "deferred", outcome: later });
    }
    return outcomes;
  } finally {
    follower.ended(target);
  }
}

const lost: InputOutcome = {
  status: "unaccounted",
  reason: "following its merged id answered nothing for it",
};

const notFound = (outcome: InputOutcome | undefined) =>
  outcome?.status === "rejected" && outcome.rejection.category === "OBJECT_NOT_FOUND";

function firstWrite(batch: number, inputs: readonly WireInput[], outcomes: Outcomes): FirstWrite {
  const written: Map<string, { index: number; properties: Readonly<Record<string, string>> }> = new Map();
  inputs.forEach((input, index) => {
    if (outcomes.get(input.traceId)?.status === "written") {
      written.set(input.id, { index, properties: input.properties });
    }
  });
  return { batch, written };
}
