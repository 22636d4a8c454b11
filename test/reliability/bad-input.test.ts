import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, writeTempJson } from "../support/cli.js";
import { globalStateLine, recordLine, stream } from "../support/messages.js";
import { s3StorageConfig, startS3, type TestS3 } from "../support/s3.js";
import { seeded } from "./harness.js";

let s3: TestS3;
let sandbox: Sandbox;

beforeAll(async () => {
  s3 = await startS3();
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
  await s3.close();
});

/** Hostile lines: each one is a line the connector must account for (written or rejected), never crash on. */
function hostile(random: () => number, count: number): Buffer[] {
  const makers: ((i: number) => Buffer | string)[] = [
    (i) => recordLine("people", { email: `ok${i}@x.co` }).slice(0, 20 + Math.floor(random() * 40)), // truncated JSON
    (i) => recordLine("people", { email: `ok${i}@x.co`, firstname: { deep: [1, { x: null }] } }),
    (i) => recordLine("people", { email: `ok${i}@x.co`, annualrevenue: "lots" }),
    (i) => recordLine("people", { email: `ok${i}@x.co`, firstname: "y".repeat(100_000 + i) }),
    (i) => recordLine("people", { email: `ok${i}@x.co`, firstname: `${"[".repeat(2_000)}` }),
    (i) =>
      `{"type":"RECORD","record":{"stream":"people","emitted_at":1,"data":${"[".repeat(5_000)}${"]".repeat(5_000)}}}`.replace(
        "RECORD",
        i % 2 ? "RECORD" : "RECORD",
      ),
    (i) =>
      Buffer.concat([
        Buffer.from(
          `{"type":"RECORD","record":{"stream":"people","emitted_at":1,"data":{"email":"u${i}@x.co","firstname":"`,
        ),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('"}}}'),
      ]),
    (i) => recordLine("ghosts", { email: `g${i}@x.co` }),
    () => '{"type":"RECORD","record":{"stream":"people"}}',
    () => '{"type":"RECORD","record":{"stream":"people","data":"text","emitted_at":1}}',
    () => "null",
    () => "[1,2,3]",
    () => '{"type":42}',
    (i) => recordLine("people", { email: `ok${i}@x.co`, firstname: "\u0000\u202e\ud83d\ude00 zalgo z̸̢͈a̷l̴g̷o" }),
    (i) => recordLine("people", { email: `ok${i}@x.co`, firstname: "bad \ud800 surrogate" }),
    (i) => recordLine("people", { email: `ok${i}@x.co` }),
  ];
  const lines: Buffer[] = [];
  for (let i = 0; i < count; i += 1) {
    const made = (makers[Math.floor(random() * makers.length)] as (i: number) => Buffer | string)(i);
    lines.push(typeof made === "string" ? Buffer.from(made) : made);
  }
  // One 10 MB record, and one line over the 64 MiB limit would take too long here: the reader tests cover that.
  lines.push(
    Buffer.from(recordLine("people", { email: "huge@x.co", firstname: "z".repeat(10 * 1024 * 1024) })),
  );
  return lines;
}

describe("reliability: hostile input", () => {
  it.each([1, 2])(
    "accounts for every line of a seeded hostile input (seed %i) without crashing",
    async (seed) => {
      const lines = hostile(seeded(seed), 300);
      const input = Buffer.concat([
        ...lines.flatMap((line) => [line, Buffer.from("\n")]),
        Buffer.from(`${globalStateLine("end")}\n`),
      ]);
      const prefix = `hostile-${seed}-${Date.now()}`;
      const config = await writeTempJson({
        credentials: { type: "Private App", access_token: "sandbox-private-app-token" },
        api_base_url: sandbox.url,
        object_storage_config: s3StorageConfig(s3, { bucket_path: prefix }),
      });
      const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
      const result = await runCli(["write", "--config", config, "--catalog", catalog], {
        stdin: input,
        timeoutMs: 90_000,
      });
      const failure = result.messages.find((message) => message.trace?.type === "ERROR")?.trace?.error;
      expect(result.exitCode, JSON.stringify(failure)).toBe(0);
      const states = result.messages.filter((message) => message.type === "STATE");
      expect(states).toHaveLength(1);
      const stats = states[0]?.state?.destinationStats as {
        recordCount?: number;
        rejectedRecordCount?: number;
      };
      expect((stats.recordCount ?? 0) + (stats.rejectedRecordCount ?? 0)).toBe(lines.length);
      const rejected = await s3.jsonLines(prefix);
      expect(rejected).toHaveLength(stats.rejectedRecordCount ?? 0);
    },
    120_000,
  );
});
