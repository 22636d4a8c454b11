import { describe, expect, it } from "vitest";
import { CheckpointTracker, type StateMessage } from "../../../src/load/checkpoints.js";
import { streamKey } from "../../../src/protocol/stream-key.js";

const streamState = (name: string, cursor: number): StateMessage => ({
  type: "STREAM",
  stream: { stream_descriptor: { name }, stream_state: { cursor } },
  sourceStats: { recordCount: 0 },
});

function setup() {
  const released: StateMessage[] = [];
  let flushRequests = 0;
  const tracker = new CheckpointTracker({
    release: (state) => released.push(state),
    requestStoreFlush: () => {
      flushRequests += 1;
    },
  });
  return { tracker, released, flushes: () => flushRequests };
}

describe("CheckpointTracker", () => {
  it("releases a state at once when nothing was read before it", () => {
    const { tracker, released } = setup();
    tracker.addState(streamState("users", 1));
    expect(released).toHaveLength(1);
    expect(released[0]?.destinationStats).toEqual({ recordCount: 0 });
  });

  it("holds a state until every record before it is settled", () => {
    const { tracker, released } = setup();
    const a = tracker.admit("users");
    const b = tracker.admit("users");
    tracker.addState(streamState("users", 1));
    tracker.settleWritten(b);
    expect(released).toHaveLength(0);
    tracker.settleWritten(a);
    expect(released).toHaveLength(1);
    expect(released[0]?.destinationStats).toEqual({ recordCount: 2 });
  });

  it("releases states in arrival order even when later windows settle first", () => {
    const { tracker, released } = setup();
    const first = tracker.admit("users");
    tracker.addState(streamState("users", 1));
    const second = tracker.admit("users");
    tracker.addState(streamState("users", 2));
    tracker.settleWritten(second);
    expect(released).toHaveLength(0);
    tracker.settleWritten(first);
    expect(
      released.map((s) => (s.stream as { stream_state: { cursor: number } }).stream_state.cursor),
    ).toEqual([1, 2]);
    expect(released.map((s) => s.destinationStats)).toEqual([{ recordCount: 1 }, { recordCount: 1 }]);
  });

  it("does not count a record read after a state in that state's stats", () => {
    const { tracker, released } = setup();
    const before = tracker.admit("users");
    tracker.addState(streamState("users", 1));
    const after = tracker.admit("users");
    tracker.settleWritten(after);
    tracker.settleWritten(before);
    expect(released[0]?.destinationStats).toEqual({ recordCount: 1 });
  });

  it("reports each stream's own records in its STREAM state, across other streams' windows", () => {
    const { tracker, released } = setup();
    const u1 = tracker.admit("users");
    const o1 = tracker.admit("orders");
    tracker.addState(streamState("orders", 1));
    const u2 = tracker.admit("users");
    tracker.addState(streamState("users", 1));
    for (const t of [u1, o1]) tracker.settleWritten(t);
    tracker.markAwaitingStore(u2);
    tracker.settleRejected(u2);
    expect(released.map((s) => s.destinationStats)).toEqual([
      { recordCount: 1 },
      { recordCount: 1, rejectedRecordCount: 1 },
    ]);
  });

  it("sums every stream in a GLOBAL state", () => {
    const { tracker, released } = setup();
    const tickets = [tracker.admit("a"), tracker.admit("b"), tracker.admit("b")];
    tracker.addState({ type: "GLOBAL", global: { shared_state: { lsn: 5 }, stream_states: [] } });
    tracker.settleWritten(tickets[0] as never);
    tracker.settleWritten(tickets[1] as never);
    tracker.markAwaitingStore(tickets[2] as never);
    tracker.settleRejected(tickets[2] as never);
    expect(released[0]).toMatchObject({
      type: "GLOBAL",
      global: { shared_state: { lsn: 5 } },
      destinationStats: { recordCount: 2, rejectedRecordCount: 1 },
    });
  });

  it("keeps unknown fields of the input state when echoing it", () => {
    const { tracker, released } = setup();
    tracker.addState({ ...streamState("users", 1), id: 77, sourceStats: { recordCount: 3 } });
    expect(released[0]).toMatchObject({ id: 77, sourceStats: { recordCount: 3 } });
  });

  it("asks the store to flush when the oldest state waits only on rejected records", () => {
    const { tracker, flushes } = setup();
    const a = tracker.admit("users");
    const b = tracker.admit("users");
    tracker.addState(streamState("users", 1));
    tracker.markAwaitingStore(a);
    expect(flushes()).toBe(0);
    tracker.settleWritten(b);
    expect(flushes()).toBe(1);
  });

  it("releases nothing after a halt, so the platform replays from the last echoed state", () => {
    const { tracker, released } = setup();
    const a = tracker.admit("users");
    tracker.addState(streamState("users", 1));
    tracker.halt();
    tracker.settleWritten(a);
    expect(released).toHaveLength(0);
    expect(tracker.waitingStates).toBe(1);
  });

  it("names a namespaced stream by namespace and name", () => {
    expect(streamKey("users", "public")).toBe("public.users");
    expect(streamKey("users")).toBe("users");
  });
});
