/**
 * Settles one batch input from HubSpot's answer, sending again (alone) where the answer does not settle every
 * record in it. It runs while the dispatcher still holds the input's key, so nothing written later for that key
 * can land before it: later values win, also across isolation and retries.
 *
 * 1. Written: every merged record is written; only the first can have created the HubSpot record.
 * 2. Unaccounted (HubSpot's 2xx named neither a result nor an error for it): sent again alone, once; then
 *    rejected as UNCONFIRMED_WRITE if still unaccounted.
 * 2a. Deferred (the sender settles it apart from its batch): settled as above once its verdict comes.
 * 3. Rejected, one record: that record is rejected with HubSpot's reason.
 * 4. Rejected, several merged records: the one whose value HubSpot refused is the *last* record that set the
 *    refused property (its value is the one that was sent). It is rejected, the others are merged again in order
 *    and sent alone; repeat while HubSpot refuses. When the refusal names no property, the records are sent one
 *    by one, in input order, exactly as HubSpot would have received them unmerged.
 */
import type { InputOutcome, PlanDetail, Rejection, WriteEffect, WriteTarget } from "../contract.js";
import type { BatchInput, InputPart } from "./types.js";

export const UNCONFIRMED_WRITE = "UNCONFIRMED_WRITE";

export interface SettleContext {
  target: WriteTarget;
  /** Sends one input alone and answers its outcome (unaccounted when the answer does not name it). */
  sendAlone(input: BatchInput): Promise<InputOutcome>;
  /** The stream's merge rule for two writes of one record. */
  merge(into: Record<string, string>, later: Readonly<Record<string, string>>): Record<string, string>;
  /** A fresh trace id for an input sent again. */
  nextTraceId(): string;
  written(
    part: InputPart,
    effect: WriteEffect | undefined,
    key: string,
    recordId: string | undefined,
    detail?: PlanDetail,
  ): void;
  rejected(part: InputPart, rejection: Rejection): void;
}

export async function settleInput(
  context: SettleContext,
  input: BatchInput,
  outcome: InputOutcome,
  resent = false,
): Promise<void> {
  switch (outcome.status) {
    case "written":
      input.parts.forEach((part, index) =>
        context.written(
          part,
          effectOfPart(outcome.effect, index),
          input.id,
          outcome.recordId,
          outcome.detail,
        ),
      );
      return;
    case "deferred":
      return settleInput(context, input, await outcome.outcome, resent);
    case "unaccounted":
      if (!resent) return settleInput(context, input, await context.sendAlone(input), true);
      for (const part of input.parts) context.rejected(part, unconfirmed(outcome.reason));
      return;
    case "rejected":
      if (input.parts.length === 1) context.rejected(input.parts[0] as InputPart, outcome.rejection);
      else await isolateParts(context, input.id, input.parts, outcome.rejection);
  }
}

async function isolateParts(
  context: SettleContext,
  id: string,
  parts: InputPart[],
  first: Rejection,
): Promise<void> {
  let remaining = parts;
  let rejection = first;
  for (;;) {
    const culprit = lastSetting(remaining, rejection.field);
    if (culprit < 0) return sendOneByOne(context, id, remaining);
    context.rejected(remaining[culprit] as InputPart, rejection);
    remaining = remaining.filter((_part, index) => index !== culprit);
    if (remaining.length === 0) return;
    const merged = remerge(context, id, remaining);
    const outcome = await context.sendAlone(merged);
    if (outcome.status !== "rejected" || remaining.length === 1) return settleInput(context, merged, outcome);
    rejection = outcome.rejection;
  }
}

async function sendOneByOne(context: SettleContext, id: string, parts: InputPart[]): Promise<void> {
  for (const part of parts) {
    const single = { traceId: context.nextTraceId(), id, properties: { ...part.properties }, parts: [part] };
    await settleInput(context, single, await context.sendAlone(single));
  }
}

function remerge(context: SettleContext, id: string, parts: InputPart[]): BatchInput {
  const properties: Record<string, string> = {};
  for (const part of parts) context.merge(properties, part.properties);
  return { traceId: context.nextTraceId(), id, properties, parts };
}

/** The index of the last part that set `field`, or -1. */
function lastSetting(parts: InputPart[], field: string | undefined): number {
  if (field === undefined) return -1;
  for (let index = parts.length - 1; index >= 0; index -= 1) {
    if ((parts[index] as InputPart).properties[field] !== undefined) return index;
  }
  return -1;
}

/** A merged input is one HubSpot record: only its first part can have created (archived, added, removed) it. */
function effectOfPart(effect: WriteEffect | undefined, index: number): WriteEffect | undefined {
  if (index === 0 || effect === undefined) return effect;
  return LATER_PART_EFFECT[effect] ?? effect;
}

const LATER_PART_EFFECT: Partial<Record<WriteEffect, WriteEffect>> = {
  created: "updated",
  archived: "absent",
  added: "already-member",
  removed: "not-member",
};

const unconfirmed = (reason: string): Rejection => ({
  code: UNCONFIRMED_WRITE,
  message: `HubSpot's answer did not say whether this record was written (${reason}), also when it was sent alone; it may or may not be in HubSpot. Send it again.`,
});
