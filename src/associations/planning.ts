/**
 * The plan's stand-in for the associations stage's HubSpot calls: in a plan the stage itself runs (the same
 * lookups, waiting rule, link planning, batching and verdicts) over these, so the plan's `link` / `unlink` verdicts
 * are the write's own decisions.
 *
 * 1. Writes (create, associate/default, archive, labels/archive) are not sent: each input is answered as HubSpot
 *    answers success, each call counted as the one request the write would make, and the change remembered.
 * 2. Reads of a record's current links pass through to HubSpot (the write makes them too, and they are counted),
 *    every page at once, and the changes the plan already decided for that record are laid over them, so a record
 *    linked twice in one run is judged as the write would leave it. A record the plan would create (a planned id)
 *    has no links in HubSpot: its read is answered without a request. Changes the plan makes from the other side
 *    of a pair are not laid over (their inverse type ids are the portal's), so a record that two streams link from
 *    both sides with `replace` or a label is judged against HubSpot's links now.
 * 3. Lookups of link targets read through HubSpot as in the write, counted.
 * Requests are counted for the linked stream of the object concerned (the first, when several streams write it).
 * The memory of changes is bounded like the CRM projection: past it, the oldest records' changes are forgotten.
 */
import type { LinkCalls, LinkInput, LinkWriteAction, ReadOutcome } from "./links-api.js";
import type { JsonTransport } from "../hubspot/transport.js";
import type { AssociationTypeRef, LinkSpec } from "./types.js";
import type { PlanContext, WriteTarget } from "../contract.js";
import { isPlannedId } from "../dry-run/planned-ids.js";
import { PLAN_MEMORY_KEYS } from "../dry-run/projection.js";

/** What a plan puts in place of the stage's HubSpot calls: the same stage then runs over them. */
export interface PlanningLinks {
  /** Link calls that pass reads through to the real ones and send no write. */
  api: LinkCalls;
  /** The transport a lookup of `objectType` records reads through (counted as the write's requests). */
  lookupTransport(objectType: string): JsonTransport;
}

export interface LinksPlannerParts {
  context: PlanContext;
  /** The run's targets by stream key. */
  targets: ReadonlyMap<string, WriteTarget>;
  /** The real transport lookups read through. */
  transport: JsonTransport;
  /** Records whose planned link changes are remembered. @default PLAN_MEMORY_KEYS */
  memoryKeys?: number;
}

interface PlannedChange {
  action: LinkWriteAction;
  toId: string;
  types?: readonly AssociationTypeRef[] | undefined;
}

type PairInput = Parameters<LinkCalls["read"]>[2][number];

/** The plan's link calls and lookup transport for the compiled entries, over the real link calls `api`. */
export function planningLinkCalls(
  parts: LinksPlannerParts,
  specs: ReadonlyMap<string, readonly LinkSpec[]>,
  api: LinkCalls,
): PlanningLinks {
  const { context } = parts;
  const streamOf = linkedStreams(specs, parts.targets);
  const memory = new ChangeMemory(parts.memoryKeys ?? PLAN_MEMORY_KEYS, () =>
    context.note(
      `The plan remembers the link changes of ${parts.memoryKeys ?? PLAN_MEMORY_KEYS} records: a record linked again after that many others is judged against its links in HubSpot now, not as the write would leave them.`,
    ),
  );
  return {
    api: {
      async write(action, from, to, inputs: readonly LinkInput[]) {
        context.wouldRequest(streamOf(from), 1);
        for (const input of inputs) {
          memory.add(pairKey(from, to, input.fromId), { action, toId: input.toId, types: input.types });
        }
        return new Map(inputs.map((input) => [input.traceId, { status: "written" as const }]));
      },
      async read(from, to, inputs) {
        const read = new Map<string, ReadOutcome>();
        const known = inputs.filter((input) => !isPlannedId(input.fromId));
        const pages = await readEveryPage(api, from, to, known, () =>
          context.wouldRequest(streamOf(from), 1),
        );
        for (const input of inputs) {
          const outcome = pages.get(input.traceId) ?? { status: "read", page: { links: [] } };
          if (outcome.status !== "read") read.set(input.traceId, outcome);
          else {
            const links = overlay(outcome.page.links, memory.get(pairKey(from, to, input.fromId)));
            read.set(input.traceId, { status: "read", page: { links } });
          }
        }
        return read;
      },
    },
    lookupTransport: (objectType) => ({
      postJson(path, body) {
        context.wouldRequest(streamOf(objectType), 1);
        return parts.transport.postJson(path, body);
      },
    }),
  };
}

