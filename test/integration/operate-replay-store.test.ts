/**
 * `replay` over a store that has grown by several runs: copies of one rejected row (stored again when a replay
 * rejected it again) go out once and never after a newer row of their record, and parts are read in the order
 * they were stored even when S3's whole-second times tie. Counted in what HubSpot received (the sandbox's ledger).
 */
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { useS3, useSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream } from "../support/messages.js";
import {
  configFile,
  createContactProperty,
  freshPrefix,
  replay,
  tempPath,
  writeCatalog,
} from "./operate-harness.js";

const s3 = useS3();
const sandbox = useSandbox({ ledgerHistory: true });

/** The first names HubSpot received for k@x.co, oldest first. */
const firstNamesWritten = () =>
  (sandbox.ledger.get("contacts", "email=k@x.co")?.history ?? []).map((written) => written.firstname);

/** Rejects k@x.co (shoe_size is not a property yet) in one run of the stream, storing it under the prefix. */
async function rejectInOneRun(prefix: string, streamName: string, firstname: string, syncId = 42) {
  const result = await writeCatalog(
    await configFile(sandbox, {}, s3, prefix),
    [{ ...stream(streamName, "CONTACT", "email"), sync_id: syncId }],
    [recordLine(streamName, { email: "k@x.co", firstname, shoe_size: 40 }), stateLine(streamName, 1)],
  );
  expect(result.exitCode).toBe(0);
}

/** Stores the parts again within one second, as S3 dates two runs under a second apart (bounded tries). */
async function tieLastModified(prefix: string): Promise<string[]> {
  const keys = await s3.keys(prefix);
  const bodies = await Promise.all(keys.map((key) => s3.text(key)));
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await sleep(1_000 - (Date.now() % 1_000) + 20);
    for (const [index, key] of keys.entries())
      await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: bodies[index] }));
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
    const times = new Set(
      (listed.Contents ?? [])
        .filter((item) => keys.includes(item.Key as string))
        .map((item) => item.LastModified?.getTime()),
    );
    if (times.size === 1) return keys;
  }
  throw new Error("could not store the parts within one second in 5 tries");
}

describe("replay of a store holding copies of one rejected row", () => {
  it("sends the row once, and a copy stored by an earlier replay never lands after a newer row of the record", async () => {
    const store = freshPrefix("copies");
    await rejectInOneRun(store, "signups", "v1");
    await rejectInOneRun(store, "profiles", "v2");
    // The property is still missing: this replay of the older row rejects it again, storing a copy under the prefix.
    const from = `s3://${s3.bucket}/${store}/`;
    const early = await replay([
      "--config",
      await configFile(sandbox, {}, s3, store),
      "--from",
      from,
      "--stream",
      "signups",
    ]);
    expect(early.exitCode).toBe(3);
    const copies = (await s3.jsonLines(store)).filter(
      (row) => (row._airbyte_data as { firstname: string }).firstname === "v1",
    );
    expect(copies).toHaveLength(2);
    expect(copies[0]?._airbyte_raw_id).toBe(copies[1]?._airbyte_raw_id);
    expect(sandbox.ledger.get("contacts", "email=k@x.co")).toBeUndefined();

    await createContactProperty(sandbox, "shoe_size");
    const result = await replay([
      "--config",
      await configFile(sandbox, { batch_size: 1 }, s3, freshPrefix("elsewhere")),
      "--from",
      from,
    ]);
    expect(result.exitCode).toBe(0);
    expect(firstNamesWritten()).toEqual(["v1", "v2"]);
    expect(result.stderr).toContain("3 rejected records read; 2 replayed: 2 written");
    expect(result.stderr).toContain("Left out 1: they are copies of a row replayed before them");
    expect(sandbox.store.findRecord("contacts", "email", "k@x.co")?.properties.firstname).toBe("v2");
  });

  it("sends copies in a local file once, and every row of the older layout without a raw id as before", async () => {
    const row = (firstname: string, rawId?: string) =>
      JSON.stringify({
        ...(rawId ? { _airbyte_raw_id: rawId } : {}),
        _airbyte_data: { email: "k@x.co", firstname },
        _rejection: { stream: "people", object: "CONTACT", matching_key: "email", mode: "upsert", code: "X" },
      });
    const file = await tempPath("copies.jsonl");
    await writeFile(
      file,
      [row("a", "id-a"), row("a", "id-a"), row("b"), row("b"), row("a", "id-a")].join("\n"),
    );
    const result = await replay(["--config", await configFile(sandbox, { batch_size: 1 }), "--from", file]);
    expect(result.exitCode).toBe(0);
    expect(firstNamesWritten()).toEqual(["a", "b", "b"]);
    expect(result.stderr).toContain("5 rejected records read; 3 replayed: 3 written");
    expect(result.stderr).toContain("Left out 2: they are copies");
  });
});

describe("replay order across runs", () => {
  it("lands the later run's value last when S3 dates both parts to the same second, sync 10 after sync 9", async () => {
    const store = freshPrefix("order");
    await rejectInOneRun(store, "people", "v1", 9);
    await rejectInOneRun(store, "people", "v2", 10);
    const keys = await tieLastModified(store);
    // A plain sort of the keys would read sync 10's part first.
    expect(keys.map((key) => key.split("/")[1])).toEqual(["10", "9"]);

    await createContactProperty(sandbox, "shoe_size");
    const from = `s3://${s3.bucket}/${store}/`;
    const result = await replay([
      "--config",
      await configFile(sandbox, { batch_size: 1 }, s3, freshPrefix("elsewhere")),
      "--from",
      from,
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain("2 rejected records read; 2 replayed: 2 written");
    expect(firstNamesWritten()).toEqual(["v1", "v2"]);
    expect(sandbox.store.findRecord("contacts", "email", "k@x.co")?.properties.firstname).toBe("v2");
  });
});
