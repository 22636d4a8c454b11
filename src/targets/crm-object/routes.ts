/**
 * The CRM streams' routes: each stream's object read once (its property definitions), its mapper compiled from
 * them (mapping/index.ts), and the one CRM sender (sender.ts); in a plan, the CRM planner (planner.ts) over the
 * plan's projection; streams keyed by record id get by-id/'s mapper, sender and planner. With
 * `create_missing_properties`, the streams' new fields are prepared first (./properties/) and created by `open`,
 * before the first record. Deals' and tickets' pipelines are read once per object, so their records may name
 * pipelines and stages by label (pipeline-labels.ts). Everything wrong here is the user's to fix: a ConfigError
 * (a UsageError for `--object`).
 */
import type { Config } from "../../config/schema.js";
import type {
  KindRoutes,
  RecordMapper,
  Route,
  StreamSpec,
  TargetPlanner,
  WriteTarget,
} from "../../contract.js";
import { ConfigError, UsageError } from "../../errors.js";
import { HubSpotApiError } from "../../hubspot/api-errors.js";
import type { ResolvedObject } from "../../hubspot/objects.js";
import { PIPELINE_PROPERTIES, REQUIRED_ON_CREATE, type StandardObjectName } from "../../hubspot/policies.js";
import type { Pipeline } from "../../hubspot/types.js";
import { compileObjectMapping, describeMatchingKeys } from "../../mapping/index.js";
import { prepareProperties } from "./properties/index.js";
import type { KindRun } from "../kind.js";
import { createByIdPlanner } from "./by-id/planner.js";
import { checkByIdStream, compileByIdMapper, keyedByRecordId } from "./by-id/routes.js";
import { createByIdSender } from "./by-id/sender.js";
import { withPipelineLabels } from "./pipeline-labels.js";
import { createCrmPlanner } from "./planner.js";
import { createCrmSender } from "./sender.js";
import { CRM_OBJECT_TARGET } from "./target.js";

export async function buildCrmRoutes(specs: readonly StreamSpec[], run: KindRun): Promise<KindRoutes> {
  const { client } = run;
  for (const spec of specs) if (keyedByRecordId(spec)) checkByIdStream(spec);
  run.step("reading the property definitions of the configured objects");
  const objects = await run.objects.resolve(specs.map((spec) => spec.objectName));
  // Fields that are not properties yet, with create_missing_properties: their definitions join the objects read.
  const created = await prepareProperties(specs, objects, run);
  const merges = new Map<string, RecordMapper["merge"]>();
  const send = createCrmSender(client, client.paths, run.isolation, (target) => merges.get(target.key));
  const plan = run.plan
    ? createCrmPlanner({
        transport: client,
        paths: client.paths,
        definitions: (target) => run.objects.propertiesOf(target.objectName),
        projection: run.plan.projection,
      })
    : undefined;
  const byId = byIdParts(run, plan);
  const pipelines = await readPipelines(specs, objects, run);
  const routes = specs.map((spec): Route => {
    const object = objects.get(spec.objectName) as ResolvedObject;
    checkStream(spec, object);
    // A create has no key: its records lock nothing, since no two of them can be the same HubSpot record.
    const target = {
      ...spec,
      objectType: object.objectType,
      ...CRM_OBJECT_TARGET,
      ...(spec.mode === "create" ? { locksRecord: false } : {}),
    };
    const byRecordId = keyedByRecordId(spec);
    let mapper = created.mapperFor(
      spec,
      byRecordId
        ? compileByIdMapper(run.config, spec, object.properties)
        : compileMapper(run.config, spec, object),
    );
    const fields = standardEntry(PIPELINE_PROPERTIES, spec.objectName);
    const known = pipelines.get(spec.objectName);
    if (fields && known) mapper = withPipelineLabels(mapper, spec.objectName, fields, known);
    if (byRecordId) return { target, mapper, send: byId.send, plan: byId.plan };
    merges.set(target.key, mapper.merge?.bind(mapper));
    return { target, mapper, send, plan };
  });
  return { routes, open: created.open };
}

