/**
 * Links inside creates: the stage that finds a create's link targets before the record is batched, so the
 * `batch/create` input carries them (`associations`) and HubSpot creates the record already linked, or not at all.
 *
 * 1. `take` gets a mapped record of a create stream with entries. Its key values are read from its fields
 *    (keys.ts); an object HubSpot requires a link to on create (a lead's contact) that the record names none of
 *    rejects it at once (ASSOCIATION_REQUIRED), before anything is asked.
 * 2. Each target's id comes from the resolver (resolver.ts): ids the run wrote (`observe`), else lookups; a target
 *    of an object some stream of the run upserts waits for it, as for the associations stage. At most
 *    `maxWaitingRecords` records wait: past that, and whenever reading waits on stages alone (`relieve`), the
 *    oldest stop waiting (looked up once more, then found or missing for good); at end of input all do (`finish`,
 *    called once every earlier write is answered, so a target written late in the input is known by then).
 * 3. Every target found: the record goes on with its links, one per target record, with the entry's type (a label
 *    also carries the pair's unlabeled type, as the associations stage sends it). A target missing or refused: the
 *    record is rejected (ASSOCIATION_TARGET_NOT_FOUND, or HubSpot's refusal), and nothing is created.
 */
import type { InlineLink, InputStage, PendingInput, Rejection, WriteTarget } from "../contract.js";
import { ASSOCIATION_CODES, linkKeys } from "./keys.js";
import { type ResolverOptions, TargetResolver } from "./resolver.js";
import { MAX_WAITING_RECORDS } from "./stage.js";
import type { LinkSpec, Resolution, TargetRef } from "./types.js";

export interface InlineLinkOptions {
  /** The compiled entries of the create streams, by stream key. */
  specs: ReadonlyMap<string, readonly LinkSpec[]>;
  lookup: ResolverOptions["lookup"];
  /** Type ids of the objects some stream of the run upserts or updates (a target of them may come later). */
  writtenObjects: ReadonlySet<string>;
  /** Type ids of the objects a create of each object type must link to (leads: contacts). */
  requiredLinks: (objectType: string) => readonly string[];
  lingerMs: number;
  /** @default MAX_WAITING_RECORDS */
  maxWaitingRecords?: number;
}

interface Job {
  refs: TargetRef[];
  released: boolean;
}

export class InlineLinkStage implements InputStage {
  pending = 0;
  private readonly resolver: TargetResolver;
  private readonly waiting = new Set<Job>();
  private unreleased = 0;
  private onFail: (error: unknown) => void = () => undefined;
  private idle: Array<() => void> = [];
  private halted = false;

  constructor(private readonly options: InlineLinkOptions) {
    this.resolver = new TargetResolver({
      lookup: options.lookup,
      mayBeWritten: (objectType) => options.writtenObjects.has(objectType),
      lingerMs: options.lingerMs,
      specs: options.specs,
      fail: (error) => this.fail(error),
    });
  }

  start(hooks: { fail: (error: unknown) => void; stop?: AbortSignal | undefined }): void {
    this.onFail = hooks.fail;
    hooks.stop?.addEventListener("abort", () => this.halt(), { once: true });
    if (hooks.stop?.aborted) this.halt();
  }

  wants(target: WriteTarget): boolean {
    return target.mode === "create" && this.options.specs.has(target.key);
  }

