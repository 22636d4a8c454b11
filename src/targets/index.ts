/**
 * The kinds of target, registered in one list: discover offers their operations in this order, a write builds
 * their routes in it, and a stream belongs to the first kind that claims its object name (the fallback kind, CRM
 * objects, to what no other claims). Adding a kind is its folder and one line here.
 */
import { crmObjectKind } from "./crm-object/index.js";
import { eventKind } from "./event/index.js";
import type { Kind } from "./kind.js";
import { listKind } from "./list/index.js";

export const TARGET_KINDS: readonly Kind[] = [crmObjectKind, eventKind, listKind];

/** The kind whose targets an object name names. */
export function kindOf(objectName: string): Kind {
  const claimed = TARGET_KINDS.find((kind) => !kind.fallback && kind.claims(objectName));
  return claimed ?? (TARGET_KINDS.find((kind) => kind.fallback) as Kind);
}

/** A kind by its name (a stream spec's `kind`). */
export function kindNamed(name: string): Kind {
  const kind = TARGET_KINDS.find((candidate) => candidate.name === name);
  if (!kind) throw new Error(`No kind of target is named ${name}.`);
  return kind;
}
