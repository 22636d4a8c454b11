/**
 * Merging two records: `POST /crm/v3/objects/{objectType}/merge` and `/crm/objects/{version}/{objectType}/merge`
 * with `{primaryObjectId, objectIdToMerge}` (HubSpot's specs, `PublicMergeInput`; served for contacts, companies,
 * deals, tickets and custom objects, the objects whose specs have it). HubSpot's changelog
 * (https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies): "a new record
 * with a new ID will be created for the resulting merged record … both of the previous IDs will point to the
 * resulting merged record, so fetching any records using the original IDs will return the new merged record with
 * the new ID"; values come from the primary; "associations from the primary take precedence" and "excess 'primary'
 * associations from secondary records will be dropped".
 *
 * 1. Both ids are followed to the records they live on in (an id merged before points to its survivor, inferred).
 *    One that leads nowhere is a 404, the same record twice a 400 (both inferred).
 * 2. The survivor gets a new id and the values of both, the primary's winning; `hs_merged_object_ids` lists both
 *    old ids and every id merged into them before. A contact keeps the other address as a secondary one ("You
 *    would not be able to create a new contact record with the … email address", knowledge base, "What happens
 *    when I merge two contacts").
 * 3. Links move to the survivor, the primary's first; a primary label of the secondary's that the survivor already
 *    has elsewhere becomes a plain link. List memberships move too (inferred).
 * 4. The old records leave the portal; their ids become aliases (store.ts `lookupFollowing`): reads and single
 *    updates follow them, batch updates, archives, association and list writes do not (crm.ts, records.ts).
 * The answer is the survivor, 200.
 */
import type { AssociationType } from "./associations-types.js";
import { notFoundError } from "./crm-inputs.js";
import { recordJson } from "./record-views.js";
import { error, json, type SandboxResponse } from "./responses.js";
import { SECONDARY_EMAILS, splitEmails } from "./secondary-emails.js";
import type { SandboxStore } from "./store.js";
import type { ObjectState, StoredRecord } from "./types.js";

export const MERGED_IDS = "hs_merged_object_ids";

/** Properties a merge does not carry over: the survivor gets its own. */
const OWN = new Set([
  "hs_object_id",
  "createdate",
  "hs_createdate",
  "lastmodifieddate",
  "hs_lastmodifieddate",
]);

/** `POST …/merge`. */
export function mergeRoute(store: SandboxStore, state: ObjectState, body: unknown): SandboxResponse {
  if (!state.definition.policy.mergeable) {
    return error(
      501,
      "NOT_IMPLEMENTED",
      `The sandbox does not merge ${state.definition.name}: HubSpot documents merging contacts, companies, deals, tickets and custom objects, and the sandbox does not know how it answers for the others.`,
    );
  }
  const input = (body ?? {}) as { primaryObjectId?: unknown; objectIdToMerge?: unknown };
  const ids = [input.primaryObjectId, input.objectIdToMerge];
  if (!ids.every((id) => typeof id === "string" || typeof id === "number")) {
    return error(
      400,
      "VALIDATION_ERROR",
      "Invalid input JSON on line 1, column 1. Some required fields were not set: [primaryObjectId, objectIdToMerge]",
    );
  }
  const merged = mergeRecords(store, state, String(ids[0]), String(ids[1]));
  return "id" in merged ? json(200, recordJson(merged)) : merged;
}

/** Merges two records (also the `seed.merges` option and tests); the survivor, or HubSpot's refusal. */
export function mergeRecords(
  store: SandboxStore,
  state: ObjectState,
  primaryId: string,
  mergedId: string,
): StoredRecord | SandboxResponse {
  const primary = store.lookupFollowing(state, primaryId, undefined);
  const secondary = store.lookupFollowing(state, mergedId, undefined);
  const missing = [primary ? undefined : primaryId, secondary ? undefined : mergedId].filter(
    (id) => id !== undefined,
  );
  if (!primary || !secondary) {
    const { message, context } = notFoundError(state, missing as string[]);
    return error(404, "OBJECT_NOT_FOUND", message, { context });
  }
  if (primary === secondary) {
    return error(400, "VALIDATION_ERROR", `Cannot merge record ${primary.id} with itself`);
  }
  const survivor = store.create(state, mergedProperties(state, primary, secondary), { ledger: false });
  moveLinks(store, state, [primary.id, secondary.id], survivor.id);
  store.lists.moveMembers(state.definition.objectTypeId, [primary.id, secondary.id], survivor.id);
  store.retire(state, primary, survivor.id);
  store.retire(state, secondary, survivor.id);
  return survivor;
}

/** The survivor's values: the secondary's, overwritten by the primary's, with the merge's own. */
function mergedProperties(
  state: ObjectState,
  primary: StoredRecord,
  secondary: StoredRecord,
): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const record of [secondary, primary]) {
    for (const [name, value] of Object.entries(record.properties)) {
      if (!OWN.has(name) && value !== "") properties[name] = value;
    }
  }
  const mergedIds = [primary, secondary].flatMap((record) => [
    ...(record.properties[MERGED_IDS] ?? "").split(";").filter(Boolean),
    record.id,
  ]);
  properties[MERGED_IDS] = [...new Set(mergedIds)].join(";");
  if (state.definition.name === "contacts") {
    const email = properties.email;
    const addresses = [primary, secondary].flatMap((record) => [
      ...(record.properties.email ? [record.properties.email] : []),
      ...splitEmails(record.properties[SECONDARY_EMAILS]),
    ]);
    properties[SECONDARY_EMAILS] = [...new Set(addresses)].filter((address) => address !== email).join(";");
  }
  return properties;
}

/** Moves the two records' links to the survivor, the primary's first. */
function moveLinks(
  store: SandboxStore,
  state: ObjectState,
  oldIds: [string, string],
  survivorId: string,
): void {
  const links = store.associations;
  for (const target of store.objects) {
    if (!links.types.unlabeled(state.definition.objectTypeId, target.definition.objectTypeId)) continue;
    for (const [index, oldId] of oldIds.entries()) {
      for (const toId of links.linkedIds(state, oldId, target)) {
        const types = links
          .view(state, oldId, target, toId)
          .types.map((shown) => links.types.get(shown.typeId))
          .filter((type): type is AssociationType => type !== undefined && type.role !== "unlabeled");
        links.removeAll(state, oldId, target, toId);
        if (target === state && oldIds.includes(toId)) continue;
        const kept =
          index === 0
            ? types
            : types.filter((type) => !heldElsewhere(store, state, survivorId, target, type));
        const current = links
          .view(state, survivorId, target, toId)
          .types.map((shown) => links.types.get(shown.typeId))
          .filter((type): type is AssociationType => type !== undefined && type.role !== "unlabeled");
        links.replaceLabels(state, survivorId, target, toId, [...new Set([...current, ...kept])]);
      }
    }
  }
}

/** A primary type the survivor already carries toward another record ("excess primary associations … dropped"). */
function heldElsewhere(
  store: SandboxStore,
  state: ObjectState,
  survivorId: string,
  target: ObjectState,
  type: AssociationType,
): boolean {
  if (type.role !== "primary" || !type.owner) return false;
  const links = store.associations;
  return links
    .linkedIds(state, survivorId, target)
    .some((id) =>
      links.view(state, survivorId, target, id).types.some((shown) => shown.typeId === type.typeId),
    );
}
