/**
 * Creates: `POST …/objects/{type}/batch/create`, one new record per input, each with its links inside
 * (`associations: [{to: {id}, types: [{associationCategory, associationTypeId}]}]`), so HubSpot creates the record
 * already linked, or (a link it refuses) not at all
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis, "Create records").
 * Each input carries an `objectWriteTraceId`, by which HubSpot's answer names its result or its error; an input the
 * answer names neither way is unaccounted (the pipeline sends it once more alone, see load/settle-input.ts).
 */
import type { WireInput } from "../../contract.js";
import type { Outcomes } from "../../hubspot/isolate.js";
import type { JsonTransport } from "../../hubspot/transport.js";
import { attributeErrors, type BatchResponse, settleRest } from "./batch-answer.js";

/** One batch/create input as HubSpot takes it. */
function createInput(input: WireInput) {
  const associations = (input.links ?? []).map((link) => ({
    to: { id: link.toId },
    types: link.types.map((type) => ({ associationCategory: type.category, associationTypeId: type.typeId })),
  }));
  return {
    properties: input.properties,
    objectWriteTraceId: input.traceId,
    ...(associations.length > 0 ? { associations } : {}),
  };
}

export async function createBatch(
  transport: JsonTransport,
  inputs: readonly WireInput[],
  path: string,
): Promise<Outcomes> {
  const response = await transport.postJson<BatchResponse>(path, { inputs: inputs.map(createInput) });
  const outcomes: Outcomes = new Map();
  const known = new Set(inputs.map((input) => input.traceId));
  for (const result of response.body?.results ?? []) {
    const trace = result.objectWriteTraceId;
    if (trace === undefined || !known.has(trace)) continue;
    outcomes.set(trace, {
      status: "written",
      effect: "created",
      ...(result.id ? { recordId: String(result.id) } : {}),
    });
  }
  const errors = response.body?.errors ?? [];
  // Creates have no key to name an input by: only trace ids (or a one-input batch) attribute an error.
  attributeErrors(errors, response.status, inputs, new Map(), outcomes);
  return settleRest(inputs, outcomes, errors.length, "created");
}
