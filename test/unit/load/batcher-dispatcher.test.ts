import { describe, expect, it, vi } from "vitest";
import type { BatchSender, InputOutcome, WireInput, WriteTarget } from "../../../src/contract.js";
import { Batcher } from "../../../src/load/batcher.js";
import { CheckpointTracker } from "../../../src/load/checkpoints.js";
import { Dispatcher } from "../../../src/load/dispatcher.js";
import type { BatchInput, RecordRef } from "../../../src/load/types.js";
import { mergeCheckboxValue } from "../../../src/mapping/merge.js";
import { CRM_OBJECT_TARGET } from "../../../src/targets/crm-object/target.js";

const target = (key = "users", objectType = "0-1"): WriteTarget => ({
  key,
  streamName: key,
  namespace: undefined,
  objectName: "CONTACT",
  objectType,
  mode: "upsert",
  idProperty: "email",
  ...CRM_OBJECT_TARGET,
});
const users = target();

const tracker = new CheckpointTracker({ release: () => {} });
const ref = (lineNumber: number): RecordRef => ({
  ticket: tracker.admit("users"),
  data: { n: lineNumber },
  emittedAt: 0,
  lineNumber,
  bytes: 10,
});

const collect = (batchSize = 10) => {
  const batches: { target: string; inputs: BatchInput[] }[] = [];
  const batcher = new Batcher({
    batchSize,
    lingerMs: 60_000,
    onBatch: (t, inputs) => batches.push({ target: t.key, inputs }),
  });
  return { batcher, batches };
};

/** A stream's merge rule where `tags` is a multiple-checkbox property. */
const checkboxMerge = (into: Record<string, string>, later: Readonly<Record<string, string>>) => {
  for (const [name, value] of Object.entries(later))
    into[name] = name === "tags" ? mergeCheckboxValue(into[name], value) : value;
  return into;
};

