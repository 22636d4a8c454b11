/**
 * The association batch endpoints
 * (https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/guide) for one object
 * pair:
 *
 * 1. The body must be `{inputs:[…]}` within the input cap (create 2,000, read 1,000 documented; the others keep to
 *    2,000, inferred) and each input well formed; otherwise 400 for the whole request.
 * 2. Each input is checked on its own: its records must exist, its types must be the pair's (id and category),
 *    no limit may refuse it; a bad input becomes one error item, the others are written.
 * 3. The status follows the version: create answers 201, or 207 when some inputs failed; the 2026-09 spec declares
 *    only 200, so there a partial result is a 200 with `errors`. Read answers 200/207 (2026-09: 200 only). Archive
 *    and labels/archive answer 204 on the legacy path and 200 with a batch body on dated paths. When every input of
 *    a write fails the answer is 400 (inferred).
 */
import {
  batchBody,
  defaultResults,
  type ErrorItem,
  invalidIdentifier,
  invalidObjects,
  invalidType,
  labelsBetween,
  limitError,
  noAssociations,
  type PairContext,
  readItem,
  refusal,
} from "./associations-bodies.js";
import { compareIds, decodeCursor, encodeCursor, isRecordId } from "./ids.js";
import type { AssociationWriteKind } from "./associations-store.js";
import { type AssociationType, requiredFields } from "./associations-types.js";
import { error, json, noContent, type SandboxResponse } from "./responses.js";

/** Inputs per request (D-ASSOC "Limits"; the caps of default, archive and labels/archive are inferred). */
export const ASSOCIATION_BATCH_LIMITS = { create: 2000, read: 1000, other: 2000 } as const;

interface Input {
  from?: { id?: unknown };
  to?: unknown;
  types?: unknown;
  id?: unknown;
  after?: unknown;
}

/** A record id as HubSpot takes it: a string or a number; anything else is no id (""). */
export const idOf = (value: unknown) =>
  typeof value === "string" || typeof value === "number" ? String(value) : "";

const toIdOf = (input: Input) => idOf((input.to as { id?: unknown } | null | undefined)?.id);

const hasIds = (input: Input) => idOf(input.from?.id) !== "" && toIdOf(input) !== "";

/** The inputs of a batch body, or the 400 for the whole request. */
function readInputs(body: unknown, limit: number): Input[] | SandboxResponse {
  const inputs = (body as { inputs?: unknown } | null)?.inputs;
  const malformed = (detail: string) =>
    error(400, "VALIDATION_ERROR", `Invalid input JSON on line 1, column 1: ${detail}`);
  if (!Array.isArray(inputs)) return malformed('field "inputs" is required');
  if (inputs.some((input) => typeof input !== "object" || input === null || Array.isArray(input))) {
    return malformed("each input must be an object");
  }
  if (inputs.length > limit) {
    return error(
      400,
      "VALIDATION_ERROR",
      `Batch input size exceeds the limit of ${limit}. Please reduce the number of items and try again.`,
    );
  }
  return inputs as Input[];
}

const isResponse = (value: Input[] | SandboxResponse): value is SandboxResponse => !Array.isArray(value);

/**
 * The types a list of association specs names for the pair, or the error item for the first one that is not the
 * pair's (an unknown id, another pair's id, or the wrong category); undefined for specs that are malformed.
 */
export function resolveSpecs(ctx: PairContext, specs: unknown): AssociationType[] | ErrorItem | undefined {
  if (!Array.isArray(specs) || specs.length === 0) return undefined;
  const types: AssociationType[] = [];
  for (const spec of specs as Array<{ associationCategory?: unknown; associationTypeId?: unknown } | null>) {
    if (typeof spec !== "object" || spec === null) return undefined;
    if (spec.associationCategory === undefined || spec.associationTypeId === undefined) return undefined;
    const type = ctx.links.types.get(Number(spec.associationTypeId));
    const fits =
      type !== undefined &&
      type.fromObjectTypeId === ctx.from.definition.objectTypeId &&
      type.toObjectTypeId === ctx.to.definition.objectTypeId &&
      type.category === spec.associationCategory;
    if (!fits) return invalidType(ctx, String(spec.associationTypeId));
    types.push(type);
  }
  return types;
}

/** A write batch's answer: `okStatus` when all went well, `partialStatus` with errors, 400 when all failed. */
function writeAnswer(
  results: unknown[],
  errors: ErrorItem[],
  statuses: { ok: number; partial: number },
  startedAt: string,
): SandboxResponse {
  const [first] = errors;
  if (results.length === 0 && first) return refusal(first);
  return json(errors.length > 0 ? statuses.partial : statuses.ok, batchBody(results, errors, startedAt));
}

