/**
 * Builds what `write` routes records through before any record is read: each stream's target (the HubSpot
 * object or event it writes, resolved once) and its mapper (compiled from the object's property definitions or
 * the account's event definitions). Everything wrong here is the user's to fix: a ConfigError.
 */
import { associationObjects, associationScopes, buildAssociations } from "../associations/index.js";
import type { Config } from "../config/schema.js";
import type { BatchSender, RecordStage, TargetPlanner, WriteTarget } from "../contract.js";
import { ConfigError, UsageError } from "../errors.js";
import type { HubSpotClient } from "../hubspot/client.js";
import type { RequestGate } from "../hubspot/http.js";
import { createCrmSender } from "../targets/crm-object/sender.js";
import { prepareEventDefinitions } from "../targets/event/definitions.js";
import {
  describeScopeRequirements,
  eventWriteScopes,
  type GrantedScopes,
  grantedScopes,
  missingScopes,
  objectWriteScopes,
} from "../hubspot/scopes.js";
import type { Property } from "../hubspot/types.js";
import { isListObject } from "../targets/list/names.js";
import { buildListRoutes } from "../targets/list/routes.js";
import { listWriteScopes } from "../targets/list/scopes.js";
import type { Route } from "../load/pipeline.js";
import type { RunStats } from "../load/run-stats.js";
import { isEventObject, type ResolvedObject, resolveObjects, type StreamSpec } from "../targets/streams.js";
import { compileEventMapping, type EventMapper } from "../targets/event/mapper.js";
import { CRM_OBJECT_TARGET } from "../targets/crm-object/target.js";
import { EVENT_TARGET } from "../targets/event/target.js";
import { compileObjectMapping, describeMatchingKeys } from "../mapping/index.js";
import { listPlanner, type PlanSeams, planNotes, planningLinks, planningLists } from "../dry-run/index.js";

export interface WriteRoutes {
  routes: Map<string, Route>;
  eventMappers: EventMapper[];
  hasEvents: boolean;
  /** Work after records' own writes (associations) or after the input (list sweeps). */
  stages: RecordStage[];
  /** Senders for target kinds other than CRM records and events (list memberships). */
  senders: Partial<Record<WriteTarget["kind"], BatchSender>>;
  /** The CRM objects the streams write, with their property definitions, by object name. */
  objects: Map<string, ResolvedObject>;
  /**
   * For `write --plan` (built in place of `senders` and `stages`, which are then empty): planners for target kinds
   * other than CRM records and events (list memberships), and the stages built over read-only stand-ins (see
   * src/dry-run/planner.ts). A stage without one cannot be planned, and the plan refuses to run rather than let it
   * write.
   */
  planners?: Partial<Record<WriteTarget["kind"], TargetPlanner>>;
  planStages?: RecordStage[];
  /** Undoes what only lasts while the run runs (a raw list overwrite's marker): called once it has ended. */
  release: () => Promise<void>;
}

export interface RouteOptions {
  /**
   * A plan: read what a write would read, change nothing (no event definition, list or staging list is created,
   * none deleted), and build the planners and planning stages over its context.
   */
  plan?: PlanSeams | undefined;
  /** A write's `max_list_removals` guard, called with all of an overwrite sweep's removals before the first. */
  beforeListRemovals?: ((count: number) => Promise<void>) | undefined;
  /**
   * A write's guards around a sender (RunCaps.wrap): list streams upsert missing members' records through their own
   * CRM sender, whose creates `max_creates` must count as the main sender's.
   */
  wrapSender?: ((send: BatchSender) => BatchSender) | undefined;
  /** The run's totals, where the links the associations stage makes are counted. */
  stats?: RunStats | undefined;
  /**
   * Called once the token's portal is known (undefined when HubSpot did not say), before anything else is read or
   * created: the portal guard refuses a run for another portal here.
   */
  onPortal?: (hubId: number | undefined) => Promise<void>;
  /** The admission of the clean-up at the end (`release`), which must pass a guard's halt: the governor alone. */
  releaseGate?: RequestGate | undefined;
}

type Log = (level: "INFO" | "WARN", message: string) => void;