describe("Batcher", () => {
  it("hands on a batch as soon as it holds batchSize inputs", () => {
    const { batcher, batches } = collect(3);
    for (let i = 0; i < 7; i += 1)
      batcher.add(users, { id: `u${i}`, properties: { email: `u${i}` } }, ref(i));
    expect(batches.map((b) => b.inputs.length)).toEqual([3, 3]);
    batcher.flushAll();
    expect(batches.map((b) => b.inputs.length)).toEqual([3, 3, 1]);
    expect(batcher.buffered).toBe(0);
  });

  it("merges records with the same key into one input, later values winning", () => {
    const { batcher, batches } = collect();
    batcher.add(users, { id: "a", properties: { email: "a", firstname: "Ann", lastname: "Lee" } }, ref(1));
    batcher.add(users, { id: "a", properties: { email: "a", firstname: "Anna" } }, ref(2));
    batcher.flushAll();
    expect(batches[0]?.inputs).toHaveLength(1);
    expect(batches[0]?.inputs[0]?.properties).toEqual({ email: "a", firstname: "Anna", lastname: "Lee" });
    expect(batches[0]?.inputs[0]?.parts).toHaveLength(2);
  });

  it("merges two multi-checkbox appends into one append of both, as HubSpot would apply them in turn", () => {
    const { batcher, batches } = collect();
    batcher.add(users, { id: "a", properties: { tags: ";red" } }, ref(1), checkboxMerge);
    batcher.add(users, { id: "a", properties: { tags: ";blue" } }, ref(2), checkboxMerge);
    batcher.add(users, { id: "b", properties: { tags: "green" } }, ref(3), checkboxMerge);
    batcher.add(users, { id: "b", properties: { tags: ";blue" } }, ref(4), checkboxMerge);
    batcher.flushAll();
    expect(batches[0]?.inputs.map((input) => input.properties.tags)).toEqual([";red;blue", "green;blue"]);
  });

  it("sends another stream's open batch first when a record of the same object and key arrives", () => {
    const { batcher, batches } = collect();
    const crm = target("crm_users");
    batcher.add(users, { id: "a", properties: { firstname: "old" } }, ref(1));
    batcher.add(crm, { id: "b", properties: {} }, ref(2));
    expect(batches).toHaveLength(0);
    batcher.add(crm, { id: "a", properties: { firstname: "new" } }, ref(3));
    expect(batches.map((batch) => batch.target)).toEqual(["users"]);
    batcher.flushAll();
    expect(batches.map((batch) => batch.target)).toEqual(["users", "crm_users"]);
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
      batcher.add(users, { id: "a", properties: {} }, ref(1));
      vi.advanceTimersByTime(499);
      expect(batches).toHaveLength(0);
      vi.advanceTimersByTime(2);
      expect(batches).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

function input(id: string, line: number, properties: Record<string, string> = { email: id }): BatchInput {
  return {
    traceId: `t${line}`,
    id,
    properties: { ...properties },
    parts: [{ properties, record: ref(line) }],
  };
}

function merged(id: string, ...parts: [number, Record<string, string>][]): BatchInput {
  const properties: Record<string, string> = {};
  for (const [, part] of parts) Object.assign(properties, part);
  return {
    traceId: `m${parts[0]?.[0]}`,
    id,
    properties,
    parts: parts.map(([line, part]) => ({ properties: part, record: ref(line) })),
  };
}

/**
 * A little HubSpot: applies each input to its record when the request completes (after a random delay), refuses
 * any input with a value in `refused` naming the property, and logs every request.
 */
function fakeHubSpot(refused: Record<string, string> = {}, seed = 7) {
  const store = new Map<string, Record<string, string>>();
  const requests: WireInput[][] = [];
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const send: BatchSender = async (_t, inputs) => {
    requests.push([...inputs]);
    await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 8)));
    const outcomes = new Map<string, InputOutcome>();
    for (const one of inputs) {
      const bad = Object.keys(refused).find((name) => one.properties[name] === refused[name]);
      if (bad) {
        const rejection = { code: "INVALID_OPTION", message: `${refused[bad]} is not allowed`, field: bad };
        outcomes.set(one.traceId, {
          status: "rejected",
          rejection: { ...rejection, category: "VALIDATION_ERROR" },
        });
        continue;
      }
      store.set(one.id, { ...store.get(one.id), ...one.properties });
      outcomes.set(one.traceId, { status: "written", effect: "updated" });
    }
    return outcomes;
  };
  return { store, requests, send };
}

function dispatcherWith(send: BatchSender) {
  const written: number[] = [];
  const rejected: { line: number; code: string }[] = [];
  const dispatcher = new Dispatcher({
    send,
    onWritten: (_t, part) => written.push(part.record.lineNumber),
    onRejected: (_t, part, rejection) =>
      rejected.push({ line: part.record.lineNumber, code: rejection.code }),
    onFatal: (error) => {
      throw error;
    },
  });
  return { dispatcher, written, rejected };
}

describe("Dispatcher", () => {
  it("holds a batch that shares a record with one in flight until that one is done", async () => {
    const order: string[] = [];
    let releaseFirst: () => void = () => {};
    const { dispatcher } = dispatcherWith(async (_t, inputs) => {
      const ids = inputs.map((i) => i.id).join(",");
      order.push(`start ${ids}`);
      if (ids === "a,b") await new Promise<void>((resolve) => (releaseFirst = resolve));
      order.push(`end ${ids}`);
      return new Map(inputs.map((i) => [i.traceId, { status: "written" } as InputOutcome]));
    });
    dispatcher.submit(users, [input("a", 1), input("b", 2)]);
    dispatcher.submit(users, [input("c", 3)]);
    dispatcher.submit(users, [input("a", 4)]);
    await Promise.resolve();
    expect(order.slice(0, 2)).toEqual(["start a,b", "start c"]);
    expect(order).not.toContain("start a");
    releaseFirst();
    await dispatcher.idle();
    expect(order.slice(-2)).toEqual(["start a", "end a"]);
    expect(order.indexOf("start a")).toBeGreaterThan(order.indexOf("end a,b"));
  });

  it("serializes one record's writes across two streams of the same object, in submission order", async () => {
    const hubspot = fakeHubSpot();
    const { dispatcher } = dispatcherWith(hubspot.send);
    for (let round = 0; round < 30; round += 1) {
      dispatcher.submit(round % 2 === 0 ? users : target("crm_users"), [
        input("a", round, { v: String(round) }),
      ]);
    }
    await dispatcher.idle();
    expect(hubspot.store.get("a")?.v).toBe("29");
  });

  it("never counts an input the answer does not name as written: it is sent alone, then rejected", async () => {
    const sent: string[][] = [];
    const { dispatcher, written, rejected } = dispatcherWith(async (_t, inputs) => {
      sent.push(inputs.map((i) => i.id));
      return new Map(); // an answer that accounts for nothing
    });
    dispatcher.submit(users, [input("a", 1), input("b", 2)]);
    await dispatcher.idle();
    expect(written).toEqual([]);
    expect(rejected.map((r) => r.code)).toEqual(["UNCONFIRMED_WRITE", "UNCONFIRMED_WRITE"]);
    expect(sent).toEqual([["a", "b"], ["a"], ["b"]]);
    expect(dispatcher.records).toBe(0);
  });

  it("writes an unaccounted input that HubSpot confirms when it is sent alone", async () => {
    const { dispatcher, written, rejected } = dispatcherWith(async (_t, inputs) =>
      inputs.length > 1
        ? new Map([[inputs[0]!.traceId, { status: "written" } as InputOutcome]])
        : new Map([[inputs[0]!.traceId, { status: "written" } as InputOutcome]]),
    );
    dispatcher.submit(users, [input("a", 1), input("b", 2)]);
    await dispatcher.idle();
    expect(written.sort()).toEqual([1, 2]);
    expect(rejected).toEqual([]);
  });

  it("rejects only the merged record whose value HubSpot refused and writes the others in one more request", async () => {
    const hubspot = fakeHubSpot({ lifecyclestage: "astronaut" });
    const { dispatcher, written, rejected } = dispatcherWith(hubspot.send);
    dispatcher.submit(users, [
      merged("a", [1, { firstname: "Ann" }], [2, { lifecyclestage: "astronaut" }], [3, { lastname: "Lee" }]),
    ]);
    await dispatcher.idle();
    expect(rejected).toEqual([{ line: 2, code: "INVALID_OPTION" }]);
    expect(written.sort()).toEqual([1, 3]);
    expect(hubspot.requests).toHaveLength(2);
    expect(hubspot.store.get("a")).toEqual({ firstname: "Ann", lastname: "Lee" });
  });

  it("keeps a later write's value when a merged input is refused and isolated, even with a newer batch queued", async () => {
    const hubspot = fakeHubSpot({ lastname: "!" });
    const { dispatcher } = dispatcherWith(hubspot.send);
    dispatcher.submit(users, [merged("a", [1, { firstname: "old" }], [2, { lastname: "!" }])]);
    dispatcher.submit(users, [input("a", 3, { firstname: "new" })]);
    await dispatcher.idle();
    expect(hubspot.store.get("a")?.firstname).toBe("new");
  });

  it("sends merged records one by one in order when the refusal names no property", async () => {
    const requests: string[][] = [];
    const { dispatcher, written, rejected } = dispatcherWith(async (_t, inputs) => {
      requests.push(inputs.map((i) => JSON.stringify(i.properties)));
      return new Map(
        inputs.map((i) => [
          i.traceId,
          i.properties.x === "bad"
            ? ({ status: "rejected", rejection: { code: "CONFLICT", message: "no" } } as InputOutcome)
            : ({ status: "written" } as InputOutcome),
        ]),
      );
    });
    dispatcher.submit(users, [merged("a", [1, { y: "1" }], [2, { x: "bad" }], [3, { y: "3" }])]);
    await dispatcher.idle();
    expect(requests.slice(1)).toEqual([['{"y":"1"}'], ['{"x":"bad"}'], ['{"y":"3"}']]);
    expect(written.sort()).toEqual([1, 3]);
    expect(rejected.map((r) => r.line)).toEqual([2]);
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
    dispatcher.submit(users, [input("a", 1)]);
    dispatcher.submit(users, [input("a", 2)]);
    await dispatcher.idle();
    dispatcher.submit(users, [input("c", 3)]);
    expect(failures).toHaveLength(1);
    expect(calls).toBe(1);
  });
});
