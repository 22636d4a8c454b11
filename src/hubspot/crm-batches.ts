/**
 * CRM batch writes with per-record outcomes: the sender the write pipeline calls.
 *
 * - upsert: `POST …/objects/{type}/batch/upsert`, `idProperty` in each input, a unique `objectWriteTraceId` per
 *   input so a 207 (or a 2026-09 200 with `errors`) names each failing input.
 * - update: `POST …/batch/update` by the same key; a key that matches nothing is rejected as OBJECT_NOT_FOUND.
 * - archive: `POST …/batch/read` by the key to find record ids, then `POST …/batch/archive`. A key that matches
 *   nothing is already absent, which is what archiving asks for, so it counts as written (and a replay after a
 *   crash stays harmless).
 * An input is written only when HubSpot's answer says so: a result for it, or a 2xx without any error for the
 * whole batch. An input the answer does not account for (errors it cannot attribute) comes back `unaccounted`.
 * Whole-batch refusals are isolated (isolate.ts); anything else (auth, scopes, retries exhausted) is thrown.
 */
import type {
  BatchSender,
  InputOutcome,
  Rejection,
  WireInput,
  WriteEffect,
  WriteTarget,
} from "../contract.js";
import type { ApiPaths } from "./api-paths.js";
import { contextList, type HubSpotErrorBody, rejectionFromError } from "./batch-errors.js";
import { type IsolationOptions, type Outcomes, sendIsolating } from "./isolate.js";

/** What the sender needs of the HubSpot client. */
export interface CrmTransport {
  postJson<T>(path: string, body: unknown): Promise<{ status: number; body: T }>;
}

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
  transport: CrmTransport,
  paths: Pick<ApiPaths, "crmBatch">,
  isolation: IsolationOptions = {},
): BatchSender {
  return (target, inputs, screen) => {
    const path = (action: "upsert" | "update" | "read" | "archive") =>
      paths.crmBatch(target.objectType, action);
    // What is sent again while isolating is screened against the values HubSpot refused meanwhile.
    const options = screen ? { ...isolation, screen } : isolation;
    switch (target.mode) {
      case "upsert":
        return sendIsolating(inputs, (part) => writeBatch(transport, target, part, path("upsert")), options);
      case "update":
        return sendIsolating(inputs, (part) => writeBatch(transport, target, part, path("update")), options);
      case "archive":
        return sendIsolating(inputs, (part) => archiveBatch(transport, target, part, path), options);
      case "send":
        throw new Error(`The CRM sender cannot send events (stream ${target.key}).`);
      case "add":
      case "remove":
      case "replace":
        throw new Error(`The CRM sender cannot write list memberships (stream ${target.key}).`);
    }
  };
}

async function writeBatch(
  transport: CrmTransport,
  target: WriteTarget,
  inputs: readonly WireInput[],
  path: string,
): Promise<Outcomes> {
  const body = {
    inputs: inputs.map((input) => ({
      id: input.id,
      idProperty: target.idProperty,
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

/** What a batch read by key found for each input (by trace id). */
export interface KeyRead {
  /** Inputs whose key matched a record: its HubSpot id and the asked properties HubSpot answered (null: no value). */
  found: Map<string, { id: string; properties: Record<string, string | null> }>;
  /** Inputs whose key matches no record, with HubSpot's OBJECT_NOT_FOUND item as a rejection. */
  absent: Map<string, Rejection>;
  /** Inputs HubSpot's answer refused for another reason. */
  refused: Outcomes;
  /** Error items in the answer: with none, an input it does not name is known to be absent. */
  errors: number;
}

/**
 * `POST …/batch/read` by the target's matching key, asking for `properties` (the key always): which inputs match
 * a record, which match none, and which HubSpot refused. The archive sender and the plan's CRM planner both read
 * this way.
 */
export async function readByKey(
  transport: CrmTransport,
  target: WriteTarget,
  inputs: readonly WireInput[],
  path: string,
  properties: readonly string[] = [],
): Promise<KeyRead> {
  const asked = [...new Set([target.idProperty, ...properties])];
  const read = await transport.postJson<BatchResponse>(path, {
    idProperty: target.idProperty,
    properties: asked,
    // HubSpot's schema requires the field (BatchReadInputSimplePublicObjectId); no history is wanted.
    propertiesWithHistory: [],
    inputs: inputs.map((input) => ({ id: input.id })),
  });
  const byKey = new Map(inputs.map((input) => [normalizeKey(input.id), input.traceId]));
  const found: KeyRead["found"] = new Map();
  for (const result of read.body?.results ?? []) {
    const keyValue = result.properties?.[target.idProperty];
    const trace = typeof keyValue === "string" ? byKey.get(normalizeKey(keyValue)) : undefined;
    if (trace === undefined || !result.id) continue;
    const values: Record<string, string | null> = {};
    for (const name of asked) values[name] = result.properties?.[name] ?? null;
    found.set(trace, { id: String(result.id), properties: values });
  }
  // OBJECT_NOT_FOUND items name keys that match nothing; any other error item is a refusal of the inputs it names.
  const errors = read.body?.errors ?? [];
  const absent: KeyRead["absent"] = new Map();
  for (const error of errors.filter((item) => item.category === "OBJECT_NOT_FOUND")) {
    const rejection = rejectionFromError(error, read.status);
    for (const id of contextList(error, "ids")) {
      const trace = byKey.get(normalizeKey(id));
      if (trace !== undefined) absent.set(trace, rejection);
    }
  }
  const refused: Outcomes = new Map();
  const refusals = errors.filter((item) => item.category !== "OBJECT_NOT_FOUND");
  attributeErrors(refusals, read.status, inputs, byKey, refused);
  for (const trace of refused.keys()) found.delete(trace);
  return { found, absent, refused, errors: errors.length };
}

async function archiveBatch(
  transport: CrmTransport,
  target: WriteTarget,
  inputs: readonly WireInput[],
  path: (action: "read" | "archive") => string,
): Promise<Outcomes> {
  const { found, absent, refused, errors } = await readByKey(transport, target, inputs, path("read"));
  const outcomes: Outcomes = new Map(refused);
  const ids = [...found.values()].map(({ id }) => ({ id }));
  if (ids.length > 0) await transport.postJson(path("archive"), { inputs: ids });
  for (const input of inputs) {
    if (outcomes.has(input.traceId)) continue;
    const record = found.get(input.traceId);
    if (record) {
      outcomes.set(input.traceId, { status: "written", effect: "archived", recordId: record.id });
    } else if (absent.has(input.traceId) || errors === 0)
      outcomes.set(input.traceId, { status: "written", effect: "absent" });
    else
      outcomes.set(input.traceId, {
        status: "unaccounted",
        reason: "the read answered in part and left it out",
      });
  }
  return outcomes;
}
