/**
 * CRM batch writes with per-record outcomes: the sender the write pipeline calls.
 *
 * - upsert: `POST …/objects/{type}/batch/upsert`, `idProperty` in each input, a unique `objectWriteTraceId` per
 *   input so a 207 (or a 2026-09 200 with `errors`) names each failing input.
 * - update: `POST …/batch/update` by the same key; a key that matches nothing is rejected as OBJECT_NOT_FOUND.
 * - create: `POST …/batch/create`, each input a new record with its links inside (create.ts).
 * - archive: the keys are read (hubspot/read-by-key.ts) to find record ids, then `POST …/batch/archive`. A key that
 *   matches nothing is already absent, which is what archiving asks for, so it counts as written (and a replay
 *   after a crash stays harmless).
 * An input is written only when HubSpot's answer says so: a result for it, or a 2xx without any error for the
 * whole batch. An input the answer does not account for (errors it cannot attribute) comes back `unaccounted`.
 * Whole-batch refusals are isolated (hubspot/isolate.ts); anything else (auth, scopes, retries exhausted) is thrown.
 * Upserts and updates merge the inputs that name one record under two keys (same-record.ts) and never send an
 * email-keyed contact's `email` (same-record.ts `sentProperties`); a unique value taken is a collision
 * (hubspot/collisions.ts), rejected for the inputs that send it.
 */
import type { BatchSender, RecordMapper, WireInput, WriteEffect, WriteTarget } from "../../contract.js";
import type { ApiPaths } from "../../hubspot/api-paths.js";
import { type IsolationOptions, type Outcomes, sendIsolating } from "../../hubspot/isolate.js";
import { readByKey } from "../../hubspot/read-by-key.js";
import type { JsonTransport } from "../../hubspot/transport.js";
import { attributeErrors, type BatchResponse, normalizeKey, settleRest } from "./batch-answer.js";
import { createBatch } from "./create.js";
import { mergingSameRecord, sentProperties } from "./same-record.js";

/** The merge rule of a target's stream (two writes of one record become one input), when it has its own. */
export type MergeRules = (target: WriteTarget) => RecordMapper["merge"];

export function createCrmSender(
  transport: JsonTransport,
  paths: Pick<ApiPaths, "crmBatch">,
  isolation: IsolationOptions = {},
  mergeOf: MergeRules = () => undefined,
): BatchSender {
  return (target, inputs, screen) => {
    // What is sent again while isolating is screened against the values HubSpot refused meanwhile.
    const options = { ...isolation, keyProperty: target.idProperty, ...(screen ? { screen } : {}) };
    const write = (action: "upsert" | "update") => {
      const path = paths.crmBatch(target.objectType, action);
      const send = (part: readonly WireInput[]) =>
        writeBatch(transport, target, part, path, target.idProperty);
      return mergingSameRecord(target, send, mergeOf(target), isolation.onExtraRequest);
    };
    switch (target.mode) {
      case "upsert":
        return sendIsolating(inputs, write("upsert"), options);
      case "update":
        return sendIsolating(inputs, write("update"), options);
      case "archive":
        return sendIsolating(
          inputs,
          (part) => archiveBatch(transport, paths, target, part, isolation),
          options,
        );
      case "create":
        return sendIsolating(
          inputs,
          (part) => createBatch(transport, part, paths.crmBatch(target.objectType, "create")),
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
      properties: sentProperties(target, input),
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
