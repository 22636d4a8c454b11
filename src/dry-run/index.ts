/**
 * `write --plan FILE`: the write's own pipeline with planners in place of its senders and stages (planner.ts),
 * the plan file as its rejects store and last stage (recorder.ts), no STATE echoed, and the summary last
 * (summary.ts). Nothing is written to HubSpot: every request a plan makes is a read. The kinds build their routes
 * over the plan's context and projection, with a planner on each route and stages over stand-ins.
 */
import type { BatchSender, PlanContext, RecordStage, Route, WriteTarget } from "../contract.js";
import { ConfigError, TransientError } from "../errors.js";
import type { Property } from "../hubspot/types.js";
import { LineFile } from "../rejects/line-file.js";
import { createPlanContext, plannerSender, type PropertyPlan } from "./planner.js";
import { Projection } from "./projection.js";
import { PlanRecorder, wrapStagePlanner } from "./recorder.js";
import { buildPlanSummary, describePlanSummary, type PlanSummaryParts } from "./summary.js";

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

export interface PlanRun {
  /** The plan's rejects store: a `reject` line per record a write would reject (usable before `attach`). */
  sink: PlanRecorder;
  /** What the routes' planners and planning stages report to (usable before `attach`), and properties/. */
  context: PlanContext & PropertyPlan;
  /** What the plan's verdicts would leave of each record, shared by every planner of the run. */
  projection: Projection;
  /**
   * Once the routes are built: the routes' planners as the pipeline's sender, and the stages (built over the
   * plan's stand-ins) then the recorder. `definitions` gives each target's property definitions.
   */
  attach(
    routes: ReadonlyMap<string, Route>,
    stages: readonly RecordStage[],
    definitions: (target: WriteTarget) => ReadonlyMap<string, Property>,
  ): { send: BatchSender; stages: RecordStage[] };
  /** Per stream key, records found unchanged (for the receipt). */
  unchanged(): Map<string, number>;
  /** Writes the summary as the file's last line, closes it, and answers the summary for people. */
  complete(
    parts: Omit<PlanSummaryParts, "tallies" | "targets" | "counts" | "forgottenKeys">,
  ): Promise<string[]>;
}

export function createPlanRun(file: LineFile, rawStreamKey?: string): PlanRun {
  let definitions: (target: WriteTarget) => ReadonlyMap<string, Property> = () => new Map();
  const recorder = new PlanRecorder(file, (target) => definitions(target), rawStreamKey);
  const context = createPlanContext((line) => recorder.addLine(line));
  const projection = new Projection();
  let targets = new Map<string, WriteTarget>();
  return {
    sink: recorder,
    context,
    projection,
    attach(routes, stages, definitionsOf) {
      definitions = definitionsOf;
      targets = new Map([...routes.values()].map((route) => [route.target.key, route.target]));
      const unplanned = [...routes.values()].find((route) => !route.plan);
      if (unplanned) {
        throw new ConfigError(
          `write --plan cannot plan stream ${unplanned.target.key}: streams of kind ${unplanned.target.kind} have no planner yet, and a plan must not write.`,
        );
      }
      const send = plannerSender((target) => routes.get(target.key)?.plan, context);
      return { send, stages: [...stages.map((stage) => wrapStagePlanner(stage, recorder)), recorder] };
    },
    unchanged: () =>
      new Map([...recorder.tallies].map(([key, tally]) => [key, tally.verdicts.get("unchanged") ?? 0])),
    async complete(summaryParts) {
      const summary = buildPlanSummary({
        ...summaryParts,
        tallies: recorder.tallies,
        targets,
        counts: context,
        forgottenKeys: projection.forgotten,
      });
      await recorder.complete(summary);
      return describePlanSummary(summary, file.location);
    },
  };
}