/** The sender and planner of streams keyed by record id (by-id/), which count each merged id followed. */
function byIdParts(run: KindRun, plan: TargetPlanner | undefined) {
  const onFollowed = (target: WriteTarget) => run.stats.followedMergedId(target.key);
  const { client } = run;
  const send = createByIdSender({
    transport: client,
    paths: client.paths,
    isolation: run.isolation,
    waitMs: run.config.linger_ms,
    onFollowed,
  });
  return { send, plan: plan && createByIdPlanner(plan, onFollowed) };
}

/**
 * The pipelines of the objects that have them, read once per object; an object whose pipelines the token may not
 * read is left out with a warning (its records then name pipelines and stages by id only).
 */
async function readPipelines(
  specs: readonly StreamSpec[],
  objects: ReadonlyMap<string, ResolvedObject>,
  run: KindRun,
): Promise<Map<string, Pipeline[]>> {
  const read = new Map<string, Pipeline[]>();
  for (const spec of specs) {
    const fields = standardEntry(PIPELINE_PROPERTIES, spec.objectName);
    if (!fields || spec.mode === "archive" || read.has(spec.objectName)) continue;
    run.step(`reading the pipelines of ${spec.objectName}`);
    const object = objects.get(spec.objectName) as ResolvedObject;
    try {
      read.set(spec.objectName, await run.client.listPipelines(object.objectType));
    } catch (error) {
      if (!(error instanceof HubSpotApiError && error.status === 403)) throw error;
      run.log(
        "WARN",
        `The token may not read the pipelines of ${spec.objectName}, so ${fields.pipeline} and ${fields.stage} must be given by id: ${error.message}`,
      );
    }
  }
  return read;
}

/** A standard object's entry of a policy table (a custom object called `constructor` finds none). */
const standardEntry = <T>(table: Readonly<Partial<Record<StandardObjectName, T>>>, objectName: string) =>
  Object.hasOwn(table, objectName) ? table[objectName as StandardObjectName] : undefined;

/** A raw stream's key, and a mode for CRM records. */
function checkStream(spec: StreamSpec, object: ResolvedObject): void {
  if (spec.raw && spec.idProperty === "" && spec.mode !== "create") {
    // Raw pipe mode without --key, for an object with no default key: the properties say which keys it has.
    throw new UsageError(
      `--object ${spec.objectName} needs --key: the property HubSpot matches each record on, or --mode create to create a record per line. ${describeMatchingKeys(spec.objectName, object.properties)}`,
    );
  }
  if (spec.mode === "send")
    throw new ConfigError(`Stream ${spec.key}: --mode send is for events, not ${spec.objectName}.`);
  if (spec.mode === "add" || spec.mode === "remove" || spec.mode === "replace") {
    throw new ConfigError(
      `Stream ${spec.key}: --mode ${spec.mode} is for lists (list:<name>), not ${spec.objectName}.`,
    );
  }
}

/** What a create of the object must carry: the policy table for standard objects, the schema for custom ones. */
function requiredOnCreate(spec: StreamSpec, object: ResolvedObject) {
  const standard = standardEntry(REQUIRED_ON_CREATE, spec.objectName);
  return standard ?? { all: object.requiredProperties ?? [] };
}

function compileMapper(config: Config, spec: StreamSpec, object: ResolvedObject): RecordMapper {
  const mode =
    spec.mode === "update" || spec.mode === "archive" || spec.mode === "create" ? spec.mode : "upsert";
  return compileObjectMapping({
    objectName: spec.objectName,
    properties: object.properties,
    matchingKey: spec.idProperty,
    mode,
    required: mode === "create" ? requiredOnCreate(spec, object) : undefined,
    unknownProperties: config.unknown_properties,
    nullValues: config.null_values,
    dateTimeZone: config.date_time_zone,
  });
}
