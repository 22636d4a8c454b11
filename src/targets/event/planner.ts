/** The plan's stand-in for the event sender: events are sent without any read, one request per batch. */
import type { InputOutcome, TargetPlanner } from "../../contract.js";

/** Each occurrence's verdict is `send`. */
export const EVENT_PLANNER: TargetPlanner = {
  async plan(target, inputs, context) {
    context.wouldSend(target, 1);
    return new Map<string, InputOutcome>(
      inputs.map((input) => [input.traceId, { status: "written", effect: "sent" }]),
    );
  },
};
