/**
 * Isolating the inputs at fault when HubSpot refuses a whole batch for what is in it (400, 409; contacts keyed by
 * email cannot be written in part), in about one request per refused input rather than log2(batch) each. One
 * implementation for CRM records and custom events alike.
 *
 * 1. Use what the refusal says: inputs it names by `objectWriteTraceId` or id (`context`), or, for a
 *    VALIDATION_ERROR naming a property, the inputs whose value of that property the message of one of HubSpot's own
 *    value checks names (never an admin rule's own wording: batch-errors.ts `refusedValue`). Those are
 *    rejected with HubSpot's reason (without being sent again: HubSpot's verdict on a value is deterministic),
 *    and the screen is told of them at once; the rest are sent again at once.
 * 2. A unique value taken (collisions.ts) is the fault of the inputs that send that value: one such input is
 *    rejected and the rest sent again; of several, the first is sent again with the rest and the others each
 *    alone after it, in order (the body says which value, not which input: one of them may be the record that holds
 *    it). A body that names the property but not the value sets apart every input sending the property.
 * 3. A refusal that names nothing usable (or that would blame every input) splits the batch in halves, sent in
 *    parallel, and each half is isolated the same way.
 * 4. A single refused input is rejected with HubSpot's reason.
 * Anything but a content refusal (auth, scopes, retries exhausted) is thrown: it is a connector-level failure.
 */
import type { InputOutcome, InputScreen, Rejection, WireInput } from "../contract.js";
import { blamedInputs, type HubSpotErrorBody, rejectionFromError } from "./batch-errors.js";
import { collisionCarriers, takenValueOf } from "./collisions.js";

export type Outcomes = Map<string, InputOutcome>;

/** A whole-batch refusal as the client throws it, as far as isolation needs it. */
export interface Refusal {
  status: number;
  body?: HubSpotErrorBody | undefined;
}

/** Statuses at which HubSpot refused a batch for what is in it, so isolating the bad inputs can save the rest. */
export const CONTENT_REFUSAL_STATUSES: ReadonlySet<number> = new Set([400, 409]);

export function asRefusal(error: unknown, statuses = CONTENT_REFUSAL_STATUSES): Refusal | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && statuses.has(status) ? (error as Refusal) : undefined;
}

export interface IsolationOptions {
  /** Statuses that mean "refused for its content". @default CONTENT_REFUSAL_STATUSES */
  statuses?: ReadonlySet<number>;
  /** Requests made to isolate refused inputs, beyond the first (for the benchmarks and the run receipt). */
  onExtraRequest?: () => void;
  /** Inputs rejected out of a batch HubSpot refused as a whole, with how many (for the run receipt). */
  onIsolated?: (inputs: number) => void;
  /** Applied to every input before it is sent again: what it rejects is not sent (a value refused meanwhile). */
  screen?: InputScreen | undefined;
  /** The property the inputs' ids are values of: it finds their records, so it never collides (collisions.ts). */
  keyProperty?: string | undefined;
}

/** Sends a batch; on a whole-batch content refusal, takes out the inputs at fault and sends the rest. */
export async function sendIsolating<I extends WireInput>(
  inputs: readonly I[],
  send: (inputs: readonly I[]) => Promise<Outcomes>,
  options: IsolationOptions = {},
): Promise<Outcomes> {
  try {
    return await send(inputs);
  } catch (error) {
    const refusal = asRefusal(error, options.statuses);
    if (!refusal) throw error;
    const body = refusal.body ?? {};
    if (inputs.length === 1) {
      options.onIsolated?.(1);
      const rejection = rejectionFromError(body, refusal.status);
      options.screen?.refused?.(inputs[0] as I, rejection);
      return rejected(inputs, rejection);
    }
    const blamed = blamedInputs(body, refusal.status, inputs);
    // Told before the rest is sent again, so no batch still waiting carries a value HubSpot just refused.
    for (const input of inputs) {
      const rejection = blamed.get(input.traceId);
      if (rejection && blamed.size < inputs.length) options.screen?.refused?.(input, rejection);
    }
    const again = async (part: readonly I[]): Promise<Outcomes> => {
      const screened: Outcomes = new Map();
      const rest = part.filter((input) => {
        const rejection = options.screen?.(input);
        if (rejection) screened.set(input.traceId, { status: "rejected", rejection });
        return rejection === undefined;
      });
      if (rest.length === 0) return screened;
      options.onExtraRequest?.();
      const outcomes = await sendIsolating(rest, send, options);
      for (const [trace, outcome] of screened) outcomes.set(trace, outcome);
      return outcomes;
    };
    const taken = blamed.size === 0 ? takenBy(body, refusal.status, inputs, options) : undefined;
    if (taken?.carriers.length === 1)
      blamed.set((taken.carriers[0] as I).traceId, rejectionFromError(body, refusal.status));
    if (blamed.size > 0 && blamed.size < inputs.length) {
      const outcomes = await again(inputs.filter((input) => !blamed.has(input.traceId)));
      options.onIsolated?.(blamed.size);
      for (const [trace, rejection] of blamed) outcomes.set(trace, { status: "rejected", rejection });
      return outcomes;
    }
    const apart = taken && (await sendCarriersApart(inputs, taken, again));
    if (apart) return apart;
    const middle = Math.ceil(inputs.length / 2);
    const [left, right] = await Promise.all([again(inputs.slice(0, middle)), again(inputs.slice(middle))]);
    for (const [trace, outcome] of right) left.set(trace, outcome);
    return left;
  }
}

/** The inputs that send the unique value a refusal says is taken, and whether it quoted the value. */
function takenBy<I extends WireInput>(
  body: HubSpotErrorBody,
  status: number,
  inputs: readonly I[],
  options: IsolationOptions,
): { carriers: I[]; quoted: boolean } | undefined {
  const taken = takenValueOf(body, status);
  if (!taken) return undefined;
  return {
    carriers: collisionCarriers(taken, inputs, options.keyProperty),
    quoted: taken.value !== undefined,
  };
}

/**
 * Several inputs send the taken value (step 2). The value quoted: the first goes again with the rest, the others
 * each alone after it, in order (one of them may hold it). Not quoted: the inputs that do not send the property go
 * again at once, and those that do are isolated apart (halved, when nothing else is left). Undefined: no carriers
 * to set apart.
 */
async function sendCarriersApart<I extends WireInput>(
  inputs: readonly I[],
  { carriers, quoted }: { carriers: I[]; quoted: boolean },
  again: (part: readonly I[]) => Promise<Outcomes>,
): Promise<Outcomes | undefined> {
  if (carriers.length < 2) return undefined;
  const set = new Set(carriers.slice(quoted ? 1 : 0));
  const rest = inputs.filter((input) => !set.has(input));
  if (!quoted) {
    if (rest.length === 0) return undefined;
    const [outcomes, apart] = await Promise.all([again(rest), again(carriers)]);
    for (const [trace, outcome] of apart) outcomes.set(trace, outcome);
    return outcomes;
  }
  const outcomes = await again(rest);
  for (const input of set) for (const [trace, outcome] of await again([input])) outcomes.set(trace, outcome);
  return outcomes;
}

function rejected(inputs: readonly WireInput[], rejection: Rejection): Outcomes {
  return new Map(inputs.map((input) => [input.traceId, { status: "rejected", rejection }]));
}
