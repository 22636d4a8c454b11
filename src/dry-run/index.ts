/**
 * `write --plan FILE`: the write's own pipeline with planners in place of its senders and stages (planner.ts),
 * the plan file as its rejects store and last stage (recorder.ts), no STATE echoed, and the summary last
 * (summary.ts). Nothing is written to HubSpot: every request a plan makes is a read.
 */
import type { BatchSender, PlanContext, RecordStage, TargetPlanner, WriteTarget } from "../contract.js";
import { ConfigError, TransientError } from "../errors.js";
import type { ApiPaths } from "../hubspot/api-paths.js";
import type { JsonTransport } from "../hubspot/transport.js";
import type { Property } from "../hubspot/types.js";
import { LineFile } from "../rejects/line-file.js";
import type { ResolvedObject } from "../targets/streams.js";
import { createCrmPlanner } from "../targets/crm-object/planner.js";
import { createPlanContext, EVENT_PLANNER, plannerSender } from "./planner.js";
import { PlanRecorder, wrapStagePlanner } from "./recorder.js";
import { buildPlanSummary, describePlanSummary, type PlanSummaryParts } from "./summary.js";

export { type PlanSeams, planNotes, planningLinks, planningLists } from "./route-seams.js";
export { listPlanner } from "../targets/list/planning.js";
export { describePlanSummary } from "./summary.js";

/** Opens (truncates) the plan file before anything is read: a path that cannot be written fails the run first. */
export function openPlanFile(path: string): Promise<LineFile> {
  return LineFile.open(path, {
    flags: "w",
    sync: false,
    openError: (location, code) =>
      new ConfigError(`Cannot open the plan file ${location} for writing (${code}).`),
    writeError: (location, reason, cause) =>
      new TransientError(`Could not write the plan file ${location} (${reason}).`, { cause }),
  });
}

/**
 * What a plan needs of the write's routes (commands/write-routes.ts builds them over the plan's `context`, since a
 * list's setup, before any record, already has writes to hold back).
 */
export interface PlanRoutes {
  routes: ReadonlyMap<string, { target: WriteTarget }>;
  /** The write's stages: a route builder that has one and no planner for it leaves `planStages` undefined. */
  stages: readonly RecordStage[];
  objects: ReadonlyMap<string, ResolvedObject>;
  planners?: Partial<Record<WriteTarget["kind"], TargetPlanner>> | undefined;
  /** The stages' read-only stand-ins, built over the plan's context (see src/dry-run/planner.ts). */
  planStages?: readonly RecordStage[] | undefined;
}

export interface PlanRunParts {
  transport: JsonTransport;
  paths: Pick<ApiPaths, "crmBatch">;
  /** Raw pipe mode: the one stream's key. */
  rawStreamKey?: string | undefined;
}

export interface PlanRun {
  /** The plan's rejects store: a `reject` line per record a write would reject (usable before `attach`). */
  sink: PlanRecorder;
  /** What the routes' planners and planning stages report to (usable before `attach`). */
  context: PlanContext;
  /** The CRM planner, for routes that upsert records on the way (a list's missing members). */
  crm: TargetPlanner;
  /** Once the routes are built: the planners as the pipeline's sender, and the stages' planners then the recorder. */
  attach(routes: PlanRoutes): { send: BatchSender; stages: RecordStage[] };
  /** Per stream key, records found unchanged (for the receipt). */
  unchanged(): Map<string, number>;
  /** Writes the summary as the file's last line, closes it, and answers the summary for people. */
  complete(
    parts: Omit<PlanSummaryParts, "tallies" | "targets" | "counts" | "forgottenKeys">,
  ): Promise<string[]>;
}

export function createPlanRun(file: LineFile, parts: PlanRunParts): PlanRun {
  let definitions: (target: WriteTarget) => ReadonlyMap<string, Property> = () => new Map();
  const recorder = new PlanRecorder(file, (target) => definitions(target), parts.rawStreamKey);
  const context = createPlanContext((line) => recorder.addLine(line));
  const crm = createCrmPlanner({
    transport: parts.transport,
    paths: parts.paths,
    definitions: (target) => definitions(target),
  });
  let targets = new Map<string, WriteTarget>();
  return {
    sink: recorder,
    context,
    crm,
    attach(routes) {
      definitions = definitionsOf(routes);
      targets = new Map([...routes.routes.values()].map((route) => [route.target.key, route.target]));
      if (routes.stages.length > 0 && !routes.planStages) {
        throw new ConfigError(
          "write --plan cannot plan this catalog: a stream needs work after its records' writes (associations or a list sweep) that has no planner, and a plan must not write.",
        );
      }
      const planners: Partial<Record<WriteTarget["kind"], TargetPlanner>> = {
        crm,
        event: EVENT_PLANNER,
        ...routes.planners,
      };
      const unplanned = [...targets.values()].find((target) => !planners[target.kind]);
      if (unplanned) {
        throw new ConfigError(
          `write --plan cannot plan stream ${unplanned.key}: streams of kind ${unplanned.kind} have no planner yet, and a plan must not write.`,
        );
      }
      const stagePlanners = (routes.planStages ?? []).map((stage) => wrapStagePlanner(stage, recorder));
      return { send: plannerSender(planners, context), stages: [...stagePlanners, recorder] };
    },
    unchanged: () =>
      new Map([...recorder.tallies].map(([key, tally]) => [key, tally.verdicts.get("unchanged") ?? 0])),
    async complete(summaryParts) {
      const summary = buildPlanSummary({
        ...summaryParts,
        tallies: recorder.tallies,
        targets,
        counts: context,
        forgottenKeys: crm.projection.forgotten,
      });
      await recorder.complete(summary);
      return describePlanSummary(summary, file.location);
    },
  };
}

/** The property definitions of each target's object, by name, built once per object. */
function definitionsOf(routes: PlanRoutes): (target: WriteTarget) => ReadonlyMap<string, Property> {
  const cache = new Map<string, ReadonlyMap<string, Property>>();
  return (target) => {
    let map = cache.get(target.objectName);
    if (!map) {
      const properties = routes.objects.get(target.objectName)?.properties ?? [];
      map = new Map(properties.map((property) => [property.name, property]));
      cache.set(target.objectName, map);
    }
    return map;
  };
}
