import { describe, expect, it } from "vitest";
import { inRunOrder, passesFilter, type ReplayRow, toReplayRow } from "../../../src/replay/rows.js";
import { ReplaySelector } from "../../../src/replay/select.js";

const row = (extra: Partial<ReplayRow> = {}): ReplayRow => ({
  rawId: undefined,
  data: { email: "a@x.co" },
  stream: "people",
  namespace: undefined,
  object: "CONTACT",
  matchingKey: "email",
  mode: "upsert",
  code: "INVALID_EMAIL",
  lineNumber: 1,
  extractedAt: 5,
  syncId: 42,
  generationId: 1,
  run: "r1",
  ...extra,
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
async function* of<T>(...items: T[]) {
  yield* items;
}

describe("toReplayRow", () => {
  it("reads what a stored row says the record was meant for", () => {
    const parsed = toReplayRow({
      _airbyte_data: { email: "x" },
      _airbyte_extracted_at: 9,
      _airbyte_meta: { sync_id: 42 },
      _airbyte_generation_id: 3,
      _rejection: {
        stream: "people",
        namespace: null,
        object: "CONTACT",
        matching_key: "email",
        mode: "update",
        code: "C",
        line_number: 4,
        run: "r",
      },
    });
    expect(parsed).toMatchObject({
      stream: "people",
      namespace: undefined,
      object: "CONTACT",
      matchingKey: "email",
      mode: "update",
      lineNumber: 4,
      extractedAt: 9,
      syncId: 42,
      generationId: 3,
      run: "r",
    });
  });

  it("refuses what is not a rejected-record row", () => {
    expect(toReplayRow({ email: "x" })).toBeUndefined();
  });
});

describe("passesFilter", () => {
  it("keeps rows with one of the codes and one of the streams given", () => {
    const filter = { codes: new Set(["INVALID_EMAIL"]), streams: new Set(["crm.people"]) };
    expect(passesFilter(row({ namespace: "crm" }), filter)).toBe(true);
    expect(passesFilter(row({ namespace: "crm", code: "OTHER" }), filter)).toBe(false);
    expect(passesFilter(row(), filter)).toBe(false);
  });
});

describe("inRunOrder", () => {
  it("puts a run's rows back in input order and keeps runs in stored order", async () => {
    const rows = await collect(
      inRunOrder(
        of(
          { row: row({ lineNumber: 9 }), group: "r1" },
          { row: row({ lineNumber: 5 }), group: "r1" },
          { row: row({ lineNumber: 2, run: "r2" }), group: "r2" },
          { row: row({ lineNumber: 1, run: "r2" }), group: "r2" },
        ),
      ),
    );
    expect(rows.map((one) => `${one.run}:${one.lineNumber}`)).toEqual(["r1:5", "r1:9", "r2:1", "r2:2"]);
  });

  it("sorts at most the given number of rows at a time", async () => {
    const rows = await collect(
      inRunOrder(of(...[3, 2, 1].map((lineNumber) => ({ row: row({ lineNumber }), group: "r1" }))), 2),
    );
    expect(rows.map((one) => one.lineNumber)).toEqual([2, 3, 1]);
  });
});

describe("ReplaySelector", () => {
  it("sends a row to the stream, object, key and mode recorded with it", () => {
    const selector = new ReplaySelector();
    const selection = selector.select(row({ object: "COMPANY", matchingKey: "domain", mode: "update" }));
    expect(selection).toMatchObject({
      kind: "replay",
      spec: { objectName: "COMPANY", idProperty: "domain", mode: "update", syncId: 42 },
    });
    expect(selector.fallbacks).toBe(0);
  });

  it("falls back to the object's default key and upsert for rows stored without them, and counts them", () => {
    const selector = new ReplaySelector();
    expect(selector.select(row({ matchingKey: undefined, mode: undefined }))).toMatchObject({
      spec: { idProperty: "email", mode: "upsert" },
    });
    expect(
      selector.select(row({ object: "EVENTS", matchingKey: undefined, mode: undefined, stream: "ev" })),
    ).toMatchObject({
      spec: { idProperty: "uuid", mode: "send" },
    });
    expect(selector.fallbacks).toBe(2);
  });

  it("leaves out rows it cannot route: no object, no key to fall back to, or another target for the same stream", () => {
    const selector = new ReplaySelector();
    expect(selector.select(row({ object: undefined }))).toEqual({ kind: "left-out", reason: "no-object" });
    expect(selector.select(row({ object: "COMPANY", matchingKey: undefined, stream: "accounts" }))).toEqual({
      kind: "left-out",
      reason: "no-key",
    });
    selector.select(row());
    expect(selector.select(row({ mode: "archive" }))).toEqual({ kind: "left-out", reason: "other-target" });
    expect(
      new ReplaySelector("domain").select(row({ object: "COMPANY", matchingKey: undefined })),
    ).toMatchObject({
      spec: { idProperty: "domain" },
    });
  });
});
