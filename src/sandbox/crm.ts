/**
 * The CRM batch endpoints (hubspot-api-notes §1.2–1.8), in the order HubSpot checks a request (§9): JSON shape →
 * at most 100 inputs → duplicate ids → idProperty unique → each input's properties. Then, for writes, a 207 naming
 * each bad input by its `objectWriteTraceId` when every input has one, else a 400 for the whole request with
 * nothing written. Contacts upserted by email cannot be written in part (§1.6): any bad input fails them all.
 * Results come back in reverse input order, so clients cannot rely on order (§1.3).
 */
import { error, json, noContent, type SandboxResponse } from "./responses.js";
import { recordJson, type ObjectState, type SandboxStore, type StoredRecord } from "./store.js";
import { type PropertyProblem, storedValue, validateProperties } from "./validate.js";

/** HubSpot's limit of inputs per batch (D-OBJ "Limits"). */
export const BATCH_LIMIT = 100;

interface Input {
  id?: unknown;
  idProperty?: unknown;
  properties?: unknown;
  objectWriteTraceId?: unknown;
}

type Shape = { ok: true; inputs: Input[] } | { ok: false; response: SandboxResponse };

function readInputs(body: unknown, withProperties: boolean): Shape {
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

const idOf = (input: Input) =>
  typeof input.id === "string" || typeof input.id === "number" ? String(input.id) : "";

function duplicateIds(inputs: Input[], normalize: (id: string) => string): SandboxResponse | undefined {
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

function idPropertyProblem(state: ObjectState, idProperty: string | undefined): SandboxResponse | undefined {
  if (!idProperty || idProperty === "hs_object_id") return undefined;
  if (state.unique.has(idProperty)) return undefined;
  return error(
    400,
    "VALIDATION_ERROR",
    `Unable to perform update/upsert by non-unique ${state.definition.objectTypeId} property ${idProperty}`,
  );
}

function validationBody(problem: PropertyProblem, traceId?: string) {
  return {
    status: "error",
    category: "VALIDATION_ERROR",
    message: `Property values were not valid: ${JSON.stringify([problem])}`,
    errors: [{ message: problem.message, code: problem.error, context: { propertyName: [problem.name] } }],
    context: traceId ? { objectWriteTraceId: [traceId] } : { propertyName: [problem.name] },
  };
}

const batchAnswer = (results: unknown[], errors: unknown[], startedAt: string): SandboxResponse =>
  json(errors.length > 0 ? 207 : 200, {
    status: "COMPLETE",
    results: results.reverse(),
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt,
    completedAt: new Date().toISOString(),
  });

export function upsertOrUpdate(
  store: SandboxStore,
  state: ObjectState,
  body: unknown,
  mode: "upsert" | "update",
): SandboxResponse {
  const startedAt = new Date().toISOString();
  const shape = readInputs(body, true);
  if (!shape.ok) return shape.response;
  const { inputs } = shape;
  const idProperty = typeof inputs[0]?.idProperty === "string" ? inputs[0].idProperty : undefined;
  const byEmail = state.definition.name === "contacts" && idProperty === "email";
  const normalize = byEmail ? (id: string) => id.trim().toLowerCase() : (id: string) => id;
  const refusal = duplicateIds(inputs, normalize) ?? idPropertyProblem(state, idProperty);
  if (refusal) return refusal;

  const everyTraced = inputs.every((input) => typeof input.objectWriteTraceId === "string");
  const problems = new Map<Input, PropertyProblem>();
  for (const input of inputs) {
    const properties = { ...(input.properties as Record<string, unknown>) };
    if (mode === "upsert" && idProperty) properties[idProperty] ??= idOf(input);
    const problem = validateProperties(state, properties, store.portalId);
    if (problem) problems.set(input, problem);
  }
  const [first] = problems.values();
  if (first && (!everyTraced || byEmail))
    return json(400, { ...validationBody(first), correlationId: crypto.randomUUID() });

  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const input of inputs) {
    const traceId = typeof input.objectWriteTraceId === "string" ? input.objectWriteTraceId : undefined;
    const problem = problems.get(input);
    if (problem) {
      errors.push(validationBody(problem, traceId));
      continue;
    }
    const id = normalize(idOf(input));
    const properties: Record<string, string> = {};
    for (const [name, value] of Object.entries(input.properties as Record<string, unknown>)) {
      if (value !== null && value !== undefined) properties[name] = storedValue(state, name, value);
    }
    let record: StoredRecord | undefined = store.lookup(state, id, idProperty);
    const created = !record;
    if (record) {
      store.update(state, record, properties);
    } else if (mode === "update") {
      errors.push({
        status: "error",
        category: "OBJECT_NOT_FOUND",
        message: `Could not get some ${state.definition.singular.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
        context: { ids: [idOf(input)], ...(traceId ? { objectWriteTraceId: [traceId] } : {}) },
      });
      continue;
    } else {
      record = store.create(
        state,
        idProperty && idProperty !== "hs_object_id" ? { [idProperty]: id, ...properties } : properties,
      );
    }
    results.push({
      ...recordJson(record),
      ...(mode === "upsert" ? { new: created } : {}),
      ...(traceId ? { objectWriteTraceId: traceId } : {}),
    });
  }
  return batchAnswer(results, errors, startedAt);
}

export function batchRead(state: ObjectState, store: SandboxStore, body: unknown): SandboxResponse {
  const startedAt = new Date().toISOString();
  const shape = readInputs(body, false);
  if (!shape.ok) return shape.response;
  const request = body as { idProperty?: unknown; properties?: unknown };
  const idProperty = typeof request.idProperty === "string" ? request.idProperty : undefined;
  const wanted = Array.isArray(request.properties) ? (request.properties as string[]) : [];
  const results: unknown[] = [];
  const missing: string[] = [];
  for (const input of shape.inputs) {
    const id = idOf(input);
    const record = store.lookup(state, idProperty === "email" ? id.trim().toLowerCase() : id, idProperty);
    if (!record) {
      missing.push(id);
      continue;
    }
    const properties: Record<string, string | null> = { hs_object_id: record.id };
    for (const name of wanted) properties[name] = record.properties[name] ?? null;
    results.push({ ...recordJson(record), properties });
  }
  const errors = missing.length
    ? [
        {
          status: "error",
          category: "OBJECT_NOT_FOUND",
          message: `Could not get some ${state.definition.singular.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
          context: { ids: missing },
        },
      ]
    : [];
  return batchAnswer(results, errors, startedAt);
}

/** Archives by record id; ids that match nothing are ignored, as HubSpot does (204 either way). */
export function batchArchive(state: ObjectState, store: SandboxStore, body: unknown): SandboxResponse {
  const shape = readInputs(body, false);
  if (!shape.ok) return shape.response;
  for (const input of shape.inputs) {
    const record = store.lookup(state, idOf(input), undefined);
    if (record) store.archive(state, record);
  }
  return noContent();
}

/** `POST …/batch/create`: 201, or 207 with trace ids; an existing unique value is a conflict. */
export function batchCreate(store: SandboxStore, state: ObjectState, body: unknown): SandboxResponse {
  const startedAt = new Date().toISOString();
  const shape = readInputs(body, true);
  if (!shape.ok) return shape.response;
  const results: unknown[] = [];
  const errors: unknown[] = [];
  const everyTraced = shape.inputs.every((input) => typeof input.objectWriteTraceId === "string");
  for (const input of shape.inputs) {
    const traceId = typeof input.objectWriteTraceId === "string" ? input.objectWriteTraceId : undefined;
    const properties = input.properties as Record<string, unknown>;
    const problem = validateProperties(state, properties, store.portalId);
    if (problem) {
      if (!everyTraced) return json(400, { ...validationBody(problem), correlationId: crypto.randomUUID() });
      errors.push(validationBody(problem, traceId));
      continue;
    }
    const stored: Record<string, string> = {};
    for (const [name, value] of Object.entries(properties)) {
      if (value !== null && value !== undefined) stored[name] = storedValue(state, name, value);
    }
    const clash = [...state.unique.keys()].find(
      (name) => stored[name] && store.lookup(state, stored[name], name),
    );
    if (clash) {
      const existing = store.lookup(state, stored[clash] as string, clash) as StoredRecord;
      return error(
        409,
        "CONFLICT",
        `${state.definition.singular} already exists. Existing ID: ${existing.id}`,
        {
          error: state.definition.name === "contacts" ? "CONTACT_EXISTS" : "OBJECT_ALREADY_EXISTS",
        },
      );
    }
    const record = store.create(state, stored);
    results.push({ ...recordJson(record), ...(traceId ? { objectWriteTraceId: traceId } : {}) });
  }
  const answer = batchAnswer(results, errors, startedAt);
  return answer.status === 200 ? { ...answer, status: 201 } : answer;
}
