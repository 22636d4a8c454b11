/** A PlanContext for unit tests that keeps everything it is told. */
import type { PlanContext, PlanLine, WriteTarget } from "../../../src/contract.js";

export function recordingContext() {
  const told = {
    batches: [] as Array<[string, number]>,
    requests: [] as Array<[string | undefined, number]>,
    removals: [] as number[],
    lines: [] as PlanLine[],
    notes: [] as string[],
    caveats: [] as string[],
  };
  const context: PlanContext = {
    wouldSend: (target: WriteTarget, count: number) => told.batches.push([target.key, count]),
    wouldRequest: (target: WriteTarget | undefined, count: number) =>
      told.requests.push([target?.key, count]),
    wouldRemoveListMembers: (count: number) => told.removals.push(count),
    addLine: (line: PlanLine) => told.lines.push(line),
    note: (text: string) => told.notes.push(text),
    caveat: (text: string) => told.caveats.push(text),
  };
  return { context, told };
}