export async function buildRoutes(
  config: Config,
  plans: readonly StreamSpec[],
  client: HubSpotClient,
  log: Log,
  step: (operation: string) => void,
  options: RouteOptions = {},
): Promise<WriteRoutes> {
  const listPlans = plans.filter((plan) => isListObject(plan.objectName));
  const crmPlans = plans.filter((plan) => !isEventObject(plan.objectName) && !isListObject(plan.objectName));
  const eventPlans = plans.filter((plan) => isEventObject(plan.objectName));
  // Scopes first: a token that cannot write must not spend requests reading definitions it cannot use.
  step("checking the token's write scopes");
  const granted = await checkWriteScopes(config, plans, client, log);
  await options.onPortal?.(granted?.hubId);
  step("reading the property definitions of the configured objects");
  const objects = await resolveObjects(
    [...crmPlans.map((plan) => plan.objectName), ...associationObjects(config)],
    client,
  );
  step("reading the custom event definitions");
  const definitions =
    eventPlans.length > 0
      ? await prepareEventDefinitions(client, config.events, log, { dryRun: options.plan !== undefined })
      : [];
  const routes = new Map<string, Route>();
  for (const plan of crmPlans) routes.set(plan.key, crmRoute(config, plan, objects));
  const eventMappers: EventMapper[] = [];
  for (const plan of eventPlans) {
    const route = eventRoute(config, plan, definitions);
    eventMappers.push(route.mapper);
    routes.set(plan.key, route);
  }
  const built = { routes, eventMappers, hasEvents: eventPlans.length > 0, objects };
  const added = await addStages(config, listPlans, built, { client, log, step, options });
  const { stages, senders, release } = added;
  const planning = options.plan;
  if (!planning) return { ...built, stages, senders, release };
  if (eventPlans.length > 0) planning.context.caveat(EVENT_CAVEAT);
  if (listPlans.length > 0) planning.context.caveat(LIST_CAVEAT);
  const planners: WriteRoutes["planners"] = senders.list ? { list: listPlanner(senders.list) } : {};
  return { ...built, stages: [], senders: {}, planners, planStages: stages, release };
}

const EVENT_CAVEAT = "Whether HubSpot accepts each event is known only when the batch is sent.";
const LIST_CAVEAT =
  "Members others add to or remove from a list between the plan and the write change its add, remove and unchanged verdicts, and an overwrite's sweep.";

/**
 * The associations stage (and the linked streams' mappers), and the list streams' routes, sender and stage; in a
 * plan, built over its stand-ins (src/dry-run/route-seams.ts), with the lists' log turned into the plan's notes.
 */
async function addStages(
  config: Config,
  listPlans: readonly StreamSpec[],
  built: Pick<WriteRoutes, "routes" | "objects">,
  run: { client: HubSpotClient; log: Log; step: (operation: string) => void; options: RouteOptions },
): Promise<Pick<WriteRoutes, "stages" | "senders" | "release">> {
  const { client, log, options } = run;
  const { routes, objects } = built;
  const planning = options.plan;
  const stages: RecordStage[] = [];
  const senders: WriteRoutes["senders"] = {};
  let release: () => Promise<void> = async () => undefined;
  run.step("reading the association labels of the linked objects");
  const targets = new Map([...routes].map(([key, route]) => [key, route.target]));
  const associations = await buildAssociations(
    config,
    targets,
    objects,
    client,
    (text) => log("WARN", text),
    {
      onLinks: (target, changes) => {
        const linked = changes.filter((change) => change.verdict === "link").length;
        options.stats?.links(target.key, linked, changes.length - linked);
      },
      planning: planning ? planningLinks(planning, targets, client) : undefined,
    },
  );
  for (const [key, route] of routes) route.mapper = associations.mapperFor(key, route.mapper);
  if (associations.stage) stages.push(associations.stage);
  if (listPlans.length > 0) {
    run.step("finding the lists (segments) the catalog writes");
    const onEffect = (target: WriteTarget, effect: "created" | "removed", count: number) =>
      options.stats?.effectApart(target.key, effect, count);
    const writing = {
      beforeListRemovals: options.beforeListRemovals,
      ...(options.releaseGate ? { releaseGate: options.releaseGate } : {}),
      ...(options.wrapSender ? { crmSender: options.wrapSender(createCrmSender(client, client.paths)) } : {}),
    };
    const lists = await buildListRoutes(
      config,
      listPlans,
      client,
      objects,
      planning ? planNotes(planning.context) : log,
      { ...(planning ? planningLists(planning, client) : writing), onEffect },
    );
    for (const [key, route] of lists.routes) routes.set(key, route);
    stages.push(lists.stage);
    senders.list = lists.sender;
    release = lists.release;
  }
  return { stages, senders, release };
}

