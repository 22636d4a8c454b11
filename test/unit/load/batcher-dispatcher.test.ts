import { describe, expect, it, vi } from "vitest";
import { Batcher } from "../../../src/load/batcher.js";
import { CheckpointTracker } from "../../../src/load/checkpoints.js";
import { Dispatcher } from "../../../src/load/dispatcher.js";
import type { BatchInput, InputOutcome, RecordRef, WriteTarget } from "../../../src/load/types.js";

const target: WriteTarget = {
  key: "users",
  streamName: "users",
  namespace: undefined,
  objectName: "CONTACT",
  objectType: "0-1",
  mode: "upsert",
  idProperty: "email",
  kind: "crm",
};

const tracker = new CheckpointTracker({ release: () => {} });
const ref = (lineNumber: number): RecordRef => ({
  ticket: tracker.admit("users"),
  data: { n: lineNumber },
  emittedAt: 0,
  lineNumber,
});

describe("Batcher", () => {
  it("hands on a batch as soon as it holds batchSize inputs", () => {
    const batches: BatchInput[][] = [];
    const batcher = new Batcher({
      batchSize: 3,
      lingerMs: 60_000,
      onBatch: (_t, inputs) => batches.push(inputs),
    });
    for (let i = 0; i < 7; i += 1) batcher.add(target, `u${i}`, { email: `u${i}` }, ref(i));
    expect(batches.map((b) => b.length)).toEqual([3, 3]);
    batcher.flushAll();
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(batcher.buffered).toBe(0);
  });

  it("merges records with the same key into one input, later values winning", () => {
    const batches: BatchInput[][] = [];
    const batcher = new Batcher({
      batchSize: 10,
      lingerMs: 60_000,
      onBatch: (_t, inputs) => batches.push(inputs),
    });
    batcher.add(target, "a", { email: "a", firstname: "Ann", lastname: "Lee" }, ref(1));
    batcher.add(target, "a", { email: "a", firstname: "Anna" }, ref(2));
    batcher.flushAll();
    expect(batches[0]).toHaveLength(1);
    expect(batches[0]?.[0]?.properties).toEqual({ email: "a", firstname: "Anna", lastname: "Lee" });
    expect(batches[0]?.[0]?.parts).toHaveLength(2);
  });

  it("sends a partly filled batch when its linger time has passed", () => {
    vi.useFakeTimers();
    try {
      const batches: BatchInput[][] = [];
      const batcher = new Batcher({
        batchSize: 100,
        lingerMs: 500,
        onBatch: (_t, inputs) => batches.push(inputs),
      });
      batcher.add(target, "a", {}, ref(1));
      vi.advanceTimersByTime(499);
      expect(batches).toHaveLength(0);
      vi.advanceTimersByTime(2);
      expect(batches).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

function input(id: string, line: number): BatchInput {
  const record = ref(line);
  return {
    traceId: `t${line}`,
    id,
    properties: { email: id },
    parts: [{ properties: { email: id }, record }],
  };
}

describe("Dispatcher", () => {
  it("holds a batch that shares a key with one in flight until that one is done", async () => {
    const order: string[] = [];
    let releaseFirst: () => void = () => {};
    const dispatcher = new Dispatcher({
      send: async (_t, inputs) => {
        const ids = inputs.map((i) => i.id).join(",");
        order.push(`start ${ids}`);
        if (ids === "a,b") await new Promise<void>((resolve) => (releaseFirst = resolve));
        order.push(`end ${ids}`);
        return new Map();
      },
      onWritten: () => {},
      onRejected: () => {},
      onFatal: (error) => {
        throw error;
      },
    });
    dispatcher.submit(target, [input("a", 1), input("b", 2)]);
    dispatcher.submit(target, [input("a", 3)]);
    await Promise.resolve();
    expect(order).toEqual(["start a,b"]);
    releaseFirst();
    await dispatcher.idle();
    expect(order).toEqual(["start a,b", "end a,b", "start a", "end a"]);
  });

  it("retries the records of a rejected merged input one at a time", async () => {
    const written: number[] = [];
    const rejected: number[] = [];
    const dispatcher = new Dispatcher({
      send: async (_t, inputs) => {
        const outcomes = new Map<string, InputOutcome>();
        for (const i of inputs) {
          const bad = i.properties.firstname === "bad";
          outcomes.set(
            i.traceId,
            bad ? { ok: false, rejection: { code: "INVALID", message: "bad" } } : { ok: true },
          );
        }
        return outcomes;
      },
      onWritten: (_t, record) => written.push(record.lineNumber),
      onRejected: (_t, record) => rejected.push(record.lineNumber),
      onFatal: (error) => {
        throw error;
      },
    });
    const good = ref(1);
    const bad = ref(2);
    dispatcher.submit(target, [
      {
        traceId: "m",
        id: "a",
        properties: { firstname: "bad" },
        parts: [
          { properties: { firstname: "Ann" }, record: good },
          { properties: { firstname: "bad" }, record: bad },
        ],
      },
    ]);
    await dispatcher.idle();
    expect(written).toEqual([1]);
    expect(rejected).toEqual([2]);
    expect(dispatcher.records).toBe(0);
  });

  it("reports a connector-level failure once and sends nothing after it", async () => {
    const failures: unknown[] = [];
    let calls = 0;
    const dispatcher = new Dispatcher({
      send: async () => {
        calls += 1;
        throw new Error("token revoked");
      },
      onWritten: () => {},
      onRejected: () => {},
      onFatal: (error) => failures.push(error),
    });
    dispatcher.submit(target, [input("a", 1)]);
    dispatcher.submit(target, [input("b", 2)]);
    await dispatcher.idle();
    dispatcher.submit(target, [input("c", 3)]);
    expect(failures).toHaveLength(1);
    expect(calls).toBeLessThanOrEqual(2);
  });
});
