/**
 * Associations carried by the object endpoints themselves (D-OBJ "Create records", "Retrieve records"):
 *
 * - A create (`POST …/{type}` and `…/batch/create`) may link the new record at once:
 *   `associations: [{to: {id}, types: [{associationCategory, associationTypeId}]}]`. Each type must be one the
 *   created object has toward some object (the type names the target object), in its own category, and the target
 *   record must exist (a record merged away does not); otherwise the input fails and nothing is created. A lead must
 *   be linked to a contact. The links are those of the associations API: the pair's unlabeled type is always
 *   added, and both records show the link.
 * - A read (`GET …/{type}/{id}`, `GET …/{type}`) with `associations=companies,deals` answers each record's links in
 *   `associations: {companies: {results: [{id, type}]}}`, one item per association type; objects without links are
 *   left out. The `type` names (`contact_to_company`, `contact_to_company_unlabeled`, a label's internal name) and
 *   the keys of custom objects (`p{portalId}_{name}`) are inferred from HubSpot's examples.
 */
import { errorName } from "./seed-shapes.js";
import type { AssociationType } from "./associations-types.js";
import { KNOWN_UNSERVED, unservedObject } from "./object-types.js";
import { error, type SandboxResponse } from "./responses.js";
import type { SandboxStore } from "./store.js";
import type { ObjectState, StoredRecord } from "./types.js";

/** A link a create will make once its record exists. */
export interface PlannedLink {
  to: ObjectState;
  toId: string;
  types: AssociationType[];
}

/** Why a create's associations cannot be made: the body of its error (a 400, or one item of a batch's errors). */
export type LinkRefusal = { message: string; category: string; context: Record<string, string[]> };

const REQUIRED = "Some required fields were not set: [to, types]";

/** The links an input's `associations` ask for, checked; or why they cannot be made. */
export function planLinks(
  store: SandboxStore,
  from: ObjectState,
  specs: unknown,
): PlannedLink[] | LinkRefusal {
  if (specs === undefined || specs === null) return [];
  if (!Array.isArray(specs)) return refusal(`Invalid input JSON: associations must be an array`, {});
  const byTarget = new Map<string, PlannedLink>();
  for (const spec of specs as Array<{ to?: { id?: unknown }; types?: unknown } | null>) {
    const toId = idOf(spec?.to?.id);
    if (!toId || !Array.isArray(spec?.types) || spec.types.length === 0) return refusal(REQUIRED, {});
    for (const item of spec.types as Array<Record<string, unknown> | null>) {
      const type = store.associations.types.get(Number(item?.associationTypeId));
      const fits =
        type !== undefined &&
        type.fromObjectTypeId === from.definition.objectTypeId &&
        type.category === item?.associationCategory;
      if (!fits) return invalidType(from, String(item?.associationTypeId));
      const to = store.resolve(type.toObjectTypeId) as ObjectState;
      const key = `${type.toObjectTypeId}/${toId}`;
      const planned = byTarget.get(key) ?? { to, toId, types: [] };
      if (!planned.types.includes(type)) planned.types.push(type);
      byTarget.set(key, planned);
    }
  }
  const links = [...byTarget.values()];
  const missing = links.filter((link) => !store.associations.isLive(link.to, link.toId));
  if (missing.length > 0) return invalidTargets(missing);
  for (const link of links) {
    const problem = store.associations.linkProblem(from, "0", link.to, link.toId, link.types);
    if (problem) return refusal(problem.message, { toObjectId: [link.toId] });
  }
  return missingLinks(store, from, links) ?? links;
}

/**
 * A create without the links its object requires: a lead "must be associated with an existing contact" (leads
 * guide, https://developers.hubspot.com/docs/api-reference/latest/crm/objects/leads/guide). HubSpot's error for it
 * is not documented; this 400 is the sandbox's (inferred).
 */
