/**
 * The CRM batch endpoints besides upsert and update (crm-upsert.ts), and what every CRM write shares: the input
 * checks (values, pipeline stages, required properties on a create) and the ledger's keys.
 *
 * - `batch/read` answers the records found (an id merged away answers its survivor), `OBJECT_NOT_FOUND` for the rest;
 * - `batch/archive` archives by record id, ignores unknown ids, refuses ids merged away;
 * - `batch/create` checks each input (values, required properties, links, unique values; collisions.ts), names a
 *   bad one by its trace id when every input has one (207; 201 with `errors` on 2026-09) and otherwise refuses the
 *   whole request; a contact's email another contact holds is a 409 for the whole request.
 * Results come back in reverse input order: HubSpot does not keep it, so no client may rely on it.
 */
import { collisionOf } from "./collisions.js";
import {
  batchAnswer,
  idOf,
  type Input,
  type InputError,
  mergedIdsRefusal,
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
import { type LinkRefusal, type PlannedLink, makeLinks, planLinks } from "./record-associations.js";
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

/**
 * Why one input cannot be written: a bad value, a stage outside its pipeline (`current` is the record an update
 * writes to), or (creating) missing required properties.
 */
export function inputError(
  context: WriteContext,
  properties: Record<string, unknown>,
  creating: boolean,
  current?: StoredRecord,
): InputError | undefined {
  const { state, store, rules } = context;
  const problem = validateProperties(state, properties, store.portalId, rules, creating);
  if (problem) return propertyError(problem);
  const stage = store.pipelines.problem(state, properties, current);
  if (stage) {
    const { portalId } = store;
    return propertyError({ isValid: false, ...stage, localizedErrorMessage: stage.message, portalId });
  }
  const missing = creating ? missingRequired(state, properties) : [];
  return missing.length > 0 ? requiredError(state, missing) : undefined;
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
    // An id merged away answers the record it lives on in, under that record's id, with no error (merge.ts).
    const found = archived
      ? !idProperty && store.lookupArchived(state, id)
      : store.lookupFollowing(state, key, idProperty);
    if (!found) missing.push(id);
    else results.push(viewRecord(store, state, found, { ...read, associations: [] }));
  }
  const errors = missing.length ? [notFoundError(state, missing)] : [];
  return batchAnswer(version, results, errors, startedAt);
}

/**
 * `POST …/batch/archive`: by record id; ids that match nothing are ignored, as HubSpot does. 204 on every version
 * (S-OBJ and both dated specs declare 204). Ids of records merged away refuse the whole request (mergedIdsRefusal).
 */
export function batchArchive(context: WriteContext, body: unknown): SandboxResponse {
  const { store, state } = context;
  const shape = readInputs(body, false);
  if (!shape.ok) return shape.response;
  context.countInputs(shape.inputs.length);
  for (const input of shape.inputs) store.ledger.receive(state.definition.name, ledgerKey(idOf(input)));
  const merged = shape.inputs
    .map(idOf)
    .filter((id) => !store.lookup(state, id, undefined) && state.merged.has(id));
  if (merged.length > 0) return mergedIdsRefusal(state, merged);
  for (const input of shape.inputs) {
    const record = store.lookup(state, idOf(input), undefined);
    if (record) store.archive(state, record);
  }
  return noContent();
}

interface PlannedCreate {
  input: Input;
  stored?: Record<string, string>;
  links?: PlannedLink[];
  problem?: InputError;
}

/** `POST …/batch/create`: 201, or per-input errors with trace ids (207; 201 with `errors` on 2026-09). */
export function batchCreate(context: WriteContext, body: unknown): SandboxResponse {
  const { store, state, version } = context;
  const startedAt = new Date().toISOString();
  const shape = readInputs(body, true);
  if (!shape.ok) return shape.response;
  context.countInputs(shape.inputs.length);
  const everyTraced = shape.inputs.every((input) => traceOf(input) !== undefined);
  const planned: PlannedCreate[] = [];
  const claimed = new Map<string, string>();
  for (const [index, input] of shape.inputs.entries()) {
    const plan = planCreate(context, input, `input #${index}`, claimed);
    if ("status" in plan) return plan;
    if (plan.problem && !everyTraced) return wholeBatchRefusal(plan.problem);
    planned.push(plan);
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

/**
 * One create's plan: its stored values and links, or its problem; or the whole request's 409 when it gives a
 * contact an email another contact holds (single creates use it too, records.ts).
 */
export function planCreate(
  context: WriteContext,
  input: Input & { associations?: unknown },
  self: string,
  claimed: Map<string, string>,
): PlannedCreate | SandboxResponse {
  const { store, state } = context;
  const properties = input.properties as Record<string, unknown>;
  receiveCreate(context, properties);
  const links = planLinks(store, state, input.associations);
  const problem =
    inputError(context, properties, true) ?? (Array.isArray(links) ? undefined : linkError(links));
  if (problem || !Array.isArray(links)) return { input, problem };
  const stored = storedProperties(state, properties);
  const collision = collisionOf(store, state, undefined, stored, self, claimed);
  if (collision && "status" in collision) return collision;
  return collision ? { input, problem: collision } : { input, stored, links };
}

/** A create's associations that cannot be made, as one input's error. */
export const linkError =
  (refusal: LinkRefusal): InputError =>
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
