/**
 * `POST …/batch/upsert` and `…/batch/update`
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis), in the order HubSpot checks a
 * request:
 *
 * 1. The whole request: JSON shape, at most 100 inputs, the same key twice, the `idProperty` (an upsert must name a
 *    unique property, `hs_object_id` is none; an update by record ids names none), two keys that name one record
 *    (collisions.ts).
 * 2. Each input: its values (validate.ts, pipelines.ts; on a create, the required properties; contacts' secondary
 *    addresses only on a create), then its unique values (collisions.ts): a contact's email another contact holds
 *    fails the whole request with 409; another unique value taken is the input's own error.
 * 3. A bad input is named by its `objectWriteTraceId` when every input has one (207; 200 with `errors` on
 *    2026-09), else the whole request is a 400 with nothing written. Contacts upserted by email cannot be written in
 *    part (D-OBJ: "Partial upserts are not supported when using email as the idProperty"): any bad input fails all.
 * 4. The good inputs are written; an update of a record that does not exist (or was merged away: batch updates do
 *    not take merged ids, D-OBJ) is an OBJECT_NOT_FOUND item. Results come back in reverse input order.
 */
import { collisionOf, idPropertyRefusal, RECORD_ID, sameRecordRefusal } from "./collisions.js";
import {
  batchAnswer,
  duplicateIds,
  idOf,
  type Input,
  type InputError,
  notFoundError,
  readInputs,
  traceOf,
  wholeBatchRefusal,
} from "./crm-inputs.js";
import { inputError, ledgerKey, linkError, type WriteContext } from "./crm.js";
import { missingLinks } from "./record-associations.js";
import { recordJson } from "./record-views.js";
import type { SandboxResponse } from "./responses.js";
import type { StoredRecord } from "./types.js";
import { storedProperties } from "./values.js";

/** One input with the record its key names (none: a create, or an update of a record that does not exist). */
interface Target {
  input: Input;
  key: string;
  record?: StoredRecord;
  /** The values the write stores. */
  stored: Record<string, string>;
  problem?: InputError;
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
  for (const input of inputs) {
    store.ledger.receive(state.definition.name, ledgerKey(normalize(idOf(input)), idProperty));
  }
  const refusal =
    duplicateIds(inputs, normalize) ?? idPropertyRefusal(state, idProperty, mode, store.portalId);
  if (refusal) return refusal;
  const targets = inputs.map((input): Target => {
    const key = normalize(idOf(input));
    return { input, key, record: store.lookup(state, key, idProperty), stored: {} };
  });
  const planned =
    sameRecordRefusal(targets.map(({ input, record }) => ({ key: idOf(input), recordId: record?.id }))) ??
    checkTargets(context, targets, mode, idProperty);
  if (planned) return planned;
  const first = targets.find((target) => target.problem)?.problem;
  const everyTraced = inputs.every((input) => traceOf(input) !== undefined);
  if (first && (!everyTraced || byEmail)) return wholeBatchRefusal(first);

  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const { input, record, stored, problem } of targets) {
    const traceId = traceOf(input);
    if (problem) errors.push(problem(traceId));
    else if (!record && mode === "update") errors.push(notFoundError(state, [idOf(input)], traceId));
    else {
      const written = record ?? store.create(state, stored);
      if (record) store.update(state, record, stored);
      results.push({
        ...recordJson(written),
        ...(mode === "upsert" ? { new: !record } : {}),
        ...(traceId ? { objectWriteTraceId: traceId } : {}),
      });
    }
  }
  return batchAnswer(version, results, errors, startedAt);
}

/**
 * Fills each target's stored values and problem; answers for the whole request when an input's unique values call
 * for it (collisions.ts `collisionOf`).
 */
function checkTargets(
  context: WriteContext,
  targets: Target[],
  mode: "upsert" | "update",
  idProperty: string | undefined,
): SandboxResponse | undefined {
  const { store, state } = context;
  const claimed = new Map<string, string>();
  for (const [index, target] of targets.entries()) {
    const properties = { ...(target.input.properties as Record<string, unknown>) };
    const creating = mode === "upsert" && !target.record;
    if (creating && idProperty && idProperty !== RECORD_ID) properties[idProperty] ??= target.key;
    target.stored = storedProperties(state, properties, target.record?.properties);
    // An upsert carries no associations, so it cannot create a record that must be linked (a lead).
    const unlinked = creating ? missingLinks(store, state, []) : undefined;
    target.problem =
      inputError(context, properties, creating, target.record) ?? (unlinked && linkError(unlinked));
    if (target.problem || (!target.record && mode === "update")) continue;
    const collision = collisionOf(
      store,
      state,
      target.record,
      target.stored,
      target.record?.id ?? `input #${index}`,
      claimed,
    );
    if (collision && "status" in collision) return collision;
    target.problem = collision;
  }
  return undefined;
}
