import { readFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { FileSink } from "../../../src/rejects/file-sink.js";
import type { RejectedRecord } from "../../../src/rejects/rejected-record.js";
import { toJsonLine, toStoredRow } from "../../../src/rejects/rejected-record.js";

const record = (email: string): RejectedRecord => ({
  stream: "people",
  objectName: "CONTACT",
  data: { email },
  lineNumber: 1,
  rejection: { code: "INVALID_EMAIL", field: "email", message: "bad" },
});

const tempFile = async () => join(await mkdtemp(join(tmpdir(), "file-sink-")), "rejects.jsonl");

describe("FileSink", () => {
  it("writes the S3 store's line format and calls onDurable only once the line is in the file", async () => {
    const path = await tempFile();
    const sink = await FileSink.open(path, { syncId: 7 });
    const seenAtDurable: string[] = [];
    sink.add(record("a"), () => seenAtDurable.push(readFileSync(path, "utf8")));
    expect(seenAtDurable).toEqual([]);
    await sink.flush();
    expect(seenAtDurable).toEqual([toJsonLine(toStoredRow(record("a"), { syncId: 7 }))]);
    await sink.close();
  });

  it("keeps every line, in order, when records come while a write is under way", async () => {
    const path = await tempFile();
    const sink = await FileSink.open(path, { syncId: undefined });
    let durable = 0;
    for (let index = 0; index < 500; index += 1) sink.add(record(`r${index}`), () => (durable += 1));
    await sink.close();
    const lines = (await readFile(path, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(500);
    expect(JSON.parse(lines[499] as string)._airbyte_data).toEqual({ email: "r499" });
    expect(durable).toBe(500);
  });

  it("appends what is queued synchronously for a process that must exit now", async () => {
    const path = await tempFile();
    const sink = await FileSink.open(path, { syncId: undefined });
    sink.add(record("first"), () => undefined);
    await sink.flush();
    sink.add(record("queued"), () => undefined);
    sink.writeQueuedSync();
    // On disk at once, before the append under way (if any) confirms: an exit now keeps both records.
    const now = readFileSync(path, "utf8").trim().split("\n");
    expect(now.filter((line) => line.includes('"queued"'))).not.toHaveLength(0);
    await sink.close();
    // The append under way may land as well: at least once, one line per record at most twice.
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(new Set(lines).size).toBe(2);
  });

  it("is a ConfigError naming the path when the file cannot be opened", async () => {
    await expect(FileSink.open("/nonexistent-dir/x.jsonl", { syncId: undefined })).rejects.toThrow(
      ConfigError,
    );
    await expect(FileSink.open("/nonexistent-dir/x.jsonl", { syncId: undefined })).rejects.toThrow(
      "Cannot open the rejects file /nonexistent-dir/x.jsonl for appending (ENOENT).",
    );
  });
});
