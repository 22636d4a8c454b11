/**
 * The portal's record associations: for each record and object type, the records it is linked to and by which
 * types. Every write updates both records' sides (the other side carries the inverse types), as HubSpot shows a
 * link from either end. Rules
 * (https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/guide):
 *
 * 1. A linked pair always carries its unlabeled type; removing it removes every type between the two.
 * 2. Writing labels replaces the pair's labels (the unlabeled type stays).
 * 3. A record has at most one primary company: writing "Primary" to another company moves it there.
 * 4. Limits: a per-type `maxToObjectIds` (HubSpot's association limit configuration) and a cap on how many records
 *    of one object a record may be linked to (HubSpot's subscription limit).
 *
 * Links to archived records are kept but not shown, as HubSpot hides a deleted record's associations.
 */
import * as z from "zod";
import { compareIds } from "./ids.js";
import { type AssociationType, AssociationTypes, sortTypes, typeJson } from "./associations-types.js";
import type { ObjectState, RecordIndex } from "./types.js";

export const AssociationOptionsSchema = z
  .object({
    /**
     * Association limits as an admin configures them (`maxToObjectIds` per type): a record may be linked to at most
     * this many records with that type. Objects by name or type id.
     */
    limits: z
      .array(
        z.object({
          fromObjectType: z.string(),
          toObjectType: z.string(),
          typeId: z.number().int(),
          maxToObjectIds: z.number().int().min(1),
        }),
      )
      .default([]),
    /**
     * How many records of one object a single record may be linked to. HubSpot's limits depend on the objects and
     * the subscription; its docs' example is a company with up to 50,000 contacts. @default 50000
     */
    maxPerRecord: z.number().int().min(1).default(50_000),
    /** Associations per input in one batch read page (HubSpot pages per input; the size is not documented). */
    readPageSize: z.number().int().min(1).max(10_000).default(500),
  })
  .default({ limits: [], maxPerRecord: 50_000, readPageSize: 500 });
export type AssociationOptions = z.output<typeof AssociationOptionsSchema>;

/** The kinds of association write the sandbox counts, by inputs received. */
export const ASSOCIATION_WRITES = [
  "batchCreate",
  "batchDefault",
  "batchArchive",
  "batchLabelsArchive",
  "put",
  "putDefault",
  "delete",
] as const;
export type AssociationWriteKind = (typeof ASSOCIATION_WRITES)[number];

/** One side of a link, as `linksOf` and association reads show it. */
export interface LinkView {
  toId: string;
  types: Array<{ category: string; typeId: number; label: string | null }>;
}

/** Why a link was refused: a limit, with the message the error item carries. */
export type LinkProblem = { kind: "limit"; message: string };

/** The portal's association types and links; the test accessors are `linksOf`, `writesFor` and `received`. */
export class AssociationStore {
  readonly types = new AssociationTypes();
  /** Inputs received per kind of write, valid or not, once the request itself was well formed. */
  readonly received: Record<AssociationWriteKind, number> = Object.fromEntries(
    ASSOCIATION_WRITES.map((kind) => [kind, 0]),
  ) as Record<AssociationWriteKind, number>;
  /** `{fromTypeId}/{fromId}/{toTypeId}` → linked record id → type ids. */
  private readonly links = new Map<string, Map<string, Set<number>>>();
  private readonly pairWrites = new Map<string, number>();

  constructor(
    private readonly store: RecordIndex,
    readonly options: AssociationOptions,
  ) {}

  /** Test accessor: the live records `fromId` is linked to in `toType`, ascending by id, with their types. */
  linksOf(fromType: string, fromId: string, toType: string): LinkView[] {
    const [from, to] = [this.store.resolve(fromType), this.store.resolve(toType)];
    if (!from || !to) return [];
    return this.linkedIds(from, fromId, to).map((toId) => this.view(from, fromId, to, toId));
  }

  /** Test accessor: how many write inputs named this pair of records, from either side. */
  writesFor(fromType: string, fromId: string, toType: string, toId: string): number {
    const [from, to] = [this.store.resolve(fromType), this.store.resolve(toType)];
    return from && to ? (this.pairWrites.get(pairKey(from, fromId, to, toId)) ?? 0) : 0;
  }

