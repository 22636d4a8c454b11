import { describe, expect, it } from "vitest";
import {
  CSV_HEADER,
  type RejectedRecord,
  toCsvLine,
  toJsonLine,
  toStoredRow,
} from "../../../src/rejects/rejected-record.js";
import { isRejectsPart, parseStoredText } from "../../../src/rejects/stored-rows.js";
import { parseJson } from "../../../src/exact-json.js";

const record: RejectedRecord = {
  stream: "people",
  namespace: "crm",
  objectName: "CONTACT",
  matchingKey: "email",
  mode: "upsert",
  data: { email: 'a,"b"\nc@x.co', n: 3, nested: { list: [1, 2] } },
  emittedAt: 1_736_500_000_000,
  lineNumber: 7,
  generationId: 2,
  rejection: { code: "INVALID_EMAIL", field: "email", message: 'bad, "really"' },
};
const context = { syncId: 42, runId: "run-1" };

describe("parseStoredText", () => {
  it("reads JSONL rows back as they were stored, counting a damaged line", () => {
    const row = toStoredRow(record, context);
    const { rows, unreadable } = parseStoredText(`${toJsonLine(row)}{"truncated\n\n`, false);
    expect(rows).toEqual([row]);
    expect(unreadable).toBe(1);
  });

  it("reads CSV rows back with their JSON cells, quotes, commas and line breaks", () => {
    const row = toStoredRow(record, context);
    const text = CSV_HEADER + toCsvLine(row) + toCsvLine(toStoredRow({ ...record, lineNumber: 8 }, context));
    const { rows, unreadable } = parseStoredText(text, true);
    expect(unreadable).toBe(0);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(row);
    expect((rows[1]?._rejection as { line_number: number } | undefined)?.line_number).toBe(8);
  });

  it.each([
    ["JSONL", false],
    ["CSV", true],
  ])(
    "gives back in %s the very number literals and bytes the source sent, for a replay to send",
    (_format, csv) => {
      const sent =
        '{"email":"x@example.com","numberofemployees":1e400,"big":9223372036854775808,"tiny":[1e-400],"name":"A\\udcffB"}';
      const row = toStoredRow({ ...record, data: parseJson(sent) }, context);
      const text = csv ? CSV_HEADER + toCsvLine(row) : toJsonLine(row);
      expect(text).toMatch(/numberofemployees"+:1e400,"+big"+:9223372036854775808,/);
      const [read] = parseStoredText(text, csv).rows;
      expect(JSON.stringify(read?._airbyte_data)).toBe(sent);
      expect(read?._airbyte_raw_id).toBe(row._airbyte_raw_id);
    },
  );

  it("takes nothing from a CSV whose header is not the store's", () => {
    expect(parseStoredText("a,b\n1,2\n", true).rows).toEqual([]);
  });
});

describe("isRejectsPart", () => {
  it.each([
    ["p/42/users/2026-11-22_x_0.jsonl", true],
    ["p/42/users/2026-11-22_x_0.csv.gz", true],
    ["p/42/_receipts/2026-11-22_x_receipt.json", false],
    ["p/testing/test/_check_test_1", false],
  ])("%s is a part: %s", (key, expected) => {
    expect(isRejectsPart(key)).toBe(expected);
  });
});
