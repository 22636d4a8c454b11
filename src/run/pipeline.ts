/**
 * The run's pipeline (load/pipeline.ts) over its routes: in a write, each batch goes to its route's sender with
 * the guards' caps around them all, and the event latency stage follows the routes' stages; in a plan, to its
 * route's planner, with the plan's stages and recorder (dry-run/). The in-flight bound holds at least HubSpot's
 * batch size per request slot.
 */
import type { BatchSender, InputStage, RecordStage } from "../contract.js";
import type { PlanRun } from "../dry-run/index.js";
import { CRM_BATCH_LIMIT } from "../hubspot/policies.js";
import { type PipelineResult, runPipeline } from "../load/pipeline.js";
import type { InputLine } from "../protocol/reader.js";
import type { RejectsSink } from "../rejects/sink.js";
import type { RunRoutes } from "./routes.js";
import type { WriteRun } from "./setup.js";

/** What the pipeline sends batches with and hands written records to. */
export interface PipelineParts {
  send: BatchSender;
  stages: RecordStage[];
  /** Work before records are batched (a create's link targets found). */
  inputStages?: InputStage[];
}

/** A write's: the routes' senders with the guards' caps around them, then the routes' stages and the latency. */
export function writeParts(routes: RunRoutes, run: WriteRun): PipelineParts {
  const send: BatchSender = (target, inputs, screen) => {
    const route = routes.routes.get(target.key);
    if (!route) throw new Error(`No route was built for stream ${target.key}.`);
    return route.send(target, inputs, screen);
  };
  return {
    send: run.guards.wrapSender(send),
    stages: [...routes.stages, run.receipt.eventLatency],
    inputStages: routes.inputStages,
  };
}

/** A plan's: the routes' planners, the stages over the plan's stand-ins, then the plan's recorder. */
export function planParts(routes: RunRoutes, plan: PlanRun): PipelineParts {
  const parts = plan.attach(routes.routes, routes.stages, (target) =>
    routes.objects.propertiesOf(target.objectName),
  );
  return { ...parts, inputStages: routes.inputStages };
}

/** Runs the pipeline over the input with the run's routes, sender, stages, rejects store, stats, stop and halt. */
export function sendAll(
  run: WriteRun,
  routes: RunRoutes,
  parts: PipelineParts & { sink: RejectsSink; planning: boolean },
  lines: AsyncIterable<InputLine>,
): Promise<PipelineResult> {
  const { config, io } = run;
  const batchSize = Math.min(config.batch_size, CRM_BATCH_LIMIT);
  // At least HubSpot's own batch size per slot, whatever batch_size says: smaller batches are no reason to hold
  // fewer records, and a batch waiting to be retried keeps its records here while the others go on.
  const largestBatch = Math.max(CRM_BATCH_LIMIT, batchSize, routes.slotRecords);
  const streams = routes.routes;
  const first = [...streams.values()][0];
  return runPipeline(lines, {
    input: run.raw && first ? { kind: "raw", route: first } : { kind: "airbyte", routes: streams },
    send: parts.send,
    stages: parts.stages,
    inputStages: parts.inputStages ?? [],
    sink: parts.sink,
    batchSize,
    lingerMs: config.linger_ms,
    maxInFlightRecords: largestBatch * (config.max_concurrent_requests * 2 + streams.size + 1),
    // A plan echoes no STATE: nothing was written, so nothing is checkpointed.
    emitState: parts.planning ? () => undefined : (state) => io.writer.state(state),
    log: run.log,
    redact: (text) => io.writer.mask.apply(text),
    stats: run.stats,
    halt: run.guards.halt,
    ...(run.shutdown ? { stop: run.shutdown.stop } : {}),
  });
}
