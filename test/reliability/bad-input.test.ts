import { describe, expect, it } from "vitest";
import { runWrite, traceError, useS3, useSandbox } from "../support/harness.js";
import { globalStateLine, recordLine, stream } from "../support/messages.js";
import { seeded } from "./harness.js";

const s3 = useS3();
const sandbox = useSandbox({}, { per: "file" });

/** A hostile line and what must become of it: written (its email in HubSpot) or rejected with that code. */
interface Hostile {
  line: Buffer;
  expected: string;
  email?: string;
}

const record = (i: number, data: string) =>
  `{"type":"RECORD","record":{"stream":"people","emitted_at":1,"data":${data.replace("$EMAIL", `"ok${i}@x.co"`)}}}`;

/** JSON texts of values whose conversion throws or misleads, each with the code a firstname/age/role gets. */
const TRAPS: [property: string, value: string, expected: string][] = [
  ["email", '{"toString":1}', "INVALID_EMAIL"],
  ["email", '{"valueOf":{},"toString":"x"}', "INVALID_EMAIL"],
  ["email", '["a@x.co"]', "INVALID_EMAIL"],
  ["firstname", '{"toString":1}', "WRITTEN"],
  ["firstname", '{"__proto__":{"toString":1}}', "WRITTEN"],
  ["annualrevenue", '{"valueOf":1}', "INVALID_NUMBER"],
  ["annualrevenue", "12345678901234567890", "INVALID_NUMBER"],
  ["annualrevenue", "1e400", "INVALID_NUMBER"],
  ["annualrevenue", "1e-400", "INVALID_NUMBER"],
  ["firstname", "9223372036854775808", "INVALID_NUMBER"],
  ["annualrevenue", "[[1]]", "INVALID_NUMBER"],
  ["lifecyclestage", '[["lead"]]', "INVALID_OPTION"],
  ["hs_buying_role", '[["CHAMPION"]]', "INVALID_OPTION"],
  ["__proto__", '{"firstname":"x"}', "UNKNOWN_PROPERTY"],
];