  /** Counts one write input for `kind`, and for the pair it names when it names one. */
  countWrite(kind: AssociationWriteKind, pair?: [ObjectState, string, ObjectState, string]): void {
    this.received[kind] += 1;
    if (!pair) return;
    const key = pairKey(...pair);
    this.pairWrites.set(key, (this.pairWrites.get(key) ?? 0) + 1);
  }

  /** The live linked record ids, ascending. */
  linkedIds(from: ObjectState, fromId: string, to: ObjectState): string[] {
    const side = this.links.get(sideKey(from, fromId, to));
    if (!side || !this.isLive(from, fromId)) return [];
    return [...side.keys()].filter((toId) => this.isLive(to, toId)).sort(compareIds);
  }

  /** One side of a link as reads show it; a pair that is not linked has no types. */
  view(from: ObjectState, fromId: string, to: ObjectState, toId: string): LinkView {
    const typeIds = [...(this.links.get(sideKey(from, fromId, to))?.get(toId) ?? [])];
    const types = typeIds.map((id) => this.types.get(id)).filter((type) => type !== undefined);
    return { toId, types: sortTypes(types).map(typeJson) };
  }

  /** True when some link carries the type (a label in use cannot be deleted). */
  inUse(typeId: number): boolean {
    for (const side of this.links.values())
      for (const types of side.values()) if (types.has(typeId)) return true;
    return false;
  }

  /** True for a record that exists and is not archived. */
  isLive(state: ObjectState, id: string): boolean {
    return this.store.lookup(state, id, undefined) !== undefined;
  }

  /** Sets the pair's labels to `wanted` (plus the unlabeled type), or says which limit refuses it. */
  replaceLabels(
    from: ObjectState,
    fromId: string,
    to: ObjectState,
    toId: string,
    wanted: AssociationType[],
  ): LinkProblem | undefined {
    const unlabeled = this.types.unlabeled(from.definition.objectTypeId, to.definition.objectTypeId);
    if (!unlabeled)
      throw new Error(`No association is defined from ${from.definition.name} to ${to.definition.name}`);
    const next = new Set([unlabeled.typeId, ...wanted.map((type) => type.typeId)]);
    const problem = this.limitProblem(from, fromId, to, toId, next);
    if (problem) return problem;
    for (const type of wanted) if (type.role === "primary") this.movePrimary(from, fromId, to, toId, type);
    this.write(from, fromId, to, toId, next);
    return undefined;
  }

  /** Links the pair with its unlabeled type, keeping any labels it has. */
  addDefault(from: ObjectState, fromId: string, to: ObjectState, toId: string): LinkProblem | undefined {
    const current = this.current(from, fromId, to, toId);
    const unlabeled = this.types.unlabeled(from.definition.objectTypeId, to.definition.objectTypeId);
    if (!unlabeled)
      throw new Error(`No association is defined from ${from.definition.name} to ${to.definition.name}`);
    const next = new Set([...current, unlabeled.typeId]);
    return this.limitProblem(from, fromId, to, toId, next) ?? this.write(from, fromId, to, toId, next);
  }

  /** Removes the given types; removing the unlabeled type removes the whole link. */
  removeTypes(from: ObjectState, fromId: string, to: ObjectState, toId: string, typeIds: number[]): void {
    const unlabeled = this.types.unlabeled(from.definition.objectTypeId, to.definition.objectTypeId);
    const next = new Set(this.current(from, fromId, to, toId));
    if (unlabeled && typeIds.includes(unlabeled.typeId)) next.clear();
    for (const typeId of typeIds) next.delete(typeId);
    this.write(from, fromId, to, toId, next);
  }

  /** Unlinks the pair: every type, both sides. */
  removeAll(from: ObjectState, fromId: string, to: ObjectState, toId: string): void {
    this.write(from, fromId, to, toId, new Set());
  }

  private current(from: ObjectState, fromId: string, to: ObjectState, toId: string): Set<number> {
    return this.links.get(sideKey(from, fromId, to))?.get(toId) ?? new Set();
  }

  /** Sets both sides of a link; an empty set unlinks the pair. */
  private write(
    from: ObjectState,
    fromId: string,
    to: ObjectState,
    toId: string,
    typeIds: Set<number>,
  ): undefined {
    const inverse = new Set([...typeIds].map((id) => this.types.get(id)?.inverseTypeId ?? id));
    this.setSide(sideKey(from, fromId, to), toId, typeIds);
    this.setSide(sideKey(to, toId, from), fromId, inverse);
    return undefined;
  }

