/**
 * What `write` needs for associations: the entries compiled against the run and the portal (before any record is
 * read), the stage that links written records, and each linked stream's mapper wrapped so that its association
 * fields are checked as keys and never mapped as properties (the record's data is kept whole for the stage and
 * the rejects store).
 */
import type { Config } from "../config/schema.js";
import type { InputStage, PlanContext, RecordMapper, RecordStage, WriteTarget } from "../contract.js";
import { ConfigError } from "../errors.js";
import type { HubSpotClient } from "../hubspot/client.js";
import type { ScopeRequirement } from "../contract.js";
import { OBJECT_SCOPES, REQUIRED_LINKS_ON_CREATE, STANDARD_OBJECTS } from "../hubspot/policies.js";
import type { Property } from "../hubspot/types.js";
import { streamKey } from "../protocol/stream-key.js";
import { compileAssociations, entryName } from "./compile.js";
import { linkKeys } from "./keys.js";
import { readPairTypes } from "./labels.js";
import { LinksApi } from "./links-api.js";
import { lookupIds } from "./lookups.js";
import { planningLinkCalls } from "./planning.js";
import { InlineLinkStage } from "./inline.js";
import { AssociationStage, type AssociationStageOptions } from "./stage.js";
import type { LinkSpec } from "./types.js";

export { ASSOCIATION_CODES } from "./keys.js";
export type { LinkChange } from "./link-record.js";
export type { LinkCalls, LinkInput, LinkPage, LinkWriteAction, ReadOutcome } from "./links-api.js";
export type { LinkSpec } from "./types.js";

/** What a run hears from the stage, and, for a plan, the context its stand-ins report to. */
export interface AssociationSeams {
  onLinks?: AssociationStageOptions["onLinks"];
  /**
   * A plan: the stage runs over stand-ins for its calls that send no write (planning.ts), and its records settle
   * with their link changes as verdicts.
   */
  plan?: PlanContext | undefined;
}

export interface Associations {
  /** Undefined when the config has no entry that applies. */
  stage: RecordStage | undefined;
  /** The stage that finds create streams' link targets before the create (inline.ts); undefined without any. */
  inputStage: InputStage | undefined;
  /** The compiled entries by stream key. */
  specs: ReadonlyMap<string, readonly LinkSpec[]>;
  /** The stream's mapper, wrapped when the stream has entries. */
  mapperFor(streamKey: string, mapper: RecordMapper): RecordMapper;
}

/** The objects the entries link to: their definitions must be read with the streams' own. */
export const associationObjects = (config: Config) => config.associations.map((entry) => entry.to_object);

const scopesOf = (objectName: string) =>
  OBJECT_SCOPES[
    objectName.toUpperCase() in STANDARD_OBJECTS
      ? (objectName.toUpperCase() as keyof typeof STANDARD_OBJECTS)
      : "CUSTOM"
  ];

/**
 * What each entry needs beyond its stream's write scope: reading both objects (labels, current links, lookups)
 * and writing the linked one. HubSpot's association calls take any one of a long list of object scopes; holding
 * read and write of both objects is the safe reading (the Associations spec's `security`).
 */
export function associationScopes(
  config: Config,
  plans: ReadonlyArray<{ key: string; objectName: string }>,
): Array<{ entry: string; needed: ScopeRequirement[] }> {
  return config.associations.flatMap((entry, index) => {
    const key = streamKey(entry.stream, entry.namespace);
    const plan = plans.find((candidate) => candidate.key === key);
    if (!plan) return []; // compiling names the missing stream
    const [from, to] = [scopesOf(plan.objectName), scopesOf(entry.to_object)];
    return [{ entry: entryName(entry, index), needed: [from.read, to.read, to.write] }];
  });
}

/**
 * Compiles `config.associations` against the run's targets and the portal (reading each object pair's labels
 * once), and builds the stage. Throws a ConfigError naming the first entry that cannot run.
 */