/** Hostile lines: each one is a line the connector must account for (written or rejected), never crash on. */
function hostile(random: () => number, count: number): Hostile[] {
  const text = (line: string, expected: string, email?: string): Hostile => ({
    line: Buffer.from(line),
    expected,
    ...(email ? { email } : {}),
  });
  const makers: ((i: number) => Hostile)[] = [
    (i) =>
      text(
        recordLine("people", { email: `ok${i}@x.co` }).slice(0, 20 + Math.floor(random() * 40)),
        "INVALID_MESSAGE",
      ),
    (i) =>
      text(
        recordLine("people", { email: `ok${i}@x.co`, firstname: { deep: [1, { x: null }] } }),
        "WRITTEN",
        `ok${i}@x.co`,
      ),
    (i) => text(recordLine("people", { email: `ok${i}@x.co`, annualrevenue: "lots" }), "INVALID_NUMBER"),
    (i) =>
      text(
        recordLine("people", { email: `ok${i}@x.co`, firstname: "y".repeat(100_000 + i) }),
        "VALUE_TOO_LONG",
      ),
    (i) =>
      text(
        recordLine("people", { email: `ok${i}@x.co`, firstname: "[".repeat(2_000) }),
        "WRITTEN",
        `ok${i}@x.co`,
      ),
    () =>
      text(
        `{"type":"RECORD","record":{"stream":"people","emitted_at":1,"data":${"[".repeat(5_000)}${"]".repeat(5_000)}}}`,
        "NESTING_TOO_DEEP",
      ),
    (i) => ({
      line: Buffer.concat([
        Buffer.from(
          `{"type":"RECORD","record":{"stream":"people","emitted_at":1,"data":{"email":"u${i}@x.co","firstname":"`,
        ),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('"}}}'),
      ]),
      // Written as U+FFFD it would be changed: refused, naming the field.
      expected: "INVALID_STRING",
    }),
    (i) =>
      text(
        recordLine("people", { email: `ok${i}@x.co`, firstname: "genuine \uFFFD" }),
        "WRITTEN",
        `ok${i}@x.co`,
      ),
    (i) => text(recordLine("ghosts", { email: `g${i}@x.co` }), "UNKNOWN_STREAM"),
    () => text('{"type":"RECORD","record":{"stream":"people"}}', "INVALID_MESSAGE"),
    () =>
      text('{"type":"RECORD","record":{"stream":"people","data":"text","emitted_at":1}}', "DATA_NOT_OBJECT"),
    () => text("null", "INVALID_MESSAGE"),
    () => text("[1,2,3]", "INVALID_MESSAGE"),
    () => text('{"type":42}', "INVALID_MESSAGE"),
    (i) =>
      text(
        recordLine("people", { email: `ok${i}@x.co`, firstname: "\u202e\ud83d\ude00 zalgo z̸̢͈a̷l̴g̷o" }),
        "WRITTEN",
        `ok${i}@x.co`,
      ),
    (i) =>
      text(
        recordLine("people", { email: `ok${i}@x.co`, firstname: "bad \ud800 surrogate" }),
        "INVALID_STRING",
      ),
    (i) => text(recordLine("people", { email: `ok${i}@x.co` }), "WRITTEN", `ok${i}@x.co`),
    (i) => {
      const [property, value, expected] = TRAPS[
        Math.floor(random() * TRAPS.length)
      ] as (typeof TRAPS)[number];
      const data = property === "email" ? `{"email":${value}}` : `{"email":$EMAIL,"${property}":${value}}`;
      return text(record(i, data), expected, expected === "WRITTEN" ? `ok${i}@x.co` : undefined);
    },
  ];
  const lines: Hostile[] = [];
  for (let i = 0; i < count; i += 1)
    lines.push((makers[Math.floor(random() * makers.length)] as (i: number) => Hostile)(i));
  // One 10 MB record (a line over the 64 MiB limit would take too long here: the reader tests cover that).
  lines.push(
    text(
      recordLine("people", { email: "huge@x.co", firstname: "z".repeat(10 * 1024 * 1024) }),
      "VALUE_TOO_LONG",
    ),
  );
  return lines;
}

describe("reliability: hostile input", () => {
  it.each([1, 2])(
    "accounts for every line of a seeded hostile input (seed %i) without crashing",
    async (seed) => {
      const lines = hostile(seeded(seed), 300);
      const input = Buffer.concat([
        ...lines.flatMap(({ line }) => [line, Buffer.from("\n")]),
        Buffer.from(`${globalStateLine("end")}\n`),
      ]);
      const result = await runWrite(sandbox, {
        streams: [stream("people", "CONTACT", "email")],
        stdin: input,
        s3,
        timeoutMs: 90_000,
      });
      expect(result.exitCode, JSON.stringify(traceError(result))).toBe(0);
      const states = result.messages.filter((message) => message.type === "STATE");
      expect(states).toHaveLength(1);
      const stats = states[0]?.state?.destinationStats as {
        recordCount?: number;
        rejectedRecordCount?: number;
      };
      expect((stats.recordCount ?? 0) + (stats.rejectedRecordCount ?? 0)).toBe(lines.length);
      const rejected = result.rejects;
      expect(rejected).toHaveLength(stats.rejectedRecordCount ?? 0);
      // Every line ends as it must: its own rejection code at its own line number, or written to HubSpot.
      const codes = new Map(rejected.map((row) => [row._rejection.line_number, row._rejection.code]));
      const outcomes = lines.map(({ expected, email }, index) =>
        expected === "WRITTEN"
          ? sandbox.store.findRecord("contacts", "email", email as string)
            ? "WRITTEN"
            : `missing ${email}`
          : (codes.get(index + 1) ?? "not rejected"),
      );
      expect(outcomes).toEqual(lines.map(({ expected }) => expected));
    },
    120_000,
  );
});
