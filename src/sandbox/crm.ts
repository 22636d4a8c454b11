/**
 * The CRM batch endpoints (hubspot-api-notes §1.2–1.8), in the order HubSpot checks a request (§9):
 * 1. JSON shape → at most 100 inputs → duplicate ids → idProperty unique (whole-request 400s);
 * 2. each input: its properties (validate.ts), and on a create (or an upsert that creates) the object's required
 *    properties;
 * 3. a bad input is named by its `objectWriteTraceId` when every input has one (207; on 2026-09 paths 200 with
 *    `errors`), else the whole request is a 400 with nothing written. Contacts upserted by email cannot be written
 *    in part (§1.6): any bad input fails them all;
 * 4. the good inputs are written; results come back in reverse input order (§1.3).
 */
import {
  batchAnswer,
  clashOf,
  conflict,
  duplicateIds,
  idOf,
  idPropertyProblem,
  type Input,
  type InputError,
  notFoundError,
  propertyError,
  readInputs,
  requiredError,
  traceOf,
  wholeBatchRefusal,
} from "./crm-inputs.js";
import type { ApiVersion } from "./paths.js";
import { error, noContent, type SandboxResponse } from "./responses.js";
import { HISTORY_BATCH_LIMIT } from "./history.js";
import { flagParam } from "./query.js";
import { type PlannedLink, makeLinks, planLinks } from "./record-associations.js";
import { recordJson, viewRecord } from "./record-views.js";
import type { SandboxStore } from "./store.js";
import type { ObjectState, StoredRecord } from "./types.js";
import { missingRequired, validateProperties } from "./validate.js";
import type { ValidationRules } from "./validation-rules.js";
import { storedProperties } from "./values.js";

/** What a CRM write needs besides its body. */
export interface WriteContext {
  store: SandboxStore;
  state: ObjectState;
  version: ApiVersion;
  /** Admin validation rules, when this path enforces them (2026-09). */
  rules?: ValidationRules;
  /** Counts the inputs a request carried (`stats.inputsByRoute`). */
  countInputs: (inputs: number) => void;
}

/** The key the ledger files an input under: its record id, or `idProperty=value`. */
export const ledgerKey = (id: string, idProperty?: string) =>
  !idProperty || idProperty === "hs_object_id" ? `id:${id}` : `${idProperty}=${id}`;

/** Why one input cannot be written: a bad value, or (creating) missing required properties. */
export function inputError(
  context: WriteContext,
  properties: Record<string, unknown>,
  creating: boolean,
): InputError | undefined {
  const { state, store, rules } = context;
  const problem = validateProperties(state, properties, store.portalId, rules);
  if (problem) return propertyError(problem);
  const missing = creating ? missingRequired(state, properties) : [];
  return missing.length > 0 ? requiredError(state, missing) : undefined;
}

export function upsertOrUpdate(
  context: WriteContext,
  body: unknown,
  mode: "upsert" | "update",
): SandboxResponse {
  const { store, state, version } = context;
  const startedAt = new Date().toISOString();
  const shape = readInputs(body, true);
  if (!shape.ok) return shape.response;
  const { inputs } = shape;
  context.countInputs(inputs.length);
  const idProperty = typeof inputs[0]?.idProperty === "string" ? inputs[0].idProperty : undefined;
  const byEmail = state.definition.name === "contacts" && idProperty === "email";
  const normalize = byEmail ? (id: string) => id.trim().toLowerCase() : (id: string) => id;
  for (const input of inputs)
    store.ledger.receive(state.definition.name, ledgerKey(normalize(idOf(input)), idProperty));
  const refusal = duplicateIds(inputs, normalize) ?? idPropertyProblem(state, idProperty);
  if (refusal) return refusal;

  const everyTraced = inputs.every((input) => traceOf(input) !== undefined);
  const problems = new Map<Input, InputError>();
  for (const input of inputs) {
    const properties = { ...(input.properties as Record<string, unknown>) };
    const creating = mode === "upsert" && !store.lookup(state, normalize(idOf(input)), idProperty);
    if (creating && idProperty && idProperty !== "hs_object_id") properties[idProperty] ??= idOf(input);
    const problem = inputError(context, properties, creating);
    if (problem) problems.set(input, problem);
  }
  const [first] = problems.values();
  if (first && (!everyTraced || byEmail)) return wholeBatchRefusal(first);

  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const input of inputs) {
    const traceId = traceOf(input);
    const problem = problems.get(input);
    if (problem) {
      errors.push(problem(traceId));
      continue;
    }
    const id = normalize(idOf(input));
    let record: StoredRecord | undefined = store.lookup(state, id, idProperty);
    const created = !record;
    if (record) {
      store.update(
        state,
        record,
        storedProperties(state, input.properties as Record<string, unknown>, record.properties),
      );
    } else if (mode === "update") {
      errors.push(notFoundError(state, [idOf(input)], traceId));
      continue;
    } else {
      const stored = storedProperties(state, input.properties as Record<string, unknown>);
      record = store.create(
        state,
        idProperty && idProperty !== "hs_object_id" ? { [idProperty]: id, ...stored } : stored,
      );
    }
    results.push({
      ...recordJson(record),
      ...(mode === "upsert" ? { new: created } : {}),
      ...(traceId ? { objectWriteTraceId: traceId } : {}),
    });
  }
  return batchAnswer(version, results, errors, startedAt);
}

/**
 * `POST …/batch/read`: the records found, with the asked properties (only those they have, D-OBJ) and the asked
 * histories (at most 50 inputs then, history.ts); `?archived=true` reads archived records instead.
 */
