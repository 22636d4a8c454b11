import { describe, expect, it } from "vitest";
import type {
  RecordMapper,
  RecordStage,
  StageRecord,
  StageVerdict,
  WriteTarget,
} from "../../../src/contract.js";
import type { StateMessage } from "../../../src/load/checkpoints.js";
import { runPipeline } from "../../../src/load/pipeline.js";
import type { InputLine } from "../../../src/protocol/reader.js";
import type { RejectedRecord } from "../../../src/rejects/rejected-record.js";
import { CRM_OBJECT_TARGET } from "../../../src/targets/crm-object/target.js";

const target: WriteTarget = {
  key: "deals",
  streamName: "deals",
  namespace: undefined,
  objectName: "DEAL",
  objectType: "0-3",
  mode: "upsert",
  idProperty: "deal_id",
  ...CRM_OBJECT_TARGET,
};
const mapper: RecordMapper = {
  map: (data) => ({ ok: true, id: String((data as { deal_id: string }).deal_id), properties: {} }),
};

async function* lines(...texts: string[]): AsyncGenerator<InputLine> {
  let lineNumber = 0;
  for (const text of texts) yield { lineNumber: ++lineNumber, text };
}
const record = (id: string) =>
  JSON.stringify({ type: "RECORD", record: { stream: "deals", data: { deal_id: id }, emitted_at: 1 } });
const state = (cursor: number) =>
  JSON.stringify({
    type: "STATE",
    state: { type: "STREAM", stream: { stream_descriptor: { name: "deals" }, stream_state: { cursor } } },
  });

/** A stage that holds every record until `release` is called, then settles it as its script says. */
function holdingStage(verdictFor: (record: StageRecord) => StageVerdict) {
  const held: { record: StageRecord; settle: (verdict: StageVerdict) => void }[] = [];
  const observed: string[] = [];
  const stage: RecordStage & { release(): void } = {
    wants: (candidate) => candidate.key === "deals",
    take: (taken, settle) => held.push({ record: taken, settle }),
    observe: (_t, key, recordId) => observed.push(`${key}=${recordId}`),
    finish: async () => stage.release(),
    get pending() {
      return held.length;
    },
    release() {
      for (const { record: taken, settle } of held.splice(0)) settle(verdictFor(taken));
    },
  };
  return { stage, observed };
}

describe("pipeline stages", () => {
  it("settles a written record only when its stage does, so its STATE waits, and rejects what the stage rejects", async () => {
    const states: StateMessage[] = [];
    const rejected: RejectedRecord[] = [];
    const { stage, observed } = holdingStage((taken) =>
      taken.key === "d2"
        ? { status: "rejected", rejection: { code: "ASSOCIATION_TARGET_NOT_FOUND", message: "no" } }
        : { status: "written", effect: "created" },
    );
    const stats = await runPipeline(lines(record("d1"), record("d2"), state(1)), {
      input: { kind: "airbyte", routes: new Map([["deals", { target, mapper }]]) },
      send: async (_t, inputs) =>
        new Map(
          inputs.map((input, i) => [
            input.traceId,
            { status: "written", effect: "created", recordId: `10${i}` },
          ]),
        ),
      sink: {
        location: "memory",
        countsByCode: new Map(),
        add: (rejection, onDurable) => {
          rejected.push(rejection);
          onDurable();
        },
        flush: async () => {},
        close: async () => {},
      },
      batchSize: 10,
      lingerMs: 0,
      maxInFlightRecords: 100,
      emitState: (message) => states.push(message),
      log: () => {},
      stages: [stage],
    });
    expect(observed.sort()).toEqual(["d1=100", "d2=100"]);
    expect(rejected.map((one) => one.rejection.code)).toEqual(["ASSOCIATION_TARGET_NOT_FOUND"]);
    expect(states).toHaveLength(1);
    expect(states[0]?.destinationStats).toEqual({ recordCount: 1, rejectedRecordCount: 1 });
    expect(stats.all.written).toBe(1);
  });
});
