/**
 * The parts of a CRM write every endpoint shares: reading a batch body, the whole-request refusals (§1.5), the
 * per-input error bodies (§1.4, §1.7), the unique-value conflict (409) and the batch answer's status by version.
 */
import { randomUUID } from "node:crypto";
import { upperName } from "./seed-shapes.js";
import type { ApiVersion } from "./paths.js";
import { error, json, type SandboxResponse } from "./responses.js";
import type { ObjectState, StoredRecord } from "./store.js";
import type { PropertyProblem } from "./validate.js";

/** HubSpot's limit of inputs per batch (D-OBJ "Limits"). */
export const BATCH_LIMIT = 100;

export interface Input {
  id?: unknown;
  idProperty?: unknown;
  properties?: unknown;
  objectWriteTraceId?: unknown;
}

type Shape = { ok: true; inputs: Input[] } | { ok: false; response: SandboxResponse };

export function readInputs(body: unknown, withProperties: boolean): Shape {
  const inputs = (body as { inputs?: unknown } | null)?.inputs;
  const bad = (detail: string): Shape => ({
    ok: false,
    response: error(400, undefined, `Invalid input JSON on line 1, column 1: ${detail}`),
  });
  if (!Array.isArray(inputs)) return bad('field "inputs" is required and must be an array');
  for (const input of inputs) {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return bad("Cannot deserialize value of type SimplePublicObjectBatchInput from a non-object value");
    }
    if (withProperties && (typeof input.properties !== "object" || input.properties === null)) {
      return bad('field "properties" is required');
    }
  }
  if (inputs.length > BATCH_LIMIT) {
    return {
      ok: false,
      response: error(
        400,
        "VALIDATION_ERROR",
        `Batch input size exceeds the limit of ${BATCH_LIMIT}. Please reduce the number of items and try again.`,
      ),
    };
  }
  return { ok: true, inputs: inputs as Input[] };
}

export const idOf = (input: Input) =>
  typeof input.id === "string" || typeof input.id === "number" ? String(input.id) : "";

export const traceOf = (input: Input) =>
  typeof input.objectWriteTraceId === "string" ? input.objectWriteTraceId : undefined;

export function duplicateIds(
  inputs: Input[],
  normalize: (id: string) => string,
): SandboxResponse | undefined {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const input of inputs) {
    const id = normalize(idOf(input));
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  if (duplicates.size === 0) return undefined;
  const ids = [...duplicates];
  return error(
    400,
    "VALIDATION_ERROR",
    `Duplicate IDs found in batch input: [${ids.join(", ")}]. IDs must be unique`,
    {
      context: { ids },
    },
  );
}

/** A per-input refusal: the body of one 207 error, or of the whole 400 when the batch cannot be written in part. */
export type InputError = (traceId: string | undefined) => Record<string, unknown>;

export const propertyError =
  (problem: PropertyProblem): InputError =>
  (traceId) => ({
    status: "error",
    category: "VALIDATION_ERROR",
    message: `Property values were not valid: ${JSON.stringify([problem])}`,
    errors: [{ message: problem.message, code: problem.error, context: { propertyName: [problem.name] } }],
    context: traceId ? { objectWriteTraceId: [traceId] } : { propertyName: [problem.name] },
  });

/**
 * A create without the object's required properties. The message is the one a live probe recorded ("Error creating
 * CALL. Some required properties were not set.", GitHub file id 54134246814); `errors[].code` REQUIRED_PROPERTY and
 * the context naming the properties are the sandbox's (inferred).
 */
export const requiredError =
  (state: ObjectState, missing: string[]): InputError =>
  (traceId) => ({
    status: "error",
    category: "VALIDATION_ERROR",
    message: `Error creating ${upperName(state.definition)}. Some required properties were not set.`,
    errors: missing.map((name) => ({
      message: `${name} is required`,
      code: "REQUIRED_PROPERTY",
      context: { propertyName: [name] },
    })),
    context: { ...(traceId ? { objectWriteTraceId: [traceId] } : {}), requiredProperties: missing },
  });

/** The whole-request 400 for a batch that cannot be written in part. */
export const wholeBatchRefusal = (refusal: InputError): SandboxResponse =>
  json(400, { ...refusal(undefined), correlationId: randomUUID() });

/**
 * A contact's email another contact holds: 409 for the whole request, with HubSpot's
 * current body (`OBJECT_ALREADY_EXISTS`, `error: CONTACT_EXISTS`, `errors[].in: "email"`, community thread "Updated
 * 409 Conflict responses"). `existing` is the contact holding it, or the input of the same batch that claimed it.
 */
export function conflict(
  state: ObjectState,
  property: string,
  value: string,
  existing: StoredRecord | string,
): SandboxResponse {
  const { singular } = state.definition;
  const id = typeof existing === "string" ? existing : existing.id;
  return error(409, "OBJECT_ALREADY_EXISTS", `${singular} already exists. Existing ID: ${id}`, {
    errors: [
      {
        message: `A ${singular.toLowerCase()} with ${property} ${value} already exists. Existing ID: ${id}`,
        in: property,
      },
    ],
    ...(state.definition.name === "contacts" ? { error: "CONTACT_EXISTS" } : {}),
  });
}

/**
 * A batch answer: 200 (or `successStatus`) when nothing failed; with failures, 207 on legacy and 2026-03 paths and
 * the success status on 2026-09 ones, whose spec declares no 207 and puts `errors`/`numErrors` in the success body
 * (S-OBJ 2026-09 `BatchResponseSimplePublicObject`). Results come back reversed: clients must not rely on order.
 */
export function batchAnswer(
  version: ApiVersion,
  results: unknown[],
  errors: unknown[],
  startedAt: string,
  successStatus = 200,
): SandboxResponse {
  const partial = errors.length > 0;
  const status = partial && version !== "2026-09" ? 207 : successStatus;
  return json(status, {
    status: "COMPLETE",
    results: results.reverse(),
    ...(partial ? { numErrors: errors.length, errors } : {}),
    startedAt,
    completedAt: new Date().toISOString(),
  });
}

/** `OBJECT_NOT_FOUND` for ids a read or update did not find (§1.4). */
export const notFoundError = (state: ObjectState, ids: string[], traceId?: string) => ({
  status: "error",
  category: "OBJECT_NOT_FOUND",
  message: `Could not get some ${upperName(state.definition)} objects, they may be deleted or not exist. Check that ids are valid.`,
  context: { ids, ...(traceId ? { objectWriteTraceId: [traceId] } : {}) },
});

/**
 * Archiving by the id of a record merged away: HubSpot documents that batch updates do not take such ids, and not
 * what archives do with them. The sandbox refuses the whole request, archiving nothing, rather than archive the
 * survivor or ignore the id: a client must archive the survivor by its own id (inferred).
 */
export const mergedIdsRefusal = (state: ObjectState, ids: string[]): SandboxResponse =>
  error(
    400,
    "OBJECT_NOT_FOUND",
    `Could not archive some ${upperName(state.definition)} objects: ${ids.join(", ")} were merged into other records. Read them to learn the merged record's id.`,
    { context: { ids } },
  );
