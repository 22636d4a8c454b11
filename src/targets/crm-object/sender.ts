/**
 * CRM batch writes with per-record outcomes: the sender the write pipeline calls.
 *
 * - upsert: `POST …/objects/{type}/batch/upsert`, `idProperty` in each input, a unique `objectWriteTraceId` per
 *   input so a 207 (or a 2026-09 200 with `errors`) names each failing input.
 * - update: `POST …/batch/update` by the same key; a key that matches nothing is rejected as OBJECT_NOT_FOUND.
 * - archive: the keys are read (hubspot/read-by-key.ts) to find record ids, then `POST …/batch/archive`. A key that
 *   matches nothing is already absent, which is what archiving asks for, so it counts as written (and a replay
 *   after a crash stays harmless).
 * An input is written only when HubSpot's answer says so: a result for it, or a 2xx without any error for the
 * whole batch. An input the answer does not account for (errors it cannot attribute) comes back `unaccounted`.
 * Whole-batch refusals are isolated (hubspot/isolate.ts); anything else (auth, scopes, retries exhausted) is thrown.
 */
import type { BatchSender, InputOutcome, WireInput, WriteEffect, WriteTarget } from "../../contract.js";
import type { ApiPaths } from "../../hubspot/api-paths.js";
import { contextList, type HubSpotErrorBody, rejectionFromError } from "../../hubspot/batch-errors.js";
import { type IsolationOptions, type Outcomes, sendIsolating } from "../../hubspot/isolate.js";
import { readByKey } from "../../hubspot/read-by-key.js";
import type { JsonTransport } from "../../hubspot/transport.js";

interface BatchResult {
  id?: string;
  new?: boolean;
  objectWriteTraceId?: string;
  properties?: Record<string, string | null>;
}

interface BatchResponse {
  results?: BatchResult[];
  errors?: (HubSpotErrorBody & { context?: Record<string, unknown> })[];
}

/** Emails come back lower-cased; other keys as sent. Compare keys the way HubSpot stores them. */
const normalizeKey = (value: string) => value.trim().toLowerCase();

export function createCrmSender(
  transport: JsonTransport,
  paths: Pick<ApiPaths, "crmBatch">,
  isolation: IsolationOptions = {},
): BatchSender {
  return (target, inputs, screen) => {
    const path = (action: "upsert" | "update") => paths.crmBatch(target.objectType, action);
    // What is sent again while isolating is screened against the values HubSpot refused meanwhile.
    const options = screen ? { ...isolation, screen } : isolation;
    switch (target.mode) {
      case "upsert":
        return sendIsolating(
          inputs,
          (part) => writeBatch(transport, target, part, path("upsert"), target.idProperty),
          options,
        );
      case "update":
        return sendIsolating(
          inputs,
          (part) => writeBatch(transport, target, part, path("update"), target.idProperty),
          options,
        );
      case "archive":
        return sendIsolating(
          inputs,
          (part) => archiveBatch(transport, paths, target, part, isolation),
          options,
        );
      case "send":
        throw new Error(`The CRM sender cannot send events (stream ${target.key}).`);
      case "add":
      case "remove":
      case "replace":
        throw new Error(`The CRM sender cannot write list memberships (stream ${target.key}).`);
    }
  };
}

/**
 * One upsert or update request and its outcomes. `idProperty` undefined sends record ids without `idProperty`, as
 * `batch/update` takes them (targets/crm-object/by-id/).
 */
export async function writeBatch(
  transport: JsonTransport,
  target: WriteTarget,
  inputs: readonly WireInput[],
  path: string,
  idProperty: string | undefined,
): Promise<Outcomes> {
  const body = {
    inputs: inputs.map((input) => ({
      id: input.id,
      ...(idProperty === undefined ? {} : { idProperty }),
      properties: input.properties,
      objectWriteTraceId: input.traceId,
    })),
  };
  const response = await transport.postJson<BatchResponse>(path, body);
  const outcomes: Outcomes = new Map();
  const byKey = new Map(inputs.map((input) => [normalizeKey(input.id), input.traceId]));
  const updated: WriteEffect = "updated";
  for (const result of response.body?.results ?? []) {
    const keyValue = result.properties?.[target.idProperty];
    const trace =
      result.objectWriteTraceId ??
      (typeof keyValue === "string" ? byKey.get(normalizeKey(keyValue)) : undefined);
    if (trace === undefined) continue;
    // Upserts say whether they created the record; an update can only have updated it.
    const effect = typeof result.new === "boolean" ? (result.new ? "created" : updated) : undefined;
    outcomes.set(trace, {
      status: "written",
      effect: target.mode === "update" ? updated : effect,
      ...(result.id ? { recordId: String(result.id) } : {}),
    });
  }
  const errors = response.body?.errors ?? [];
  attributeErrors(errors, response.status, inputs, byKey, outcomes);
  return settleRest(inputs, outcomes, errors.length, target.mode === "update" ? updated : undefined);
}

/**
 * Records each error item against the input it names (by trace id, else by id). In a one-input batch every error
 * is that input's. An item that names no input leaves the unnamed inputs unaccounted (see settleRest).
 */
function attributeErrors(
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
function settleRest(
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

async function archiveBatch(
  transport: JsonTransport,
  paths: Pick<ApiPaths, "crmBatch">,
  target: WriteTarget,
  inputs: readonly WireInput[],
  isolation: IsolationOptions,
): Promise<Outcomes> {
  const request = { objectType: target.objectType, idProperty: target.idProperty };
  const read = await readByKey(
    transport,
    paths,
    request,
    inputs.map((input) => input.id),
    isolation,
  );
  const ids = [...new Set([...read.found.values()].map(({ id }) => id))].map((id) => ({ id }));
  if (ids.length > 0) await transport.postJson(paths.crmBatch(target.objectType, "archive"), { inputs: ids });
  const outcomes: Outcomes = new Map();
  for (const input of inputs) {
    const record = read.found.get(input.id);
    const refusal = read.refused.get(input.id);
    if (record) outcomes.set(input.traceId, { status: "written", effect: "archived", recordId: record.id });
    else if (refusal) outcomes.set(input.traceId, { status: "rejected", rejection: refusal });
    else if (read.absent.has(input.id)) outcomes.set(input.traceId, { status: "written", effect: "absent" });
    else outcomes.set(input.traceId, { status: "unaccounted", reason: "the read left it unaccounted for" });
  }
  return outcomes;
}