function crmRoute(
  config: Config,
  plan: StreamSpec,
  objects: Awaited<ReturnType<typeof resolveObjects>>,
): Route {
  const object = objects.get(plan.objectName);
  if (!object) throw new ConfigError(`HubSpot has no object ${plan.objectName}.`);
  if (plan.raw && plan.idProperty === "") {
    // Raw pipe mode without --key, for an object with no default key (write-parts.ts rawPlan).
    throw new UsageError(
      `--object ${plan.objectName} needs --key: the property HubSpot matches each record on. ${describeMatchingKeys(plan.objectName, object.properties)}`,
    );
  }
  if (plan.mode === "send")
    throw new ConfigError(`Stream ${plan.key}: --mode send is for events, not ${plan.objectName}.`);
  if (plan.mode === "add" || plan.mode === "remove" || plan.mode === "replace") {
    throw new ConfigError(
      `Stream ${plan.key}: --mode ${plan.mode} is for lists (list:<name>), not ${plan.objectName}.`,
    );
  }
  return {
    target: { ...plan, objectType: object.objectType, ...CRM_OBJECT_TARGET },
    mapper: compileMapper(config, plan, object.properties),
  };
}

function eventRoute(
  config: Config,
  plan: StreamSpec,
  definitions: Awaited<ReturnType<typeof prepareEventDefinitions>>,
): Route & { mapper: EventMapper } {
  if (plan.mode !== "upsert" && plan.mode !== "send") {
    throw new ConfigError(
      `Stream ${plan.key} writes the events ${plan.objectName}, which can only be appended (sent).`,
    );
  }
  const mapper = compileEventMapping({
    objectName: plan.objectName,
    streamKey: plan.key,
    definitions,
    events: config.events,
    unknownProperties: config.unknown_properties,
    dateTimeZone: config.date_time_zone,
  });
  const target = {
    ...plan,
    mode: "send" as const,
    objectType: plan.objectName,
    ...EVENT_TARGET,
    batchSize: config.events.batch_size,
    lingerMs: config.events.linger_ms,
  };
  return { target, mapper };
}

function compileMapper(config: Config, plan: StreamSpec, properties: readonly Property[]) {
  return compileObjectMapping({
    objectName: plan.objectName,
    properties,
    matchingKey: plan.idProperty,
    mode: plan.mode === "update" || plan.mode === "archive" ? plan.mode : "upsert",
    unknownProperties: config.unknown_properties,
    nullValues: config.null_values,
    dateTimeZone: config.date_time_zone,
  });
}

/**
 * Fails before any record is read when the token lacks a write scope a stream needs (today the first batch would
 * fail with a 403 mid-run). When HubSpot cannot say what the token may do, the run goes on and says so.
 */
export async function checkWriteScopes(
  config: Config,
  plans: readonly StreamSpec[],
  client: HubSpotClient,
  log: Log,
): Promise<GrantedScopes | undefined> {
  const granted = await grantedScopes(client);
  if (!granted) {
    log(
      "INFO",
      "HubSpot did not say which scopes this token has, so write scopes were not checked before writing.",
    );
    return undefined;
  }
  const problems: string[] = [];
  for (const plan of plans) {
    const needed = isEventObject(plan.objectName)
      ? eventWriteScopes(config.events.create_definitions)
      : isListObject(plan.objectName)
        ? listWriteScopes(plan.objectName, plan.mode, config.lists.create_missing_records)
        : objectWriteScopes(plan.objectName, plan.mode);
    const missing = missingScopes(granted.scopes, needed);
    if (missing.length > 0) {
      problems.push(`stream ${plan.key} (${plan.objectName}) needs ${describeScopeRequirements(missing)}`);
    }
  }
  for (const { entry, needed } of associationScopes(config, plans)) {
    const missing = missingScopes(granted.scopes, needed);
    if (missing.length > 0) problems.push(`${entry} needs ${describeScopeRequirements(missing)}`);
  }
  if (problems.length > 0) {
    throw new ConfigError(
      `The ${granted.credential} token of portal ${granted.hubId} lacks scopes this catalog needs: ${problems.join("; ")}. Add them to the app (or key), then run again.`,
    );
  }
  return granted;
}
