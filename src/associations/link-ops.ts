/**
 * What to send for one record's links to one object: pure, from the links the record's entries want and, when
 * known, the links it has now
 * (https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/guide).
 *
 * 1. A labelled link is written with `create`, which replaces the pair's labels: so it names the pair's current
 *    labels too (other labels stay), minus those a `replace` entry takes off. Nothing is sent when the pair
 *    already carries every wanted label and loses none.
 * 2. An unlabeled link is written with `associate/default` (it keeps the pair's labels), unless the pair is
 *    known to be linked already.
 * 3. `replace` on a labelled entry: a pair carrying that label that the entry no longer lists loses the label
 *    (`labels/archive`, or in the `create` of rule 1); the link and its other labels stay.
 * 4. `replace` on an unlabeled entry: a linked pair that no entry of the record lists is unlinked (`archive`:
 *    every type between the two goes, as removing the unlabeled type always does).
 * Entries needing the current links (a label, or replace) have them read first; see `needsCurrentLinks`.
 */
import type { AssociationTypeRef, LinkSpec } from "./types.js";

/** A target the record's entry wants linked. */
export interface WantedLink {
  toId: string;
  spec: LinkSpec;
}

/** What the record is linked to now: target id → the types of the link. */
export type CurrentLinks = ReadonlyMap<string, readonly AssociationTypeRef[]>;

/** One request input to send, with the entries it is for (whose field a refusal names). */
export interface LinkOp {
  action: "create" | "associate/default" | "archive" | "labels/archive";
  toId: string;
  types?: AssociationTypeRef[];
  specs: LinkSpec[];
}

export const needsCurrentLinks = (specs: readonly LinkSpec[]) =>
  specs.some((spec) => spec.labelled || spec.replace);

interface Target {
  labels: Map<number, AssociationTypeRef>;
  unlabeled: boolean;
  specs: LinkSpec[];
}

/** The ops for one record and one object; `specs` are all the record's entries for that object. */
export function linkOps(
  specs: readonly LinkSpec[],
  wanted: readonly WantedLink[],
  current: CurrentLinks | undefined,
): LinkOp[] {
  const byTarget = new Map<string, Target>();
  for (const { toId, spec } of wanted) {
    const target: Target = byTarget.get(toId) ?? { labels: new Map(), unlabeled: false, specs: [] };
    if (!target.specs.includes(spec)) target.specs.push(spec);
    if (spec.labelled) target.labels.set(spec.type.typeId, spec.type);
    else target.unlabeled = true;
    byTarget.set(toId, target);
  }
  const replacing = specs.filter((spec) => spec.replace && spec.labelled);
  const unlinking = specs.find((spec) => spec.replace && !spec.labelled);
  const ops: LinkOp[] = [];
  for (const [toId, target] of byTarget) {
    const now = current?.get(toId);
    const labelsNow = (now ?? []).filter((type) => !isUnlabeled(specs, type));
    const losing = replacing.filter(
      (spec) => !target.labels.has(spec.type.typeId) && labelsNow.some((type) => same(type, spec.type)),
    );
    if (target.labels.size > 0) {
      const missing = [...target.labels.values()].some((type) => !labelsNow.some((held) => same(held, type)));
      if (!missing && losing.length === 0) continue;
      const kept = labelsNow.filter((type) => !losing.some((spec) => same(type, spec.type)));
      const types = [
        ...kept,
        ...[...target.labels.values()].filter((type) => !kept.some((held) => same(held, type))),
      ];
      ops.push({ action: "create", toId, types, specs: [...target.specs, ...losing] });
    } else if (now === undefined) {
      ops.push({ action: "associate/default", toId, specs: target.specs });
    } else if (losing.length > 0) {
      ops.push({ action: "labels/archive", toId, types: losing.map((spec) => spec.type), specs: losing });
    }
  }
  for (const [toId, types] of current ?? []) {
    if (byTarget.has(toId)) continue;
    if (unlinking) {
      ops.push({ action: "archive", toId, specs: [unlinking] });
      continue;
    }
    const losing = replacing.filter((spec) => types.some((type) => same(type, spec.type)));
    if (losing.length > 0) {
      ops.push({ action: "labels/archive", toId, types: losing.map((spec) => spec.type), specs: losing });
    }
  }
  return ops;
}

const same = (a: AssociationTypeRef, b: AssociationTypeRef) => a.typeId === b.typeId;

/** The pair's unlabeled type is on every link; it is never a label to keep or remove. */
const isUnlabeled = (specs: readonly LinkSpec[], type: AssociationTypeRef) =>
  specs.some((spec) => spec.unlabeled.typeId === type.typeId);