export async function buildAssociations(
  config: Config,
  targets: ReadonlyMap<string, WriteTarget>,
  objects: ReadonlyMap<string, { objectType: string; properties: readonly Property[] }>,
  client: HubSpotClient,
  warn: (message: string) => void,
  seams: AssociationSeams = {},
): Promise<Associations> {
  const specs = await compileAssociations(config.associations, {
    targets,
    objects,
    dateTimeZone: config.date_time_zone,
    readPairTypes: (from, to) => readPairTypes(client, client.paths, from, to),
    warn,
  });
  const mapperFor = (streamKey: string, mapper: RecordMapper) => {
    const linked = specs.get(streamKey);
    return linked ? withoutLinkFields(mapper, linked) : mapper;
  };
  checkRequiredLinks(targets, specs);
  const writtenObjects = objectsWritten(targets);
  const api = new LinksApi(client, client.paths);
  const planning = seams.plan
    ? planningLinkCalls({ context: seams.plan, targets, transport: client }, specs, api)
    : undefined;
  const lookup: AssociationStageOptions["lookup"] = (target, values) =>
    lookupIds(planning?.lookupTransport(target.objectType) ?? client, client.paths, target, values);
  // Creates carry their links (inline.ts); every other stream's records are linked after their write (stage.ts).
  const creating = (key: string) => targets.get(key)?.mode === "create";
  const [inline, after] = [
    new Map([...specs].filter(([key]) => creating(key))),
    new Map([...specs].filter(([key]) => !creating(key))),
  ];
  const stage =
    after.size === 0
      ? undefined
      : new AssociationStage({
          specs: after,
          api: planning?.api ?? api,
          lookup,
          writtenObjects,
          lingerMs: config.linger_ms,
          onLinks: seams.onLinks,
          describe: planning !== undefined,
        });
  const inputStage =
    inline.size === 0
      ? undefined
      : new InlineLinkStage({
          specs: inline,
          lookup,
          writtenObjects,
          requiredLinks: requiredLinksOf,
          lingerMs: config.linger_ms,
        });
  return { stage, inputStage, specs, mapperFor };
}

/** The objects whose records the run writes by key, so a link's target may still come from the input. */
function objectsWritten(targets: ReadonlyMap<string, WriteTarget>): Set<string> {
  return new Set(
    [...targets.values()]
      .filter((target) => target.linkable && (target.mode === "upsert" || target.mode === "update"))
      .map((target) => target.objectType),
  );
}

/** The objects a create of `objectType` must link to (leads: contacts), by type id. */
function requiredLinksOf(objectType: string): readonly string[] {
  const entry = Object.entries(STANDARD_OBJECTS).find(([, known]) => known.objectTypeId === objectType);
  return entry ? (REQUIRED_LINKS_ON_CREATE[entry[0] as keyof typeof STANDARD_OBJECTS] ?? []) : [];
}

/** A create stream of an object that must be linked on create (leads) needs an entry linking it (a ConfigError). */
function checkRequiredLinks(
  targets: ReadonlyMap<string, WriteTarget>,
  specs: ReadonlyMap<string, readonly LinkSpec[]>,
): void {
  for (const target of targets.values()) {
    if (target.mode !== "create") continue;
    for (const objectType of requiredLinksOf(target.objectType)) {
      if ((specs.get(target.key) ?? []).some((spec) => spec.toObjectType === objectType)) continue;
      const name = Object.entries(STANDARD_OBJECTS).find(([, known]) => known.objectTypeId === objectType);
      throw new ConfigError(
        `Stream ${target.key} creates ${target.objectName} records, which HubSpot creates only linked to an existing ${name?.[0] ?? objectType}: add an associations entry for the stream with to_object ${name?.[0] ?? objectType}.`,
      );
    }
  }
}

/**
 * A mapper that maps the record without its association fields (so `unknown_properties: reject` never sees them)
 * and then checks their values as keys, refusing the record before it is written when one cannot be a key.
 */
export function withoutLinkFields(mapper: RecordMapper, specs: readonly LinkSpec[]): RecordMapper {
  const fields = new Set(specs.map((spec) => spec.field));
  const wrapped: RecordMapper = {
    map(data) {
      if (typeof data !== "object" || data === null || Array.isArray(data)) return mapper.map(data);
      const record = data as Record<string, unknown>;
      // A prototype-less copy: a field named __proto__ stays a field.
      const rest = Object.create(null) as Record<string, unknown>;
      for (const name of Object.keys(record)) if (!fields.has(name)) rest[name] = record[name];
      const mapped = mapper.map(rest);
      if (!mapped.ok || mapped.skip) return mapped;
      for (const spec of specs) {
        const keys = linkKeys(record, spec);
        if (!keys.ok) return { ok: false, rejection: keys.rejection };
      }
      return mapped;
    },
  };
  if (mapper.merge) wrapped.merge = mapper.merge.bind(mapper);
  return wrapped;
}
