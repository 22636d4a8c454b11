/**
 * Reading a CRM batch write's answer per input: errors attributed to the inputs they name, and the inputs the
 * answer names neither way settled by whether it carried any error (sender.ts, create.ts).
 */
import type { InputOutcome, WireInput, WriteEffect } from "../../contract.js";
import { contextList, type HubSpotErrorBody, rejectionFromError } from "../../hubspot/batch-errors.js";
import type { Outcomes } from "../../hubspot/isolate.js";

/** Emails come back lower-cased; other keys as sent. Compare keys the way HubSpot stores them. */
export const normalizeKey = (value: string) => value.trim().toLowerCase();

export interface BatchResult {
  id?: string;
  new?: boolean;
  objectWriteTraceId?: string;
  properties?: Record<string, string | null>;
}

export interface BatchResponse {
  results?: BatchResult[];
  errors?: (HubSpotErrorBody & { context?: Record<string, unknown> })[];
}

/**
 * Records each error item against the input it names (by trace id, else by id). In a one-input batch every error
 * is that input's. An item that names no input leaves the unnamed inputs unaccounted (see settleRest).
 */
export function attributeErrors(
  errors: NonNullable<BatchResponse["errors"]>,
  status: number,
  inputs: readonly WireInput[],
  byKey: Map<string, string>,
  outcomes: Outcomes,
): void {
  for (const error of errors) {
    const rejection = rejectionFromError(error, status);
    const traces = contextList(error, "objectWriteTraceId");
    const named =
      traces.length > 0 ? traces : contextList(error, "ids").map((id) => byKey.get(normalizeKey(id)));
    const known = named.filter((trace): trace is string => trace !== undefined && isInput(inputs, trace));
    if (known.length === 0 && inputs.length === 1) known.push((inputs[0] as WireInput).traceId);
    for (const trace of known) outcomes.set(trace, { status: "rejected", rejection });
  }
}

const isInput = (inputs: readonly WireInput[], trace: string) =>
  inputs.some((input) => input.traceId === trace);

/**
 * Inputs the answer named neither way: written when the 2xx carried no error at all (HubSpot wrote the whole
 * batch), unaccounted when it carried errors (a partial answer says nothing of an input it leaves out).
 */
export function settleRest(
  inputs: readonly WireInput[],
  outcomes: Outcomes,
  errors: number,
  effect: WriteEffect | undefined,
): Outcomes {
  for (const input of inputs) {
    if (outcomes.has(input.traceId)) continue;
    const outcome: InputOutcome =
      errors === 0
        ? { status: "written", effect }
        : { status: "unaccounted", reason: `a partial answer with ${errors} error(s) and no result for it` };
    outcomes.set(input.traceId, outcome);
  }
  return outcomes;
}