export function missingLinks(
  store: SandboxStore,
  from: ObjectState,
  links: readonly PlannedLink[],
): LinkRefusal | undefined {
  const required = from.definition.policy.requiredLinks ?? [];
  const absent = required.filter((id) => !links.some((link) => link.to.definition.objectTypeId === id));
  if (absent.length === 0) return undefined;
  const names = absent.map((id) => store.resolve(id)?.definition.singular.toLowerCase() ?? id);
  return refusal(
    `A ${from.definition.singular.toLowerCase()} must be associated with an existing ${names.join(" and ")} when it is created`,
    { requiredAssociations: absent },
  );
}

/** Makes the planned links of a record just created. */
export function makeLinks(
  store: SandboxStore,
  from: ObjectState,
  recordId: string,
  links: PlannedLink[],
): void {
  for (const link of links) {
    const labelled = link.types.filter((type) => type.role !== "unlabeled");
    store.associations.replaceLabels(from, recordId, link.to, link.toId, labelled);
  }
}

/** The objects an `associations` query parameter names, or the answer for one the sandbox cannot give. */
export function associationTargets(store: SandboxStore, names: string[]): ObjectState[] | SandboxResponse {
  const targets: ObjectState[] = [];
  for (const name of names) {
    const state = store.resolve(name);
    if (state) {
      if (!targets.includes(state)) targets.push(state);
      continue;
    }
    if (KNOWN_UNSERVED.has(name.toLowerCase())) return unservedObject(name);
    return error(400, "VALIDATION_ERROR", `Unable to infer object type from: ${name}`);
  }
  return targets;
}

/** A record's links to the given objects, as reads answer them; undefined when it has none. */
export function associationsJson(
  store: SandboxStore,
  from: ObjectState,
  record: StoredRecord,
  targets: ObjectState[],
): Record<string, { results: Array<{ id: string; type: string }> }> | undefined {
  const answer: Record<string, { results: Array<{ id: string; type: string }> }> = {};
  for (const to of targets) {
    const results = store.associations.linkedIds(from, record.id, to).flatMap((toId) =>
      store.associations.view(from, record.id, to, toId).types.map((shown) => ({
        id: toId,
        type: typeName(store, from, to, shown.typeId),
      })),
    );
    if (results.length > 0) answer[keyOf(store, to)] = { results };
  }
  return Object.keys(answer).length > 0 ? answer : undefined;
}

function typeName(store: SandboxStore, from: ObjectState, to: ObjectState, typeId: number): string {
  const type = store.associations.types.get(typeId) as AssociationType;
  const pair = `${singular(from)}_to_${singular(to)}`;
  if (type.role === "label") return type.name ?? (type.label ?? pair).toLowerCase().replace(/\W+/g, "_");
  if (type.role === "primary") return pair;
  const hasPrimary = store.associations.types
    .between(from.definition.objectTypeId, to.definition.objectTypeId)
    .some((candidate) => candidate.role === "primary");
  return hasPrimary ? `${pair}_unlabeled` : pair;
}

const singular = (state: ObjectState) => state.definition.singular.toLowerCase();
const keyOf = (store: SandboxStore, state: ObjectState) =>
  state.definition.custom ? `p${store.portalId}_${state.definition.name}` : state.definition.name;
const idOf = (value: unknown) =>
  typeof value === "string" || typeof value === "number" ? String(value) : "";

const refusal = (message: string, context: Record<string, string[]>): LinkRefusal => ({
  message,
  category: "VALIDATION_ERROR",
  context,
});

const invalidType = (from: ObjectState, typeId: string) =>
  refusal(`${typeId} is not a valid association type from ${from.definition.name}`, { type: [typeId] });

/** Records that do not exist, worded as HubSpot's `INVALID_OBJECT_IDS` (hubspot-api-nodejs#646). */
function invalidTargets(links: PlannedLink[]): LinkRefusal {
  const name = ({ definition }: ObjectState) => errorName(definition);
  return refusal("One or more associations are invalid", {
    INVALID_OBJECT_IDS: links.map((link) => `${name(link.to)}=${link.toId} is not valid`),
  });
}
