/**
 * One record's links, from its targets' ids to its verdict (the stage's steps 2–4): find every target, then per
 * object read the current links where needed, plan, send, and gather the first problem of each entry. Every
 * rejection says the record's properties were written, since they were: only its links are in question. Besides
 * the verdict it answers the link changes HubSpot confirmed, one per request input: what the run counts (`linked`,
 * `unlinked`) and what a plan shows (`link`, `unlink`), from the same calls.
 */
import type { PlannedAction, Rejection, StageRecord, StageVerdict } from "../contract.js";
import { ASSOCIATION_CODES, linkKeys } from "./keys.js";
import type { LinkQueues } from "./link-queues.js";
import { needsCurrentLinks, type LinkOp, linkOps, type WantedLink } from "./link-ops.js";
import type { ResolverOptions, TargetResolver } from "./resolver.js";
import type { LinkSpec, Resolution, TargetRef } from "./types.js";

/** A record taken, until it is settled. */
export interface LinkJob {
  record: StageRecord;
  settle: (verdict: StageVerdict) => void;
  /** The targets it asks for, to release them if it waits too long. */
  refs: TargetRef[];
  released: boolean;
}

export interface LinkContext {
  resolver: TargetResolver;
  queues: LinkQueues;
  lookup: ResolverOptions["lookup"];
  /** Told when one of the record's targets starts waiting for a later record. */
  onWait: () => void;
}

/** Problems by entry; the first entry in config order with one decides the verdict. */
type Problems = Map<LinkSpec, Rejection>;

/** One link change HubSpot confirmed: `link` (create, associate/default) or `unlink` (archive, labels/archive). */
export interface LinkChange extends PlannedAction {
  verdict: "link" | "unlink";
  /** `COMPANY company_external_id "C-1" (Employee)`, `COMPANY record 1002 (label Employee)`. */
  about: string;
}

/** A record's verdict, and the link changes made for it (whatever the verdict: links that could be made are). */
export interface LinkedRecord {
  verdict: StageVerdict;
  changes: LinkChange[];
}

const note = "Its properties were written";

export async function linkRecord(
  job: LinkJob,
  specs: readonly LinkSpec[],
  context: LinkContext,
): Promise<LinkedRecord> {
  const { record } = job;
  const fromId = record.recordId ?? (await ownId(record, context));
  if (typeof fromId !== "string") return { verdict: { status: "rejected", rejection: fromId }, changes: [] };
  const asked = askedKeys(record, specs);
  if (!Array.isArray(asked)) return { verdict: { status: "rejected", rejection: asked }, changes: [] };
  job.refs = asked.map(({ spec, value }) => ({ objectType: spec.toObjectType, property: spec.toKey, value }));
  const resolutions = await Promise.all(job.refs.map((ref) => context.resolver.resolve(ref, context.onWait)));
  const { wanted, keyOf, problems } = targetsFound(asked, resolutions);
  const found = await Promise.all(
    [...linkedGroups(record, specs).values()].map((group) =>
      linkObject(
        fromId,
        group,
        wanted.filter((link) => group.includes(link.spec)),
        keyOf,
        context.queues,
      ),
    ),
  );
  const changes: LinkChange[] = [];
  for (const group of found) {
    for (const [spec, rejection] of group.problems) if (!problems.has(spec)) problems.set(spec, rejection);
    changes.push(...group.changes);
  }
  const first = specs.find((spec) => problems.has(spec));
  const verdict: StageVerdict = first
    ? { status: "rejected", rejection: problems.get(first) as Rejection }
    : { status: "written", effect: record.effect };
  return { verdict, changes };
}

/** Each key value the record's entries name, or why one cannot be a key (no link is made then). */
function askedKeys(
  record: StageRecord,
  specs: readonly LinkSpec[],
): Array<{ spec: LinkSpec; value: string }> | Rejection {
  const asked: Array<{ spec: LinkSpec; value: string }> = [];
  for (const spec of specs) {
    const keys = linkKeys(record.data, spec);
    if (!keys.ok)
      return { ...keys.rejection, message: `${keys.rejection.message} ${note}; no link was made.` };
    for (const value of keys.keys) asked.push({ spec, value });
  }
  return asked;
}

/** The targets found (with the key value that named each, for messages), and the entries' first problems. */
function targetsFound(
  asked: ReadonlyArray<{ spec: LinkSpec; value: string }>,
  resolutions: readonly Resolution[],
): { wanted: WantedLink[]; keyOf: Map<string, string>; problems: Problems } {
  const problems: Problems = new Map();
  const wanted: WantedLink[] = [];
  const keyOf = new Map<string, string>();
  const missing = new Map<LinkSpec, string[]>();
  resolutions.forEach((resolution, index) => {
    const { spec, value } = asked[index] as { spec: LinkSpec; value: string };
    if (resolution.status === "found") {
      wanted.push({ toId: resolution.id, spec });
      keyOf.set(resolution.id, value);
    } else if (resolution.status === "missing") {
      missing.set(spec, [...(missing.get(spec) ?? []), value]);
    } else if (!problems.has(spec)) {
      problems.set(spec, {
        ...resolution.rejection,
        field: spec.field,
        message: `${note}, but HubSpot refused to look up ${spec.toObjectName} ${spec.toKey} ${JSON.stringify(value)} (${spec.name}): ${resolution.rejection.message}`,
      });
    }
  });
  for (const [spec, values] of missing) if (!problems.has(spec)) problems.set(spec, notFound(spec, values));
  return { wanted, keyOf, problems };
}