export function batchRead(context: WriteContext, body: unknown, query: URLSearchParams): SandboxResponse {
  const { store, state, version } = context;
  const startedAt = new Date().toISOString();
  const shape = readInputs(body, false);
  if (!shape.ok) return shape.response;
  context.countInputs(shape.inputs.length);
  const request = body as { idProperty?: unknown; properties?: unknown; propertiesWithHistory?: unknown };
  const idProperty = typeof request.idProperty === "string" ? request.idProperty : undefined;
  const names = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  const read = {
    properties: names(request.properties),
    propertiesWithHistory: names(request.propertiesWithHistory),
  };
  if (read.propertiesWithHistory.length > 0 && shape.inputs.length > HISTORY_BATCH_LIMIT) {
    return error(
      400,
      "VALIDATION_ERROR",
      `The maximum number of inputs supported in a batch request for property histories is ${HISTORY_BATCH_LIMIT}. Please reduce the number of items and try again`,
    );
  }
  const archived = flagParam(query, "archived");
  if (archived === undefined) return error(400, "VALIDATION_ERROR", "archived must be true or false");
  const results: unknown[] = [];
  const missing: string[] = [];
  for (const input of shape.inputs) {
    const id = idOf(input);
    const key = idProperty === "email" ? id.trim().toLowerCase() : id;
    const found = archived
      ? !idProperty && store.lookupArchived(state, id)
      : store.lookup(state, key, idProperty);
    if (!found) missing.push(id);
    else results.push(viewRecord(store, state, found, { ...read, associations: [] }));
  }
  const errors = missing.length ? [notFoundError(state, missing)] : [];
  return batchAnswer(version, results, errors, startedAt);
}

/**
 * `POST …/batch/archive`: by record id; ids that match nothing are ignored, as HubSpot does. 204 on every version
 * (S-OBJ and both dated specs declare 204).
 */
export function batchArchive(context: WriteContext, body: unknown): SandboxResponse {
  const { store, state } = context;
  const shape = readInputs(body, false);
  if (!shape.ok) return shape.response;
  context.countInputs(shape.inputs.length);
  for (const input of shape.inputs) {
    store.ledger.receive(state.definition.name, ledgerKey(idOf(input)));
    const record = store.lookup(state, idOf(input), undefined);
    if (record) store.archive(state, record);
  }
  return noContent();
}

/**
 * `POST …/batch/create`: 201, or per-input errors with trace ids (207; 201 with `errors` on 2026-09, whose spec
 * declares only 201). A unique value another record holds (or two inputs share) fails the whole request with 409
 * before anything is written.
 */
export function batchCreate(context: WriteContext, body: unknown): SandboxResponse {
  const { store, state, version } = context;
  const startedAt = new Date().toISOString();
  const shape = readInputs(body, true);
  if (!shape.ok) return shape.response;
  context.countInputs(shape.inputs.length);
  const everyTraced = shape.inputs.every((input) => traceOf(input) !== undefined);
  const planned: PlannedCreate[] = [];
  const claimed = new Map<string, StoredRecord>();
  for (const input of shape.inputs) {
    const properties = input.properties as Record<string, unknown>;
    receiveCreate(context, properties);
    const links = planLinks(store, state, (input as { associations?: unknown }).associations);
    const problem =
      inputError(context, properties, true) ?? (Array.isArray(links) ? undefined : linkError(links));
    if (problem && !everyTraced) return wholeBatchRefusal(problem);
    if (problem || !Array.isArray(links)) {
      planned.push({ input, problem });
      continue;
    }
    const stored = storedProperties(state, properties);
    const clash = clashOf(store, state, stored) ?? clashWithin(state, stored, claimed);
    if (clash) return conflict(state, clash.property, clash.value, clash.existing);
    planned.push({ input, stored, links });
  }
  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const { input, stored, links, problem } of planned) {
    const traceId = traceOf(input);
    if (problem || !stored) {
      errors.push(problem?.(traceId));
      continue;
    }
    const record = store.create(state, stored);
    makeLinks(store, state, record.id, links ?? []);
    results.push({ ...recordJson(record), ...(traceId ? { objectWriteTraceId: traceId } : {}) });
  }
  return batchAnswer(version, results, errors, startedAt, 201);
}

interface PlannedCreate {
  input: Input;
  stored?: Record<string, string>;
  links?: PlannedLink[];
  problem?: InputError;
}

/** A create's associations that cannot be made, as one input's error. */
const linkError =
  (refusal: { message: string; category: string; context: Record<string, string[]> }): InputError =>
  (traceId) => ({
    status: "error",
    ...refusal,
    context: { ...refusal.context, ...(traceId ? { objectWriteTraceId: [traceId] } : {}) },
  });

/** A create names no record yet: the ledger files it under its unique values, if it has any. */
export function receiveCreate(context: WriteContext, properties: Record<string, unknown>): void {
  const { state, store } = context;
  for (const name of state.unique.keys()) {
    const value = properties[name];
    if (name === "hs_object_id" || value === undefined || value === null || value === "") continue;
    const key = name === "email" ? String(value).trim().toLowerCase() : String(value);
    store.ledger.receive(state.definition.name, `${name}=${key}`);
  }
}

/** Two inputs of one create asking for the same unique value: the second meets the first (planned) record. */
function clashWithin(state: ObjectState, stored: Record<string, string>, claimed: Map<string, StoredRecord>) {
  for (const property of state.unique.keys()) {
    const value = stored[property];
    if (!value || property === "hs_object_id") continue;
    const key = `${property}=${value}`;
    const existing = claimed.get(key);
    if (existing) return { property, value, existing };
    claimed.set(key, { id: "(this batch)", properties: {}, createdAt: "", updatedAt: "", archived: false });
  }
  return undefined;
}
