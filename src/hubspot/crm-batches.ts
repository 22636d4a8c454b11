/**
 * CRM batch writes with per-record outcomes: the sender the write pipeline calls.
 *
 * - upsert: `POST /crm/v3/objects/{type}/batch/upsert`, `idProperty` in each input, a unique
 *   `objectWriteTraceId` per input so a 207 names each failing input.
 * - update: `POST …/batch/update` by the same key; a key that matches nothing is rejected as OBJECT_NOT_FOUND.
 * - archive: `POST …/batch/read` by the key to find record ids, then `POST …/batch/archive`. A key that matches
 *   nothing is already absent, which is what archiving asks for, so it counts as written (and a replay after a
 *   crash stays harmless).
 * When HubSpot refuses a whole batch for its content (400, 409: contacts keyed by email cannot be written in
 * part), the batch is split in halves until each bad input stands alone, so one bad record never costs the others.
 * Anything else (auth, scopes, retries exhausted) is thrown: it is a connector-level failure.
 */
import type { BatchSender, InputOutcome, WriteTarget } from "../load/types.js";
import { contextList, type HubSpotErrorBody, rejectionFromError } from "./batch-errors.js";
import { CRM_PATHS } from "./crm-paths.js";

/** What the sender needs of the HubSpot client. */
export interface CrmTransport {
  postJson<T>(path: string, body: unknown): Promise<{ status: number; body: T }>;
}

type Input = { traceId: string; id: string; properties: Record<string, string> };
type Outcomes = Map<string, InputOutcome>;

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

/** Statuses at which HubSpot refused a batch for what is in it, so isolating the bad inputs can save the rest. */
const CONTENT_REFUSAL_STATUSES = new Set([400, 409]);

/** The error thrown by the client for a non-2xx answer, as far as this module needs it. */
export interface ApiErrorLike {
  status: number;
  body?: HubSpotErrorBody | undefined;
}

export function isContentRefusal(error: unknown): error is ApiErrorLike {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && CONTENT_REFUSAL_STATUSES.has(status);
}

/** Emails come back lower-cased; other keys as sent. Compare keys the way HubSpot stores them. */
const normalizeKey = (value: string) => value.trim().toLowerCase();

export function createCrmSender(transport: CrmTransport): BatchSender {
  return (target, inputs) => {
    switch (target.mode) {
      case "upsert":
        return isolate(inputs, (part) =>
          writeBatch(transport, target, part, CRM_PATHS.batchUpsert(target.objectType)),
        );
      case "update":
        return isolate(inputs, (part) =>
          writeBatch(transport, target, part, CRM_PATHS.batchUpdate(target.objectType)),
        );
      case "archive":
        return archiveBatch(transport, target, inputs);
      case "send":
        throw new Error(`The CRM sender cannot send events (stream ${target.key}).`);
    }
  };
}

/** Sends a batch; on a whole-batch content refusal, splits it until each refused input stands alone. */
async function isolate(
  inputs: readonly Input[],
  send: (inputs: readonly Input[]) => Promise<Outcomes>,
): Promise<Outcomes> {
  try {
    return await send(inputs);
  } catch (error) {
    if (!isContentRefusal(error)) throw error;
    if (inputs.length === 1) {
      const only = inputs[0] as Input;
      return new Map([
        [only.traceId, { ok: false, rejection: rejectionFromError(error.body ?? {}, error.status) }],
      ]);
    }
    const middle = Math.ceil(inputs.length / 2);
    const left = await isolate(inputs.slice(0, middle), send);
    const right = await isolate(inputs.slice(middle), send);
    for (const [trace, outcome] of right) left.set(trace, outcome);
    return left;
  }
}

async function writeBatch(
  transport: CrmTransport,
  target: WriteTarget,
  inputs: readonly Input[],
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
  for (const result of response.body.results ?? []) {
    const keyValue = result.properties?.[target.idProperty];
    const trace =
      result.objectWriteTraceId ??
      (typeof keyValue === "string" ? byKey.get(normalizeKey(keyValue)) : undefined);
    if (trace === undefined) continue;
    const outcome: InputOutcome = { ok: true };
    if (typeof result.new === "boolean") outcome.created = result.new;
    outcomes.set(trace, outcome);
  }
  for (const error of response.body.errors ?? []) {
    const rejection = rejectionFromError(error, response.status);
    const traces = contextList(error, "objectWriteTraceId");
    const ids = traces.length > 0 ? [] : contextList(error, "ids");
    for (const trace of traces) outcomes.set(trace, { ok: false, rejection });
    for (const id of ids) {
      const trace = byKey.get(normalizeKey(id));
      if (trace !== undefined) outcomes.set(trace, { ok: false, rejection });
    }
  }
  return outcomes;
}

async function archiveBatch(
  transport: CrmTransport,
  target: WriteTarget,
  inputs: readonly Input[],
): Promise<Outcomes> {
  const read = await transport.postJson<BatchResponse>(CRM_PATHS.batchRead(target.objectType), {
    idProperty: target.idProperty,
    properties: [target.idProperty],
    inputs: inputs.map((input) => ({ id: input.id })),
  });
  const recordIds = (read.body.results ?? [])
    .map((result) => result.id)
    .filter((id): id is string => Boolean(id));
  if (recordIds.length > 0) {
    await transport.postJson(CRM_PATHS.batchArchive(target.objectType), {
      inputs: recordIds.map((id) => ({ id })),
    });
  }
  // Keys found were archived; keys not found were already absent. Either way the record's intent holds.
  return new Map(inputs.map((input) => [input.traceId, { ok: true }]));
}
