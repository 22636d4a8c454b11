import { describe, expect, it } from "vitest";
import type {
  BatchSender,
  InputOutcome,
  RecordMapper,
  StageRecord,
  WriteTarget,
} from "../../../src/contract.js";
import type { StateMessage } from "../../../src/load/checkpoints.js";
import { runPipeline } from "../../../src/load/pipeline.js";
import type { InputLine } from "../../../src/protocol/reader.js";
import type { RejectsSink } from "../../../src/rejects/sink.js";
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
  map: (data) => ({
    ok: true,
    id: String((data as { deal_id: string }).deal_id),
    properties: { dealname: "x" },
  }),
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
const sink: RejectsSink = {
  location: "memory",
  countsByCode: new Map(),
  add: (_record, onDurable) => onDurable(),
  flush: async () => {},
  close: async () => {},
};
const base = { sink, batchSize: 1, lingerMs: 0, maxInFlightRecords: 1, log: () => {} };

describe("pipeline halt", () => {
  it("ends the run like a fatal error once halted: the error is rethrown, nothing more is sent and no STATE after it is echoed", async () => {
    const halt = new AbortController();
    const sent: string[] = [];
    const states: StateMessage[] = [];
    const send: BatchSender = async (_t, inputs) => {
      sent.push(...inputs.map((input) => input.id));
      if (sent.length === 2) halt.abort(new Error("guard fired"));
      return new Map(inputs.map((input) => [input.traceId, { status: "written", effect: "created" }]));
    };
    const run = runPipeline(lines(record("d1"), state(1), record("d2"), state(2), record("d3"), state(3)), {
      ...base,
      input: { kind: "airbyte", routes: new Map([["deals", { target, mapper }]]) },
      send,
      emitState: (message) => states.push(message),
      halt: halt.signal,
    });
    await expect(run).rejects.toThrow("guard fired");
    expect(sent).toEqual(["d1", "d2"]);
    expect(states).toHaveLength(1);
  });

  it("hands a planner's detail on to the stage that takes the written record", async () => {
    const taken: StageRecord[] = [];
    const outcome: InputOutcome = {
      status: "written",
      effect: "updated",
      detail: { current: { dealname: "old" } },
    };
    await runPipeline(lines(record("d1")), {
      ...base,
      input: { kind: "airbyte", routes: new Map([["deals", { target, mapper }]]) },
      send: async (_t, inputs) => new Map(inputs.map((input) => [input.traceId, outcome])),
      emitState: () => {},
      stages: [
        {
          wants: () => true,
          take: (record, settle) => {
            taken.push(record);
            settle({ status: "written", effect: record.effect });
          },
          finish: async () => {},
          pending: 0,
        },
      ],
    });
    expect(taken.map((record) => record.detail)).toEqual([{ current: { dealname: "old" } }]);
  });
});
