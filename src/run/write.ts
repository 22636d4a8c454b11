/**
 * A write run (`write`, `replay`, and `write --plan`): records from the input into HubSpot, or what writing them
 * would do. The command has read the config and resolved the streams (targets/streams.ts); then:
 *
 * 1. Build the run's parts (setup.ts): guards, clients, counted stats, the receipt's sources; open the rejects
 *    store, or the plan file in its place.
 * 2. Wire the stops (stop.ts): a signal, stdout closing, `--max-rejects`, the daily budget.
 * 3. Build the routes (routes.ts): scopes and the portal guard, each kind's routes, the associations stage; then
 *    what the kinds change before the first record.
 * 4. Run the pipeline (pipeline.ts) until the input ends, a stop comes or a guard halts it: with the routes'
 *    senders and stages, or the plan's planners.
 * 5. Store the rejects and report (finish.ts); however the run ended, undo what lasts only while it runs (a raw list
 *    overwrite's marker) and write the receipt (receipt.ts).
 */
import { TransientError } from "../errors.js";
import type { PlanRun } from "../dry-run/index.js";
import { toConnectorError as classifyHubSpotError } from "../hubspot/classify.js";
import { readLines } from "../protocol/reader.js";
import type { RunOutcome } from "../receipt/receipt.js";
import type { RunSinks } from "../rejects/create-sink.js";
import { finish } from "./finish.js";
import { countingIsolation, startRunProgress, watchStdout } from "./parts.js";
import { planParts, sendAll, writeParts } from "./pipeline.js";
import { writeReceipt } from "./receipt.js";
import { buildRoutes, type RunRoutes } from "./routes.js";
import { createRun, openSink, type WriteRun } from "./setup.js";
import { describeStop, wireStop } from "./stop.js";
import type { WriteReport } from "./summary.js";
import type { RunInput, RunOptions, WriteIo, WriteResult } from "./types.js";

/** What the run is doing now, for the message of a failure. */
interface Step {
  operation: string;
}

type Opened = RunSinks & { plan: PlanRun | undefined };

export async function runWrite(input: RunInput, options: RunOptions, io: WriteIo): Promise<WriteResult> {
  const run = await createRun(input, options, io);
  let outcome: RunOutcome = { status: "finished" };
  let unsettled: number | undefined;
  const step: Step = { operation: "opening the rejects store" };
  let result: WriteResult;
  try {
    result = await execute(run, options, step);
    unsettled = result.stats.unsettled;
    if (result.stopReason) outcome = { status: "stopped", by: describeStop(result.stopReason) ?? "a stop" };
  } catch (error) {
    const failure = classifyHubSpotError(error, step);
    const message = io.writer.mask.apply(failure.message);
    outcome = { status: "failed", failureType: failure.failureType, message };
    throw failure;
  } finally {
    run.progress?.stop();
    await run.release?.();
    await writeReceipt(run.receipt, outcome, unsettled, run.log);
    await run.clients.client.close();
  }
  // The daily budget stops the run cleanly, as a signal does (the receipt says so), and ends it with a
  // transient_error naming the guard, so the platform runs the sync again later.
  if (result.stopReason?.kind === "daily-budget") throw new TransientError(result.stopReason.message);
  return result;
}

/** Steps 1 to 5. */
async function execute(run: WriteRun, options: RunOptions, step: Step): Promise<WriteResult> {
  const opened = await openSink(run, options);
  run.receipt.rejectsLocation = opened.sink.location;
  run.receipt.unchanged = opened.plan?.unchanged;
  const report = reporter(run, opened);
  wireStops(run, opened, report);
  const routes = await prepareRoutes(run, opened.plan, step);
  step.operation = opened.plan ? "planning records" : "writing records";
  const setupRequests = run.clients.tally.sent;
  const result = await readAndSend(run, routes, opened);
  step.operation = opened.plan ? "writing the plan" : "storing rejected records";
  return finish(run, { ...opened, report, setupRequests, closing: routes.closing() }, result);
}

/** The report as it stands, with `unsettled` records left. */
function reporter(run: WriteRun, opened: Opened): (unsettled: number) => WriteReport {
  return (unsettled) => ({
    stats: run.stats,
    unsettled,
    location: opened.sink.location,
    discarding: opened.discarding,
    requests: run.clients.tally,
    stoppedBy: describeStop(run.shutdown?.reason),
  });
}

/** Step 2. */
function wireStops(run: WriteRun, opened: Opened, report: (unsettled: number) => WriteReport): void {
  const { io, shutdown } = run;
  if (!shutdown) return;
  // No receipt can be written now: the file opened for it is not left behind empty.
  const beforeForcedExit = () => {
    run.progress?.stop();
    run.receipt.file?.removeIfUntouchedSync();
  };
  const { writer, stderr } = io;
  const { sink, file } = opened;
  const parts = { shutdown, raw: run.human, writer, stderr, log: run.log, sink, file, beforeForcedExit };
  wireStop({ ...parts, report: () => report(0) });
  if (!run.human) watchStdout(io.writer, shutdown);
}

/** Step 3: the routes, once the portal guard has passed; the receipt learns the streams' targets. */
async function prepareRoutes(run: WriteRun, plan: PlanRun | undefined, step: Step): Promise<RunRoutes> {
  const { clients, guards } = run;
  const routes = await buildRoutes(run.specs, {
    config: run.config,
    client: clients.client,
    log: run.log,
    step: (now) => (step.operation = now),
    isolation: countingIsolation(run.receipt.isolation),
    separateGate: clients.separateGate,
    wrapSender: (send) => guards.wrapSender(send),
    beforeListRemovals: (count) => guards.caps.beforeListRemovals(count),
    releaseGate: clients.governor,
    stats: run.stats,
    plan: plan ? { context: plan.context, projection: plan.projection } : undefined,
    onPortal: (hubId) =>
      guards.checkPortal(hubId, async () => (await clients.client.getAccountDetails()).portalId),
  });
  run.release = routes.release;
  await routes.open();
  guards.afterSetup();
  const targets = [...routes.routes.values()].map(({ target }) => target);
  run.receipt.targets = new Map(
    targets.map((target) => {
      const { streamName: stream, namespace, objectName: object, mode } = target;
      return [target.key, { stream, namespace, object, mode }];
    }),
  );
  return routes;
}

/** Step 4: the input (stdin, or what the command prepared) through the pipeline. */
async function readAndSend(run: WriteRun, routes: RunRoutes, opened: Opened) {
  const { io } = run;
  const { plan, sink } = opened;
  if (run.lines === undefined && (io.stdin as { isTTY?: boolean }).isTTY) {
    io.stderr.write("Reading records from the terminal, one JSON object a line; end with Ctrl-D.\n");
  }
  run.progress = startRunProgress(io, run.human, run.stats, run.clients.tally, run.clients.waitedMs);
  const input = run.lines ?? readLines(io.stdin);
  for (const route of routes.routes.values())
    if (route.timed) run.receipt.eventLatency.measure(route.target.key);
  const latency = run.receipt.eventLatency;
  // Read times are kept only where records are timed (events): their latency is the receipt's.
  const lines = plan || !latency.measuring ? input : latency.stamp(input);
  const parts = plan ? planParts(routes, plan) : writeParts(routes, run);
  const result = await sendAll(run, routes, { ...parts, sink, planning: plan !== undefined }, lines);
  run.progress.stop();
  return result;
}