/** Reads every page of each record's links (one request per round of pages, as the write's queue sends them). */
async function readEveryPage(
  api: LinkCalls,
  from: string,
  to: string,
  inputs: readonly PairInput[],
  count: () => void,
): Promise<Map<string, ReadOutcome>> {
  const answers = new Map<string, ReadOutcome>();
  const links = new Map<string, Array<{ toId: string; types: AssociationTypeRef[] }>>();
  let round: PairInput[] = [...inputs];
  while (round.length > 0) {
    count();
    const outcomes = await api.read(from, to, round);
    const next: PairInput[] = [];
    for (const input of round) {
      const outcome = outcomes.get(input.traceId);
      if (outcome?.status !== "read") {
        if (outcome) answers.set(input.traceId, outcome);
        continue;
      }
      links.set(input.traceId, [...(links.get(input.traceId) ?? []), ...outcome.page.links]);
      if (outcome.page.after !== undefined) next.push({ ...input, after: outcome.page.after });
      else answers.set(input.traceId, { status: "read", page: { links: links.get(input.traceId) ?? [] } });
    }
    round = next;
  }
  return answers;
}

/** HubSpot's links with the plan's changes to them applied in order (see the file header, step 2). */
function overlay(
  links: ReadonlyArray<{ toId: string; types: AssociationTypeRef[] }>,
  changes: readonly PlannedChange[] | undefined,
): Array<{ toId: string; types: AssociationTypeRef[] }> {
  if (!changes) return [...links];
  const byTarget = new Map<string, AssociationTypeRef[]>();
  for (const link of links) byTarget.set(link.toId, [...(byTarget.get(link.toId) ?? []), ...link.types]);
  for (const change of changes) {
    const now = byTarget.get(change.toId);
    const named = (type: AssociationTypeRef) =>
      (change.types ?? []).some((one) => one.typeId === type.typeId);
    switch (change.action) {
      case "create":
        // The types a create names replace the pair's labels (the stage tells the unlabeled type by its entries).
        byTarget.set(change.toId, [...(change.types ?? [])]);
        break;
      case "associate/default":
        if (!now) byTarget.set(change.toId, []);
        break;
      case "archive":
        byTarget.delete(change.toId);
        break;
      case "labels/archive":
        if (now)
          byTarget.set(
            change.toId,
            now.filter((type) => !named(type)),
          );
        break;
    }
  }
  return [...byTarget].map(([toId, types]) => ({ toId, types }));
}

const pairKey = (from: string, to: string, fromId: string) => `${from}\u0000${to}\u0000${fromId}`;

/** The stream a request about an object's links counts for: the first stream linking from it, else to it. */
function linkedStreams(
  specs: ReadonlyMap<string, readonly LinkSpec[]>,
  targets: ReadonlyMap<string, WriteTarget>,
): (objectType: string) => WriteTarget | undefined {
  const all = [...specs.values()].flat();
  const cache = new Map<string, WriteTarget | undefined>();
  return (objectType) => {
    if (!cache.has(objectType)) {
      const spec =
        all.find((one) => one.fromObjectType === objectType) ??
        all.find((one) => one.toObjectType === objectType) ??
        all[0];
      cache.set(objectType, spec ? targets.get(spec.streamKey) : undefined);
    }
    return cache.get(objectType);
  };
}

/** The plan's link changes per record, oldest record forgotten first past `maxKeys`. */
class ChangeMemory {
  private readonly changes = new Map<string, PlannedChange[]>();
  private warned = false;

  constructor(
    private readonly maxKeys: number,
    private readonly onForget: () => void,
  ) {}

  get(key: string): readonly PlannedChange[] | undefined {
    return this.changes.get(key);
  }

  add(key: string, change: PlannedChange): void {
    const list = this.changes.get(key) ?? [];
    this.changes.delete(key);
    this.changes.set(key, [...list, change]);
    if (this.changes.size <= this.maxKeys) return;
    this.changes.delete(this.changes.keys().next().value as string);
    if (!this.warned) this.onForget();
    this.warned = true;
  }
}