/**
 * The record's entries by the object they link to. A replace entry whose field the record leaves out says nothing
 * about its links, as an absent property leaves its value: only null or "" asks for them all to go.
 */
function linkedGroups(record: StageRecord, specs: readonly LinkSpec[]): Map<string, LinkSpec[]> {
  const data = (typeof record.data === "object" && record.data !== null ? record.data : {}) as object;
  const groups = new Map<string, LinkSpec[]>();
  for (const spec of specs) {
    if (spec.replace && !Object.hasOwn(data, spec.field)) continue;
    groups.set(spec.toObjectType, [...(groups.get(spec.toObjectType) ?? []), spec]);
  }
  return groups;
}

/** Reads (where needed), plans and sends the record's links to one object. */
async function linkObject(
  fromId: string,
  group: LinkSpec[],
  wanted: WantedLink[],
  keyOf: ReadonlyMap<string, string>,
  queues: LinkQueues,
): Promise<{ problems: Problems; changes: LinkChange[] }> {
  const problems: Problems = new Map();
  const changes: LinkChange[] = [];
  const { fromObjectType: from, toObjectType: to } = group[0] as LinkSpec;
  let current;
  if (needsCurrentLinks(group)) {
    const read = await queues.readAll(from, to, fromId);
    if (!read.ok) {
      for (const spec of group)
        problems.set(spec, refused(spec, "read its links to", undefined, read.rejection));
      return { problems, changes };
    }
    current = read.links;
  }
  const ops = linkOps(group, wanted, current);
  const outcomes = await Promise.all(
    ops.map((op) => queues.write(op.action, from, to, { fromId, toId: op.toId, types: op.types })),
  );
  ops.forEach((op, index) => {
    const outcome = outcomes[index];
    if (outcome?.status === "written") changes.push(describeChange(op, group[0] as LinkSpec, keyOf));
    if (outcome?.status !== "rejected") return;
    for (const spec of op.specs) {
      if (problems.has(spec)) continue;
      const target = `${keyOf.has(op.toId) ? `${spec.toKey} ${JSON.stringify(keyOf.get(op.toId))}, ` : ""}record ${op.toId}`;
      problems.set(spec, refused(spec, VERBS[op.action], target, outcome.rejection));
    }
  });
  return { problems, changes };
}

/** A confirmed op for people: the target by the key that named it (else its id), and the labels it concerns. */
function describeChange(op: LinkOp, first: LinkSpec, keyOf: ReadonlyMap<string, string>): LinkChange {
  const key = keyOf.get(op.toId);
  const target = `${first.toObjectName} ${key === undefined ? `record ${op.toId}` : `${first.toKey} ${JSON.stringify(key)}`}`;
  const labelOf = (spec: LinkSpec) => spec.labelName ?? `type ${spec.type.typeId}`;
  const has = (spec: LinkSpec) => (op.types ?? []).some((type) => type.typeId === spec.type.typeId);
  const labelled = op.specs.filter((spec) => spec.labelled);
  switch (op.action) {
    case "create": {
      const kept = labelled.filter(has).map(labelOf);
      const off = labelled.filter((spec) => !has(spec)).map((spec) => `${labelOf(spec)} taken off`);
      return { verdict: "link", about: `${target} (${[...kept, ...off].join("; ")})` };
    }
    case "associate/default":
      return { verdict: "link", about: target };
    case "archive":
      return { verdict: "unlink", about: target };
    case "labels/archive":
      return { verdict: "unlink", about: `${target} (label ${labelled.map(labelOf).join(", ")})` };
  }
}

const VERBS: Record<LinkOp["action"], string> = {
  create: "link it to",
  "associate/default": "link it to",
  archive: "unlink it from",
  "labels/archive": "take the label off its link to",
};

function refused(spec: LinkSpec, verb: string, target: string | undefined, rejection: Rejection): Rejection {
  return {
    ...rejection,
    field: spec.field,
    message: `${note}, but HubSpot refused to ${verb} ${spec.toObjectName}${target ? ` (${target})` : ""} for ${spec.name}: ${rejection.message}`,
  };
}

function notFound(spec: LinkSpec, values: string[]): Rejection {
  const listed = values.map((value) => JSON.stringify(value)).join(", ");
  return {
    code: ASSOCIATION_CODES.TARGET_NOT_FOUND,
    field: spec.field,
    message: `${note}, but no ${spec.toObjectName} has ${spec.toKey} ${listed}, in HubSpot or among the records this run wrote (${spec.name}). Its other links were made; write the target, then send this record again.`,
  };
}

/** The record's own id, when HubSpot's answer did not give it: looked up by its key. */
async function ownId(record: StageRecord, context: LinkContext): Promise<string | Rejection> {
  const { objectType, idProperty } = record.target;
  const found = await context.lookup({ objectType, property: idProperty }, [record.key]);
  const resolution = found.get(record.key);
  if (resolution?.status === "found") return resolution.id;
  return {
    code: ASSOCIATION_CODES.RECORD_NOT_FOUND,
    message: `${note}, but HubSpot's answer gave no id for it and a lookup by ${idProperty} found none, so no link was made. Send it again.`,
  };
}
