/**
 * The pipeline's side of the associations stage: a stage that waits for later input must be told when it alone
 * holds reading up (`relieve`), or a run whose bound on unsettled records is full of waiting records never ends.
 */
import { describe, expect, it } from "vitest";
import type {
  RecordMapper,
  RecordStage,
  StageRecord,
  StageVerdict,
  WriteTarget,
} from "../../../src/contract.js";
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
async function* lines(count: number): AsyncGenerator<InputLine> {
  for (let i = 1; i <= count; i += 1) {
    yield {
      lineNumber: i,
      text: JSON.stringify({
        type: "RECORD",
        record: { stream: "deals", data: { deal_id: `d${i}` }, emitted_at: 1 },
      }),
    };
  }
}

/** Holds every record (its target "comes later"); on relieve, rejects the oldest one a moment later. */
function waitingStage() {
  const held: Array<(verdict: StageVerdict) => void> = [];
  let relieved = 0;
  const stage: RecordStage & { relieved(): number } = {
    wants: () => true,
    take: (_record: StageRecord, settle) => held.push(settle),
    relieve: () => {
      relieved += 1;
      const oldest = held.shift();
      setTimeout(
        () =>
          oldest?.({
            status: "rejected",
            rejection: { code: "ASSOCIATION_TARGET_NOT_FOUND", message: "late" },
          }),
        1,
      );
    },
    finish: async () => {
      for (const settle of held.splice(0)) settle({ status: "written" });
    },
    get pending() {
      return held.length;
    },
    relieved: () => relieved,
  };
  return stage;
}

function run(stage: RecordStage, sink: { durableAfterFlush: boolean }) {
  const rejected: RejectedRecord[] = [];
  const waiting: Array<() => void> = [];
  return {
    rejected,
    result: runPipeline(lines(40), {
      input: { kind: "airbyte", routes: new Map([["deals", { target, mapper }]]) },
      send: async (_t, inputs) =>
        new Map(inputs.map((input, i) => [input.traceId, { status: "written", recordId: `${i}` }])),
      sink: {
        location: "memory",
        countsByCode: new Map(),
        add: (rejection, onDurable) => {
          rejected.push(rejection);
          if (sink.durableAfterFlush) waiting.push(onDurable);
          else onDurable();
        },
        flush: async () => {
          for (const done of waiting.splice(0)) done();
        },
        close: async () => {},
      },
      batchSize: 2,
      lingerMs: 0,
      maxInFlightRecords: 6,
      emitState: () => {},
      log: () => {},
      stages: [stage],
    }),
  };
}

describe("pipeline: a stage that alone holds reading up", () => {
  it("is relieved until the input has all been read, and the run ends", async () => {
    const stage = waitingStage();
    const { result, rejected } = run(stage, { durableAfterFlush: false });
    const stats = await result;
    expect(stats.all.read).toBe(40);
    expect(rejected.length).toBeGreaterThan(0);
    expect(stats.all.written + stats.all.rejected).toBe(40);
    expect(stage.relieved()).toBe(rejected.length);
  }, 10_000);

  it("has its rejects stored first when they fill the room, so the store frees it before records are let go", async () => {
    const stage = waitingStage();
    const { result, rejected } = run(stage, { durableAfterFlush: true });
    const stats = await result;
    expect(stats.all.read).toBe(40);
    expect(stats.all.written + stats.all.rejected).toBe(40);
    expect(rejected.length).toBe(stage.relieved());
  }, 10_000);
});
