/**
 * What happens to a record whose own write HubSpot confirmed: every stage learns its HubSpot id (`observe`), and
 * the first stage with more work for it (its links) takes it and settles it later; otherwise it is settled as
 * written at once.
 */
import type { RecordStage, StageVerdict } from "../contract.js";
import type { Settlement } from "./settlement.js";
import type { WrittenHandler } from "./types.js";

export function handOffWritten(
  stages: readonly RecordStage[],
  settlement: Settlement,
  wake: () => void,
): WrittenHandler {
  return (target, part, effect, key, recordId, detail) => {
    if (recordId !== undefined) for (const stage of stages) stage.observe?.(target, key, recordId);
    const stage = stages.find((candidate) => candidate.wants(target));
    const { record } = part;
    if (!stage) return settlement.written(target, record, effect);
    const stageRecord = {
      target,
      key,
      data: record.data,
      properties: part.properties,
      recordId,
      effect,
      lineNumber: record.lineNumber,
      detail,
    };
    // A paused reader must look again after a take (the stage may now hold all that holds it up) and after a
    // stage's rejection (which waits for the rejects store, that only a look again asks to flush).
    stage.take(stageRecord, (verdict: StageVerdict) => {
      if (verdict.status === "written") return settlement.written(target, record, verdict.effect);
      // Rejected after its own write: HubSpot kept what that write did, and a record it created counts as created.
      settlement.rejectRecord(target, record, verdict.rejection, effect);
      wake();
    });
    wake();
  };
}
