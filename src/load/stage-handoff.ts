/**
 * What happens to a record whose own write HubSpot confirmed: every stage learns its HubSpot id (`observe`), and
 * the first stage with more work for it (its links) takes it and settles it later; otherwise it is settled as
 * written at once.
 */
import type { InputStage, RecordStage, StageVerdict, WriteTarget } from "../contract.js";
import type { Settlement } from "./settlement.js";
import type { WrittenHandler } from "./types.js";

export interface WrittenHandoff {
  onWritten: WrittenHandler;
  /**
   * At the end of a run: records a stage still holds (a guard or a stop halted it before their links settled)
   * whose own write created them are counted as created, apart. HubSpot did create them, and a receipt saying
   * otherwise would hide what a halted run left behind.
   */
  countHeld(): void;
}

export function handOffWritten(
  stages: readonly RecordStage[],
  settlement: Settlement,
  wake: () => void,
  inputStages: readonly InputStage[] = [],
): WrittenHandoff {
  const heldCreated = new Map<object, WriteTarget>();
  const countHeld = () => {
    for (const target of heldCreated.values()) settlement.createdApart(target);
    heldCreated.clear();
  };
  const onWritten: WrittenHandler = (target, part, effect, key, recordId, detail) => {
    if (recordId !== undefined) {
      for (const stage of stages) stage.observe?.(target, key, recordId);
      for (const stage of inputStages) stage.observe?.(target, key, recordId);
    }
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
    if (effect === "created") heldCreated.set(record, target);
    stage.take(stageRecord, (verdict: StageVerdict) => {
      heldCreated.delete(record);
      if (verdict.status === "written") return settlement.written(target, record, verdict.effect);
      // Rejected after its own write: HubSpot kept what that write did, and a record it created counts as created.
      settlement.rejectRecord(target, record, verdict.rejection, effect);
      wake();
    });
    wake();
  };
  return { onWritten, countHeld };
}