  private setSide(key: string, toId: string, typeIds: Set<number>): void {
    const side = this.links.get(key) ?? new Map<string, Set<number>>();
    if (typeIds.size === 0) side.delete(toId);
    else side.set(toId, typeIds);
    if (side.size === 0) this.links.delete(key);
    else this.links.set(key, side);
  }

  /**
   * Takes the primary type off the record's other links of that object: the record that has the primary one is
   * the owner (a contact's primary company, a lead's primary contact), whichever side the write named first.
   */
  private movePrimary(
    from: ObjectState,
    fromId: string,
    to: ObjectState,
    toId: string,
    type: AssociationType,
  ): void {
    const [owner, ownerId, primary, primaryId] = type.owner
      ? [from, fromId, to, toId]
      : [to, toId, from, fromId];
    const ownerType = type.owner ? type.typeId : type.inverseTypeId;
    for (const otherId of this.links.get(sideKey(owner, ownerId, primary))?.keys() ?? []) {
      if (otherId === primaryId) continue;
      const types = this.current(owner, ownerId, primary, otherId);
      if (types.has(ownerType)) this.removeTypes(owner, ownerId, primary, otherId, [ownerType]);
    }
  }

  /** Which limit would refuse linking the pair with these types (and the unlabeled one), if any; writes nothing. */
  linkProblem(
    from: ObjectState,
    fromId: string,
    to: ObjectState,
    toId: string,
    types: AssociationType[],
  ): LinkProblem | undefined {
    const unlabeled = this.types.unlabeled(from.definition.objectTypeId, to.definition.objectTypeId);
    const next = new Set([...(unlabeled ? [unlabeled.typeId] : []), ...types.map((type) => type.typeId)]);
    return this.limitProblem(from, fromId, to, toId, next);
  }

  private limitProblem(from: ObjectState, fromId: string, to: ObjectState, toId: string, next: Set<number>) {
    const inverse = new Set([...next].map((id) => this.types.get(id)?.inverseTypeId ?? id));
    return (
      this.sideProblem(from, fromId, to, toId, next) ?? this.sideProblem(to, toId, from, fromId, inverse)
    );
  }

  /** Would linking `fromId` to `toId` with `next` break a limit on `fromId`'s side? */
  private sideProblem(from: ObjectState, fromId: string, to: ObjectState, toId: string, next: Set<number>) {
    // The pair being written is left out: relabelling it adds no record and no second use of a type.
    const linked = this.linkedIds(from, fromId, to).filter((id) => id !== toId);
    const [fromName, toName] = [from.definition.singular, to.definition.plural];
    if (linked.length >= this.options.maxPerRecord) {
      const message = `${fromName} ${fromId} already has the most ${toName.toLowerCase()} a record may be associated with (${this.options.maxPerRecord})`;
      return { kind: "limit", message } as LinkProblem;
    }
    for (const typeId of next) {
      const type = this.types.get(typeId);
      const max = this.configuredMax(from, to, typeId);
      if (max === undefined || type?.role === "primary") continue;
      const withType = linked.filter((id) => this.current(from, fromId, to, id).has(typeId)).length;
      if (withType >= max) {
        const message = `${fromName} ${fromId} already has ${max} ${toName.toLowerCase()} associated with type ${typeId}, the limit configured for it`;
        return { kind: "limit", message } as LinkProblem;
      }
    }
    return undefined;
  }

  private configuredMax(from: ObjectState, to: ObjectState, typeId: number): number | undefined {
    const limit = this.options.limits.find(
      (candidate) =>
        candidate.typeId === typeId &&
        this.store.resolve(candidate.fromObjectType) === from &&
        this.store.resolve(candidate.toObjectType) === to,
    );
    return limit?.maxToObjectIds;
  }
}

const sideKey = (from: ObjectState, fromId: string, to: ObjectState) =>
  `${from.definition.objectTypeId}/${fromId}/${to.definition.objectTypeId}`;

/** The same key for a pair whichever record is named first. */
function pairKey(from: ObjectState, fromId: string, to: ObjectState, toId: string): string {
  const [a, b] = [`${from.definition.objectTypeId}/${fromId}`, `${to.definition.objectTypeId}/${toId}`];
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
