/**
 * The bodies the association endpoints answer with, in HubSpot's shapes (S-ASSOC,
 * https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/guide): results
 * (`LabelsBetweenObjectPair`, default links, read items, the batch envelope) and the error items a batch carries per
 * input. Where a body is known from HubSpot's docs or live reports it is followed; the rest says that it is inferred.
 */
import { errorName } from "./seed-shapes.js";
import type { ApiVersion } from "./associations-paths.js";
import type { AssociationStore } from "./associations-store.js";
import type { AssociationType } from "./associations-types.js";
import { errorBody, type SandboxResponse } from "./responses.js";
import type { ObjectState } from "./store.js";

/** One object pair's request: the two objects, the version and the portal's associations. */
export interface PairContext {
  links: AssociationStore;
  version: ApiVersion;
  from: ObjectState;
  to: ObjectState;
}

/** An error item: HubSpot's `StandardError` as its live answers show it. */
export type ErrorItem = Record<string, unknown> & { message: string };

/** The envelope of every batch answer. */
export const batchBody = (results: unknown[], errors: unknown[], startedAt: string) => ({
  status: "COMPLETE",
  results,
  ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
  startedAt,
  completedAt: new Date().toISOString(),
});

/** A whole-request 400 made of one error item (a single write, or a batch whose every input failed). */
export function refusal(item: ErrorItem): SandboxResponse {
  const { status: _status, ...rest } = item;
  return { status: 400, body: errorBody(undefined, item.message, rest) };
}

/** `{fromObjectTypeId, fromObjectId, toObjectTypeId, toObjectId, labels}` after a labelled write (D-ASSOC). */
export function labelsBetween(ctx: PairContext, fromId: string, toId: string): Record<string, unknown> {
  const view = ctx.links.view(ctx.from, fromId, ctx.to, toId);
  return {
    fromObjectTypeId: ctx.from.definition.objectTypeId,
    fromObjectId: Number(fromId),
    toObjectTypeId: ctx.to.definition.objectTypeId,
    toObjectId: Number(toId),
    labels: view.types.map((type) => type.label).filter((label) => label !== null),
  };
}

/** The two `{from, to, associationSpec}` results a default link answers with, one per direction (inferred). */
export function defaultResults(ctx: PairContext, fromId: string, toId: string): unknown[] {
  const [from, to] = [ctx.from.definition.objectTypeId, ctx.to.definition.objectTypeId];
  const spec = (type: AssociationType | undefined) => ({
    associationCategory: type?.category,
    associationTypeId: type?.typeId,
  });
  return [
    { from: { id: fromId }, to: { id: toId }, associationSpec: spec(ctx.links.types.unlabeled(from, to)) },
    { from: { id: toId }, to: { id: fromId }, associationSpec: spec(ctx.links.types.unlabeled(to, from)) },
  ];
}

/** One linked record as reads show it; ids are numbers on the wire, as in HubSpot's examples. */
export function readItem(ctx: PairContext, fromId: string, toId: string) {
  const view = ctx.links.view(ctx.from, fromId, ctx.to, toId);
  return { toObjectId: Number(toId), associationTypes: view.types };
}

/** A type that is not the pair's (a third-party fixture of HubSpot's answer, §13.5). */
export function invalidType(ctx: PairContext, typeId: string): ErrorItem {
  const [from, to] = [ctx.from.definition.name, ctx.to.definition.name];
  return {
    status: "error",
    category: "VALIDATION_ERROR",
    subCategory: "crm.associations.INVALID_ASSOCIATION_TYPE",
    message: `${typeId} is not a valid association type between ${from} and ${to}`,
    context: { type: [typeId], fromObjectType: [from], toObjectType: [to] },
  };
}

/**
 * Records that do not exist, as HubSpot answered one (hubspot-api-nodejs#646: `INVALID_OBJECT_IDS` with
 * `CONTACT=38374264688 is not valid`); undefined when both records are live.
 */
export function invalidObjects(ctx: PairContext, fromId: string, toId: string): ErrorItem | undefined {
  const pairs: Array<[ObjectState, string]> = [
    [ctx.from, fromId],
    [ctx.to, toId],
  ];
  const bad = pairs.filter(([state, id]) => !ctx.links.isLive(state, id));
  if (bad.length === 0) return undefined;
  const name = ({ definition }: ObjectState) => errorName(definition);
  return {
    status: "error",
    category: "VALIDATION_ERROR",
    message: "One or more associations are invalid",
    context: {
      INVALID_OBJECT_IDS: bad.map(([state, id]) => `${name(state)}=${id} is not valid`),
      objectId: bad.map(([, id]) => id),
      objectType: bad.map(([state]) => name(state)),
    },
  };
}

/** A write a limit refuses. HubSpot documents no body for it; this one is inferred. */
export const limitError = (message: string, fromId: string, toId: string): ErrorItem => ({
  status: "error",
  category: "VALIDATION_ERROR",
  message,
  context: { fromObjectId: [fromId], toObjectId: [toId] },
});

/** Observed live (§13.5): a record without links is an OBJECT_NOT_FOUND item, told apart by its subCategory. */
export function noAssociations(ctx: PairContext, id: string): ErrorItem {
  const [from, to] = [ctx.from.definition.singular.toLowerCase(), ctx.to.definition.singular.toLowerCase()];
  return {
    status: "error",
    category: "OBJECT_NOT_FOUND",
    subCategory: "crm.associations.NO_ASSOCIATIONS_FOUND",
    message: `No ${to} is associated with ${from} ${id}.`,
    context: { fromObjectId: [id], fromObjectType: [from], toObjectType: [to] },
  };
}

/**
 * Observed live (§13.5): an id that cannot be a record id gets `crm.associations.INVALID_IDENTIFIER`; the sandbox
 * gives the same to a paging cursor it never issued (inferred).
 */
export function invalidIdentifier(id: string, badCursor: boolean): ErrorItem {
  return {
    status: "error",
    category: "VALIDATION_ERROR",
    subCategory: "crm.associations.INVALID_IDENTIFIER",
    message: badCursor ? `Invalid paging cursor for ${id}` : `${id} is not a valid object identifier`,
    context: { fromObjectId: [id] },
  };
}
