import { describe, expect, it } from "vitest";
import { toStoredRow } from "../../../src/rejects/rejected-record.js";

const context = { syncId: 1, generationId: 2 };
const row = (data: unknown, emittedAt = 5, stream = "people") =>
  toStoredRow({ stream, data, emittedAt, rejection: { code: "X", message: "m" } }, context)._airbyte_raw_id;

describe("_airbyte_raw_id of a rejected record", () => {
  it("is the same for the same record, whatever its key order, so replayed rejects can be deduplicated", () => {
    expect(row({ a: 1, b: 2 })).toBe(row({ b: 2, a: 1 }));
  });

  it("differs with the data, the extraction time or the stream", () => {
    const base = row({ a: 1 });
    expect(row({ a: 2 })).not.toBe(base);
    expect(row({ a: 1 }, 6)).not.toBe(base);
    expect(row({ a: 1 }, 5, "other")).not.toBe(base);
  });

  it("is a UUID", () => {
    expect(row({ a: 1 })).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
