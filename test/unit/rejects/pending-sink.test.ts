import { describe, expect, it } from "vitest";
import type { RejectedRecord } from "../../../src/rejects/rejected-record.js";
import { PendingSink } from "../../../src/rejects/pending-sink.js";
import type { RejectsSink } from "../../../src/rejects/sink.js";

const rejected = (lineNumber: number, code = "INVALID_EMAIL"): RejectedRecord => ({
  stream: "people",
  lineNumber,
  rejection: { code, message: "why" },
});

/** A store that keeps what it is given and makes it durable on flush. */
function memoryStore() {
  const lines: number[] = [];
  let waiting: (() => void)[] = [];
  const store: RejectsSink & { lines: number[] } = {
    location: "memory",
    countsByCode: new Map(),
    lines,
    add(record, onDurable) {
      lines.push(record.lineNumber ?? 0);
      waiting.push(onDurable);
    },
    async flush() {
      for (const done of waiting.splice(0)) done();
      waiting = [];
    },
    close: async () => undefined,
  };
  return store;
}

describe("PendingSink", () => {
  it("hands the records added while the store opens to it in order, durable only once it flushed them", async () => {
    const store = memoryStore();
    let open: (store: RejectsSink) => void = () => undefined;
    const sink = new PendingSink("s3://bucket/", () => new Promise((resolve) => (open = resolve)));
    const durable: number[] = [];
    for (const line of [3, 1, 2]) sink.add(rejected(line), () => durable.push(line));
    const flushed = sink.flush();
    expect(store.lines).toEqual([]);
    open(store);
    await flushed;
    sink.add(rejected(4, "UNKNOWN_PROPERTY"), () => durable.push(4));
    await sink.flush();
    expect(store.lines).toEqual([3, 1, 2, 4]);
    expect(durable).toEqual([3, 1, 2, 4]);
    expect(sink.location).toBe("s3://bucket/");
    expect(sink.countsByCode).toEqual(
      new Map([
        ["INVALID_EMAIL", 3],
        ["UNKNOWN_PROPERTY", 1],
      ]),
    );
  });

  it("fails the flush, and settles nothing, when the store cannot be opened", async () => {
    const sink = new PendingSink("s3://bucket/", async () => {
      throw new Error("the AWS SDK is missing");
    });
    let settled = false;
    sink.add(rejected(1), () => {
      settled = true;
    });
    await expect(sink.flush()).rejects.toThrow("the AWS SDK is missing");
    await expect(sink.close()).rejects.toThrow("the AWS SDK is missing");
    expect(settled).toBe(false);
  });
});