  take(
    input: PendingInput,
    proceed: (links: readonly InlineLink[]) => void,
    reject: (rejection: Rejection) => void,
  ): void {
    const specs = this.options.specs.get(input.target.key) ?? [];
    const asked: Array<{ spec: LinkSpec; value: string }> = [];
    for (const spec of specs) {
      const keys = linkKeys(input.data, spec);
      if (!keys.ok) return reject(keys.rejection);
      for (const value of keys.keys) asked.push({ spec, value });
    }
    const absent = this.options
      .requiredLinks(input.target.objectType)
      .filter((objectType) => !asked.some(({ spec }) => spec.toObjectType === objectType));
    if (absent.length > 0) return reject(requiredLink(input.target, specs, absent));
    this.pending += 1;
    const job: Job = { refs: asked.map(({ spec, value }) => refOf(spec, value)), released: false };
    const resolutions = job.refs.map((ref) => this.resolver.resolve(ref, () => this.markWaiting(job)));
    void Promise.all(resolutions).then((found) => {
      if (this.waiting.delete(job) && !job.released) this.unreleased -= 1;
      if (this.halted) return;
      this.pending -= 1;
      const verdict = linksOf(asked, found);
      if (Array.isArray(verdict)) proceed(verdict);
      else reject(verdict);
      if (this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
    });
  }

  observe(target: WriteTarget, key: string, recordId: string): void {
    this.resolver.observeWrite(target, key, recordId);
  }

  /** Reading waits on the stages alone: the oldest waiting records stop waiting, about one lookup's worth. */
  relieve(): void {
    this.resolver.setLinger(0);
    this.resolver.flush();
    if (!this.resolver.busy) this.release(Number.POSITIVE_INFINITY);
  }

  async finish(): Promise<void> {
    this.resolver.finish();
    if (this.pending === 0 || this.halted) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private markWaiting(job: Job): void {
    if (!this.waiting.has(job)) {
      this.waiting.add(job);
      if (!job.released) this.unreleased += 1;
    }
    const cap = this.options.maxWaitingRecords ?? MAX_WAITING_RECORDS;
    if (this.unreleased > cap) this.release(this.unreleased - cap + Math.ceil(cap / 100));
  }

  /** Stops the oldest `records` waiting records waiting (at most one lookup request's worth of targets). */
  private release(records: number): void {
    this.unreleased -= this.resolver.releaseOldest(this.waiting, records);
  }

  private halt(): void {
    this.halted = true;
    this.resolver.stop();
  }

  private fail(error: unknown): void {
    if (this.halted) return;
    this.halt();
    this.onFail(error);
  }
}

const refOf = (spec: LinkSpec, value: string): TargetRef => ({
  objectType: spec.toObjectType,
  property: spec.toKey,
  value,
});

/** The record's links, one per target record with every type its entries give it; or why it cannot be created. */
function linksOf(
  asked: ReadonlyArray<{ spec: LinkSpec; value: string }>,
  found: readonly Resolution[],
): InlineLink[] | Rejection {
  const links = new Map<string, InlineLink & { types: Array<{ category: string; typeId: number }> }>();
  const missing = new Map<LinkSpec, string[]>();
  for (const [index, { spec, value }] of asked.entries()) {
    const resolution = found[index] as Resolution;
    if (resolution.status === "refused") return refused(spec, value, resolution.rejection);
    if (resolution.status === "missing") {
      missing.set(spec, [...(missing.get(spec) ?? []), value]);
      continue;
    }
    const key = `${spec.toObjectType}\u0000${resolution.id}`;
    const about = `${spec.toObjectName} ${spec.toKey} ${JSON.stringify(value)}`;
    const link = links.get(key) ?? { toId: resolution.id, types: [], about };
    for (const type of spec.labelled ? [spec.unlabeled, spec.type] : [spec.type]) {
      if (!link.types.some((known) => known.typeId === type.typeId)) link.types.push({ ...type });
    }
    links.set(key, link);
  }
  const [first] = missing;
  if (first) return notFound(...first);
  return [...links.values()];
}

function notFound(spec: LinkSpec, values: string[]): Rejection {
  const listed = values.map((value) => JSON.stringify(value)).join(", ");
  return {
    code: ASSOCIATION_CODES.TARGET_NOT_FOUND,
    field: spec.field,
    message: `It was not created: no ${spec.toObjectName} has ${spec.toKey} ${listed}, in HubSpot or among the records this run wrote (${spec.name}), and a create carries its links. Write the target, then send this record again.`,
  };
}

function refused(spec: LinkSpec, value: string, rejection: Rejection): Rejection {
  return {
    ...rejection,
    field: spec.field,
    message: `It was not created: HubSpot refused to look up ${spec.toObjectName} ${spec.toKey} ${JSON.stringify(value)} (${spec.name}): ${rejection.message}`,
  };
}

function requiredLink(target: WriteTarget, specs: readonly LinkSpec[], absent: readonly string[]): Rejection {
  const entries = specs.filter((spec) => absent.includes(spec.toObjectType));
  const names = [...new Set(entries.map((spec) => spec.toObjectName))].join(" and ");
  return {
    code: ASSOCIATION_CODES.REQUIRED,
    ...(entries[0] ? { field: entries[0].field } : {}),
    message: `It was not created: HubSpot requires a ${target.objectName} to be linked to an existing ${names} when it is created, and the record names none (${entries.map((spec) => spec.field).join(", ")}).`,
  };
}