/** `POST …/batch/create`: labelled links, replacing each pair's labels. */
export function batchCreate(ctx: PairContext, body: unknown): SandboxResponse {
  const startedAt = new Date().toISOString();
  const inputs = readInputs(body, ASSOCIATION_BATCH_LIMITS.create);
  if (isResponse(inputs)) return inputs;
  if (inputs.some((input) => !hasIds(input) || resolveSpecs(ctx, input.types) === undefined)) {
    return requiredFields(["from", "to", "types"]);
  }
  const results: unknown[] = [];
  const errors: ErrorItem[] = [];
  for (const input of inputs) {
    const [fromId, toId] = [idOf(input.from?.id), toIdOf(input)];
    ctx.links.countWrite("batchCreate", [ctx.from, fromId, ctx.to, toId]);
    const types = resolveSpecs(ctx, input.types) as AssociationType[] | ErrorItem;
    const problem = invalidObjects(ctx, fromId, toId) ?? (Array.isArray(types) ? undefined : types);
    const refused = problem
      ? undefined
      : ctx.links.replaceLabels(ctx.from, fromId, ctx.to, toId, types as AssociationType[]);
    if (problem ?? refused) errors.push(problem ?? limitError(refused?.message ?? "", fromId, toId));
    else results.push(labelsBetween(ctx, fromId, toId));
  }
  const only200 = ctx.version === "2026-09";
  return writeAnswer(results, errors, { ok: only200 ? 200 : 201, partial: only200 ? 200 : 207 }, startedAt);
}

/** `POST …/batch/associate/default`: the unlabeled type, both directions in the answer. */
export function batchDefault(ctx: PairContext, body: unknown): SandboxResponse {
  const startedAt = new Date().toISOString();
  const inputs = readInputs(body, ASSOCIATION_BATCH_LIMITS.other);
  if (isResponse(inputs)) return inputs;
  if (!inputs.every(hasIds)) return requiredFields(["from", "to"]);
  const results: unknown[] = [];
  const errors: ErrorItem[] = [];
  for (const input of inputs) {
    const [fromId, toId] = [idOf(input.from?.id), toIdOf(input)];
    ctx.links.countWrite("batchDefault", [ctx.from, fromId, ctx.to, toId]);
    const problem = invalidObjects(ctx, fromId, toId);
    const refused = problem ? undefined : ctx.links.addDefault(ctx.from, fromId, ctx.to, toId);
    if (problem ?? refused) errors.push(problem ?? limitError(refused?.message ?? "", fromId, toId));
    else results.push(...defaultResults(ctx, fromId, toId));
  }
  return writeAnswer(results, errors, { ok: 200, partial: 200 }, startedAt);
}

/** `POST …/batch/read`: each input's links, paged per input; a record without links is an error item. */
export function batchRead(ctx: PairContext, body: unknown): SandboxResponse {
  const startedAt = new Date().toISOString();
  const inputs = readInputs(body, ASSOCIATION_BATCH_LIMITS.read);
  if (isResponse(inputs)) return inputs;
  if (inputs.some((input) => idOf(input.id) === "")) return requiredFields(["id"]);
  const results: unknown[] = [];
  const errors: ErrorItem[] = [];
  for (const input of inputs) {
    const id = idOf(input.id);
    const after = typeof input.after === "string" ? decodeCursor(input.after) : undefined;
    const badCursor = input.after !== undefined && after === undefined;
    if (!isRecordId(id) || badCursor) {
      errors.push(invalidIdentifier(id, isRecordId(id)));
      continue;
    }
    const linked = ctx.links
      .linkedIds(ctx.from, id, ctx.to)
      .filter((toId) => after === undefined || compareIds(toId, after) > 0);
    if (linked.length === 0) {
      errors.push(noAssociations(ctx, id));
      continue;
    }
    const page = linked.slice(0, ctx.links.options.readPageSize);
    results.push({
      from: { id },
      to: page.map((toId) => readItem(ctx, id, toId)),
      ...(linked.length > page.length
        ? { paging: { next: { after: encodeCursor(page.at(-1) as string) } } }
        : {}),
    });
  }
  const partial = ctx.version === "2026-09" ? 200 : 207;
  return json(errors.length > 0 ? partial : 200, batchBody(results, errors, startedAt));
}

/** `POST …/batch/archive` and `…/batch/labels/archive`: unlink pairs, or take the named labels off them. */
export function batchArchive(ctx: PairContext, body: unknown, labelsOnly: boolean): SandboxResponse {
  const startedAt = new Date().toISOString();
  const inputs = readInputs(body, ASSOCIATION_BATCH_LIMITS.other);
  if (isResponse(inputs)) return inputs;
  const pairs: Array<[string, string, AssociationType[]]> = [];
  for (const input of inputs) {
    const fromId = idOf(input.from?.id);
    const targets = (labelsOnly ? [input.to] : input.to) as Array<{ id?: unknown } | null> | undefined;
    if (fromId === "" || !Array.isArray(targets) || targets.some((to) => idOf(to?.id) === "")) {
      return requiredFields(labelsOnly ? ["from", "to", "types"] : ["from", "to"]);
    }
    const types = labelsOnly ? resolveSpecs(ctx, input.types) : [];
    if (types === undefined) return requiredFields(["types"]);
    if (!Array.isArray(types)) return refusal(types);
    for (const to of targets) pairs.push([fromId, idOf(to?.id), types]);
  }
  const kind: AssociationWriteKind = labelsOnly ? "batchLabelsArchive" : "batchArchive";
  for (const [fromId, toId, types] of pairs) {
    ctx.links.countWrite(kind, [ctx.from, fromId, ctx.to, toId]);
    const typeIds = types.map((type) => type.typeId);
    if (labelsOnly) ctx.links.removeTypes(ctx.from, fromId, ctx.to, toId, typeIds);
    else ctx.links.removeAll(ctx.from, fromId, ctx.to, toId);
  }
  return ctx.version === "legacy" ? noContent() : json(200, batchBody([], [], startedAt));
}
