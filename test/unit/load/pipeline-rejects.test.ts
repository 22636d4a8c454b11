import { describe, expect, it } from "vitest";
import type { BatchSender, RecordMapper, WriteTarget } from "../../../src/contract.js";
import { runPipeline } from "../../../src/load/pipeline.js";
import type { InputLine } from "../../../src/protocol/reader.js";
import type { RejectsSink } from "../../../src/rejects/sink.js";
import { CRM_OBJECT_TARGET } from "../../../src/targets/crm-object/target.js";

const target: WriteTarget = {
  key: "contacts",
  streamName: "contacts",
  namespace: undefined,
  objectName: "CONTACT",
  objectType: "0-1",
  mode: "upsert",
  idProperty: "email",
  ...CRM_OBJECT_TARGET,
};
/** Every record without an `@` is refused locally, as a malformed address is. */
const mapper: RecordMapper = {
  map: (data) => {
    const email = String((data as { email: string }).email);
    return email.includes("@")
      ? { ok: true, id: email, properties: { email } }
      : { ok: false, rejection: { code: "INVALID_EMAIL", message: "no @", field: "email" } };
  },
};

/** 1,000 raw lines, every 40th refused locally: 975 good records, 25 rejected. */
async function* input(): AsyncGenerator<InputLine> {
  for (let i = 1; i <= 1_000; i += 1) {
    const email = i % 40 === 0 ? `broken-${i}` : `p${i}@example.com`;
    yield { lineNumber: i, text: JSON.stringify({ email }) };
  }
}

/** A store that keeps each record until asked to flush, as the file (fsync) and S3 (one part per flush) stores do. */
function lazySink(): RejectsSink & { stored: number; mostWaiting: number } {
  let waiting: (() => void)[] = [];
  return {
    location: "lazy",
    countsByCode: new Map(),
    stored: 0,
    mostWaiting: 0,
    add(_record, onDurable) {
      waiting.push(onDurable);
      this.mostWaiting = Math.max(this.mostWaiting, waiting.length);
    },
    async flush() {
      await new Promise((resolve) => setTimeout(resolve, 2));
      const now = waiting;
      waiting = [];
      this.stored += now.length;
      for (const done of now) done();
    },
    close: async () => {},
  };
}

const atOnce = (): RejectsSink & { stored: number } => ({
  location: "none",
  countsByCode: new Map(),
  stored: 0,
  add(_record, onDurable) {
    this.stored += 1;
    onDurable();
  },
  flush: async () => {},
  close: async () => {},
});

/** Runs the input through the pipeline with a sender that answers after a short wait, and returns batch sizes. */
async function batchSizes(sink: RejectsSink) {
  const sizes: number[] = [];
  const send: BatchSender = async (_target, inputs) => {
    sizes.push(inputs.length);
    await new Promise((resolve) => setTimeout(resolve, 3));
    return new Map(inputs.map((one) => [one.traceId, { status: "written", effect: "created" }]));
  };
  const result = await runPipeline(input(), {
    input: { kind: "raw", route: { target, mapper } },
    send,
    sink,
    batchSize: 100,
    // Long enough never to fire in this test: only fullness, backpressure and the end of input send a batch.
    lingerMs: 60_000,
    maxInFlightRecords: 300,
    emitState: () => {},
    log: () => {},
  });
  return { sizes, result };
}

describe("pipeline and the rejects store", () => {
  it("forms the same full batches whether rejected records are stored at once or only when the store flushes", async () => {
    const eager = atOnce();
    const lazy = lazySink();
    const withoutStore = await batchSizes(eager);
    const withStore = await batchSizes(lazy);
    expect(withoutStore.sizes).toEqual([...Array(9).fill(100), 75]);
    expect(withStore.sizes).toEqual(withoutStore.sizes);
    expect(lazy.stored).toBe(25);
    expect(withStore.result.all.rejected).toBe(25);
  });

  it("keeps no more rejected records waiting for the store than its bound, storing them as they pile up", async () => {
    const lazy = lazySink();
    const mostlyBad = async function* (): AsyncGenerator<InputLine> {
      for (let i = 1; i <= 2_000; i += 1)
        yield { lineNumber: i, text: JSON.stringify({ email: `broken-${i}` }) };
    };
    const result = await runPipeline(mostlyBad(), {
      input: { kind: "raw", route: { target, mapper } },
      send: async () => new Map(),
      sink: lazy,
      batchSize: 100,
      lingerMs: 60_000,
      maxInFlightRecords: 300,
      emitState: () => {},
      log: () => {},
    });
    expect(result.all.rejected).toBe(2_000);
    expect(lazy.stored).toBe(2_000);
    expect(lazy.mostWaiting).toBeGreaterThan(0);
    expect(lazy.mostWaiting).toBeLessThanOrEqual(300);
  });
});
