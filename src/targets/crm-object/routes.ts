/**
 * The CRM streams' routes: each stream's object read once (its property definitions), its mapper compiled from
 * them (mapping/index.ts), and the one CRM sender (sender.ts); in a plan, the CRM planner (planner.ts) over the
 * plan's projection; streams keyed by record id get by-id/'s mapper, sender and planner. Everything wrong here is the user's to fix: a ConfigError (a UsageError for `--object`).
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
import type { ResolvedObject } from "../../hubspot/objects.js";
import { compileObjectMapping, describeMatchingKeys } from "../../mapping/index.js";
import type { KindRun } from "../kind.js";
import { createByIdPlanner } from "./by-id/planner.js";
import { checkByIdStream, compileByIdMapper, keyedByRecordId } from "./by-id/routes.js";
import { createByIdSender } from "./by-id/sender.js";
import { createCrmPlanner } from "./planner.js";
import { createCrmSender } from "./sender.js";
import { CRM_OBJECT_TARGET } from "./target.js";

export async function buildCrmRoutes(specs: readonly StreamSpec[], run: KindRun): Promise<KindRoutes> {
  const { client } = run;
  for (const spec of specs) if (keyedByRecordId(spec)) checkByIdStream(spec);
  run.step("reading the property definitions of the configured objects");
  const objects = await run.objects.resolve(specs.map((spec) => spec.objectName));
  const send = createCrmSender(client, client.paths, run.isolation);
  const plan = run.plan
    ? createCrmPlanner({
        transport: client,
        paths: client.paths,
        definitions: (target) => run.objects.propertiesOf(target.objectName),
        projection: run.plan.projection,
      })
    : undefined;
  const byId = byIdParts(run, plan);
  const routes = specs.map((spec): Route => {
    const object = objects.get(spec.objectName) as ResolvedObject;
    checkStream(spec, object);
    const target = { ...spec, objectType: object.objectType, ...CRM_OBJECT_TARGET };
    if (keyedByRecordId(spec)) {
      const mapper = compileByIdMapper(run.config, spec, object.properties);
      return { target, mapper, send: byId.send, plan: byId.plan };
    }
    return { target, mapper: compileMapper(run.config, spec, object), send, plan };
  });
  return { routes };
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

/** A raw stream's key, and a mode for CRM records. */
function checkStream(spec: StreamSpec, object: ResolvedObject): void {
  if (spec.raw && spec.idProperty === "") {
    // Raw pipe mode without --key, for an object with no default key: the properties say which keys it has.
    throw new UsageError(
      `--object ${spec.objectName} needs --key: the property HubSpot matches each record on. ${describeMatchingKeys(spec.objectName, object.properties)}`,
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

function compileMapper(config: Config, spec: StreamSpec, object: ResolvedObject): RecordMapper {
  return compileObjectMapping({
    objectName: spec.objectName,
    properties: object.properties,
    matchingKey: spec.idProperty,
    mode: spec.mode === "update" || spec.mode === "archive" ? spec.mode : "upsert",
    unknownProperties: config.unknown_properties,
    nullValues: config.null_values,
    dateTimeZone: config.date_time_zone,
  });
}
