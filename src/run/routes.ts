/**
 * The routes a write (or a plan) sends records through, built before any record is read:
 *
 * 1. The token's write scopes, for every stream and association entry (scopes.ts); then the portal guard.
 * 2. Each kind builds its streams' routes, in the registry's order (targets/index.ts): reads and checks only.
 * 3. The associations stages, over every route's target (links after the write; a create's links found before
 *    it); the linked streams' mappers are wrapped so their association fields are checked as keys and never
 *    written as properties.
 * 4. What the kinds change in HubSpot before the first record (`open`: a missing list created, an overwrite's
 *    marker and staging list), once everything above was checked; `release` undoes what lasts only while the run
 *    runs, however it ended.
 * In a plan, the kinds and the stage build over the plan's stand-ins, and each route carries its planner.
 */
import { associationObjects, buildAssociations } from "../associations/index.js";
import type { InputStage, KindRoutes, RecordStage, Route, StreamSpec } from "../contract.js";
import { ObjectCatalog, type ResolvedObject } from "../hubspot/objects.js";
import { TARGET_KINDS } from "../targets/index.js";
import type { KindRun } from "../targets/kind.js";
import { checkWriteScopes } from "./scopes.js";

export interface RunRoutes {
  /** Every stream's route, by stream key. */
  routes: Map<string, Route>;
  /** The kinds' stages, then the associations stage. */
  stages: RecordStage[];
  /** Work before records are batched: the targets of creates' links found (associations/inline.ts). */
  inputStages: InputStage[];
  /** What the kinds change in HubSpot before the first record (step 4). */
  open(): Promise<void>;
  /** Undoes what only lasts while the run runs (a raw list overwrite's marker): called once it has ended. */
  release(): Promise<void>;
  /** WARN lines for the end of the run. */
  closing(): string[];
  /** The most records one request slot holds in flight, over the kinds that say (events). */
  slotRecords: number;
  /** The objects the run read, with their property definitions. */
  objects: ObjectCatalog;
}

/** What building the routes needs of the run: the kinds' run, less the objects it reads, and the portal guard. */
export interface RouteParts extends Omit<KindRun, "objects"> {
  /** Once the token's portal is known (undefined when HubSpot did not say), before anything else is read. */
  onPortal(hubId: number | undefined): Promise<void>;
}

export async function buildRoutes(specs: readonly StreamSpec[], parts: RouteParts): Promise<RunRoutes> {
  const { config, client, log, step } = parts;
  // Scopes first: a token that cannot write must not spend requests reading definitions it cannot use.
  step("checking the token's write scopes");
  const granted = await checkWriteScopes(config, specs, client, log);
  await parts.onPortal(granted?.hubId);
  const run: KindRun = { ...parts, objects: new ObjectCatalog(client) };
  // The objects links go to are checked before any kind may change anything (an event definition it creates).
  step("reading the property definitions of the configured objects");
  const linked = await run.objects.resolve(associationObjects(config));
  const built: KindRoutes[] = [];
  for (const kind of TARGET_KINDS) {
    const mine = specs.filter((spec) => spec.kind === kind.name);
    if (mine.length > 0) built.push(await kind.build(mine, run));
  }
  const routes = new Map(built.flatMap((kind) => kind.routes).map((route) => [route.target.key, route]));
  const associations = await addAssociations(routes, linked, run);
  const stages = [
    ...built.flatMap((kind) => kind.stages ?? []),
    ...(associations.stage ? [associations.stage] : []),
  ];
  return {
    routes,
    stages,
    inputStages: associations.inputStage ? [associations.inputStage] : [],
    open: async () => {
      for (const kind of built) await kind.open?.();
    },
    release: async () => {
      for (const kind of built) await kind.release?.();
    },
    closing: () => built.flatMap((kind) => kind.closing?.() ?? []),
    slotRecords: Math.max(0, ...built.map((kind) => kind.slotRecords ?? 0)),
    objects: run.objects,
  };
}

/** Step 3: the associations stage, when the config has entries that apply; the linked streams' mappers wrapped. */
async function addAssociations(
  routes: Map<string, Route>,
  objects: ReadonlyMap<string, ResolvedObject>,
  run: KindRun,
): Promise<{ stage: RecordStage | undefined; inputStage: InputStage | undefined }> {
  const { config, client, stats } = run;
  run.step("reading the association labels of the linked objects");
  const targets = new Map([...routes].map(([key, route]) => [key, route.target]));
  const associations = await buildAssociations(
    config,
    targets,
    objects,
    client,
    (text) => run.log("WARN", text),
    {
      onLinks: (target, changes) => {
        const linked = changes.filter((change) => change.verdict === "link").length;
        stats.links(target.key, linked, changes.length - linked);
      },
      plan: run.plan?.context,
    },
  );
  for (const [key, route] of routes) route.mapper = associations.mapperFor(key, route.mapper);
  return associations;
}
