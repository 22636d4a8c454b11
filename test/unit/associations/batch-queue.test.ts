import { describe, expect, it } from "vitest";
import { BatchQueue } from "../../../src/associations/batch-queue.js";
import { BoundedCache } from "../../../src/associations/bounded-cache.js";

function queue(maxItems: number, lingerMs: number, latencyMs = 20) {
  const batches: number[][] = [];
  const failures: unknown[] = [];
  const subject = new BatchQueue<number>({
    maxItems,
    lingerMs,
    fail: (error) => failures.push(error),
    send: async (items) => {
      batches.push(items);
      if (items.includes(-1)) throw new Error("refused");
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
    },
  });
  return { subject, batches, failures };
}
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("BatchQueue", () => {
  it("sends what one turn adds together, at once when nothing is in flight", async () => {
    const { subject, batches } = queue(10, 10_000);
    for (const item of [1, 2, 3]) subject.add(item);
    expect(batches).toEqual([]);
    await wait(1);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("gathers items while a batch is in flight and sends them when it returns", async () => {
    const { subject, batches } = queue(10, 10_000, 30);
    subject.add(1);
    await wait(5);
    for (const item of [2, 3, 4]) subject.add(item);
    await wait(10);
    expect(batches).toEqual([[1]]);
    await wait(40);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it("never sends more than maxItems in one batch", async () => {
    const { subject, batches } = queue(2, 10_000);
    for (const item of [1, 2, 3, 4, 5]) subject.add(item);
    await wait(80);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("hands a failed send to fail, and sends nothing after it", async () => {
    const { subject, batches, failures } = queue(10, 0);
    subject.add(-1);
    await wait(5);
    subject.add(7);
    await wait(5);
    expect(failures).toHaveLength(1);
    expect(batches).toEqual([[-1]]);
  });

  it("drops what is queued on stop", async () => {
    const { subject, batches } = queue(10, 10_000, 30);
    subject.add(1);
    await wait(5);
    subject.add(2);
    subject.stop();
    await wait(50);
    expect(batches).toEqual([[1]]);
  });
});

describe("BoundedCache", () => {
  it("keeps the most recently used entries up to its capacity", () => {
    const cache = new BoundedCache<string>(2);
    cache.set("a", "1");
    cache.set("b", "2");
    expect(cache.get("a")).toBe("1"); // a is now the most recent
    cache.set("c", "3");
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual(["1", undefined, "3"]);
    expect(cache.size).toBe(2);
  });
});
