/**
 * Finding records' HubSpot ids by a unique value: `POST …/objects/{type}/batch/read` with `idProperty`, at most
 * 100 inputs (D-OBJ: batch read takes 100; hubspot-api-notes §1.8). A value HubSpot does not know comes back as an
 * `OBJECT_NOT_FOUND` error item naming it in `context.ids`; any other error item refuses the values it names.
 * Whole-batch refusals are isolated by isolate.ts (its refusals name values in `context.ids`, which it reads).
 */
import type { WireInput } from "../contract.js";
import type { ApiPaths } from "../hubspot/api-paths.js";
import { contextList, type HubSpotErrorBody, rejectionFromError } from "../hubspot/batch-errors.js";
import { type IsolationOptions, type Outcomes, sendIsolating } from "../hubspot/isolate.js";
import { CRM_BATCH_LIMIT } from "../hubspot/policies.js";
import type { LinksTransport } from "./links-api.js";
import type { Resolution } from "./types.js";

/** Values per lookup request: HubSpot's CRM batch read cap. */
export const LOOKUP_BATCH_LIMIT = CRM_BATCH_LIMIT;

interface ReadAnswer {
  results?: Array<{ id?: unknown; properties?: Record<string, unknown> }>;
  errors?: HubSpotErrorBody[];
}

/** Emails come back lower-cased; compare keys the way HubSpot stores them when no exact match exists. */
const loose = (value: string) => value.trim().toLowerCase();

/** The ids of the records whose `property` has each value; values not found are `missing`. */
export async function lookupIds(
  transport: LinksTransport,
  paths: Pick<ApiPaths, "crmBatch">,
  target: { objectType: string; property: string },
  values: readonly string[],
  isolation: IsolationOptions = {},
): Promise<Map<string, Resolution>> {
  const inputs: WireInput[] = values.map((value, index) => ({
    traceId: `k${index}`,
    id: value,
    properties: {},
  }));
  const path = paths.crmBatch(target.objectType, "read");
  const send = async (part: readonly WireInput[]): Promise<Outcomes> => {
    const answer = await transport.postJson<ReadAnswer | undefined>(path, {
      idProperty: target.property,
      properties: [target.property],
      // HubSpot's schema requires the field (BatchReadInputSimplePublicObjectId); no history is wanted.
      propertiesWithHistory: [],
      inputs: part.map((input) => ({ id: input.id })),
    });
    return lookupOutcomes(answer.status, answer.body, part, target.property);
  };
  let outcomes = await sendIsolating(inputs, send, isolation);
  const unaccounted = inputs.filter((input) => outcomes.get(input.traceId)?.status === "unaccounted");
  for (const input of unaccounted) {
    isolation.onExtraRequest?.();
    outcomes = new Map([...outcomes, ...(await sendIsolating([input], send, isolation))]);
  }
  const resolved = new Map<string, Resolution>();
  for (const input of inputs) {
    const outcome = outcomes.get(input.traceId);
    if (outcome?.status === "rejected")
      resolved.set(input.id, { status: "refused", rejection: outcome.rejection });
    else if (outcome?.status === "written" && outcome.recordId !== undefined)
      resolved.set(input.id, { status: "found", id: outcome.recordId });
    else resolved.set(input.id, { status: "missing" });
  }
  return resolved;
}

/** found: `written` with the record id; not found: `written` with the effect `absent`. */
function lookupOutcomes(
  status: number,
  answer: ReadAnswer | undefined,
  inputs: readonly WireInput[],
  property: string,
): Outcomes {
  const outcomes: Outcomes = new Map();
  const exact = new Map(inputs.map((input) => [input.id, input.traceId]));
  const byLoose = new Map(inputs.map((input) => [loose(input.id), input.traceId]));
  for (const result of answer?.results ?? []) {
    const value = result.properties?.[property];
    if (typeof value !== "string" || result.id === undefined) continue;
    const trace = exact.get(value) ?? byLoose.get(loose(value));
    if (trace !== undefined) outcomes.set(trace, { status: "written", recordId: String(result.id) });
  }
  const errors = answer?.errors ?? [];
  for (const error of errors) {
    const named = contextList(error, "ids")
      .map((id) => exact.get(id) ?? byLoose.get(loose(id)))
      .filter((trace): trace is string => trace !== undefined);
    if (named.length === 0 && inputs.length === 1) named.push((inputs[0] as WireInput).traceId);
    for (const trace of named) {
      if (outcomes.has(trace)) continue;
      outcomes.set(
        trace,
        error.category === "OBJECT_NOT_FOUND"
          ? { status: "written", effect: "absent" }
          : { status: "rejected", rejection: rejectionFromError(error, status) },
      );
    }
  }
  for (const input of inputs) {
    if (outcomes.has(input.traceId)) continue;
    outcomes.set(
      input.traceId,
      errors.length === 0
        ? { status: "written", effect: "absent" }
        : { status: "unaccounted", reason: "a partial answer left it out" },
    );
  }
  return outcomes;
}
