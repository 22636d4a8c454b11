/**
 * The write loop: stdin lines → route → map → batch → send → settle → checkpoints.
 *
 * 1. Each line becomes a record, a state, or a rejected line (intake.ts).
 * 2. A record is admitted to the checkpoint tracker, mapped by its stream's mapper, checked against the values
 *    HubSpot already refused this run, and batched — or rejected with the reason.
 * 3. A STATE goes to the tracker, which echoes it once everything before it is settled; if nothing is in flight,
 *    the open batches are sent at once rather than after their linger.
 * 4. Reading pauses while too many records are on their way to HubSpot (batched, queued, sending, or held by a
 *    stage), too many rejected records wait for the rejects store, or too many bytes of input are unsettled.
 *    Memory stays flat whatever the input or record size. The rejects store has its own bound and is flushed
 *    as it nears it, so storing rejected records never narrows what may be sent, and a pause sends a partly
 *    filled batch early only when nothing else would free room: batches form as they would with no store.
 * 5. A written record that a stage has more work for (its associations) is settled by that stage, not at once;
 *    every written record's HubSpot id is shown to the stages. When reading is paused and only the stages hold
 *    records, they are told (`relieve`), so a stage waiting for later input lets some records go. At end of input
 *    the open batches are sent, the stages finish (targets never written, a list's sweep), the rejects store is
 *    flushed, and every state released.
 * 6. A fatal error halts the tracker (no STATE past it), stops reading, and is rethrown for the CLI to report;
 *    so does `halt` (a guard), with the error it was aborted with.
 * 7. `stop` (a signal) ends reading at once: nothing more is sent, requests in flight finish, rejected records
 *    are stored, and the states that became safe are echoed; the rest is left for the next run.
 */
import type { InputLine } from "../protocol/reader.js";
import type { PipelineOptions, PipelineResult } from "./pipeline-options.js";
import { PipelineRun } from "./pipeline-run.js";
import { untilStopped } from "./until-stopped.js";

export {
  DEFAULT_MAX_IN_FLIGHT_BYTES,
  MAX_KEPT_RAW_LINE,
  type PipelineOptions,
  type PipelineResult,
} from "./pipeline-options.js";

export async function runPipeline(
  lines: AsyncIterable<InputLine>,
  options: PipelineOptions,
): Promise<PipelineResult> {
  const run = new PipelineRun(options);
  const ended = run.listen();
  try {
    for await (const line of untilStopped(lines, ended)) {
      if (run.ending) break;
      run.intake(line);
      await run.holdReading();
    }
    return await run.drain();
  } finally {
    run.close();
  }
}
