/**
 * `replay`: rejected records fixed and sent again, from S3 and from a local rejects file, filtered by code, in
 * their run's input order, idempotent on a second run (counted in the sandbox's ledger), never writing to the
 * source.
 */
import { link, readFile, symlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { useS3, useSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream } from "../support/messages.js";
import {
  configFile,
  createContactProperty,
  freshPrefix,
  readReceipt,
  replay,
  tempPath,
  writeCatalog,
} from "./operate-harness.js";

const s3 = useS3();
const sandbox = useSandbox({ ledgerHistory: true });

const people = stream("people", "CONTACT", "email");

/** The contacts' values, without the modification dates HubSpot sets on every write. */
const contactValues = () =>
  JSON.stringify(
    sandbox.store
      .listRecords("contacts")
      .map((record) =>
        Object.entries(record.properties).filter(([name]) => !name.endsWith("lastmodifieddate")),
      ),
  );

describe("replay from S3", () => {
  it("sends the records rejected with one code, once fixed in HubSpot, and changes nothing when run again", async () => {
    const original = freshPrefix("original");
    const written = await writeCatalog(
      await configFile(sandbox, {}, s3, original),
      [people],
      [
        recordLine("people", { email: "shoes@x.co", firstname: "Sam", shoe_size: 44 }),
        recordLine("people", { email: "not-an-email" }),
        recordLine("people", { email: "fine@x.co" }),
        stateLine("people", 1),
      ],
    );
    expect(written.exitCode).toBe(0);
    expect(
      (await s3.jsonLines(original)).map((row) => (row._rejection as { code: string }).code).sort(),
    ).toEqual(["INVALID_EMAIL", "UNKNOWN_PROPERTY"]);
    await createContactProperty(sandbox, "shoe_size");
    const sourceKeys = await s3.keys(original);

    const again = freshPrefix("again");
    const config = await configFile(sandbox, {}, s3, again);
    const receipt = await tempPath("receipt.json");
    const from = `s3://${s3.bucket}/${original}/`;
    const first = await replay([
      "--config",
      config,
      "--from",
      from,
      "--code",
      "UNKNOWN_PROPERTY",
      "--receipt",
      receipt,
    ]);
    expect(first.exitCode).toBe(0);
    expect(first.stderr).toContain(
      "2 rejected records read (1 matched --code/--stream); 1 replayed: 1 written",
    );
    expect(sandbox.store.findRecord("contacts", "email", "shoes@x.co")?.properties).toMatchObject({
      firstname: "Sam",
      shoe_size: "44",
    });
    expect(sandbox.ledger.get("contacts", "email=not-an-email")).toBeUndefined();
    expect((await readReceipt(receipt)).command).toBe("replay");

    const snapshot = contactValues();
    const second = await replay(["--config", config, "--from", from, "--code", "UNKNOWN_PROPERTY"]);
    expect(second.exitCode).toBe(0);
    const entry = sandbox.ledger.get("contacts", "email=shoes@x.co");
    // Both replays sent the record (the sandbox's index alone would make "created once" true).
    expect(entry).toMatchObject({ received: 2, creates: 1 });
    // The second replay wrote the same values again: the record's history holds them twice, identical (but for
    // the address, which the create took from the key: an email-keyed write sends no email).
    expect(entry?.history?.at(-2)).toEqual({ ...entry?.history?.at(-1), email: "shoes@x.co" });
    expect(contactValues()).toBe(snapshot);
    // The source is only read: its parts are as they were, and nothing failed again into the new prefix.
    expect(await s3.keys(original)).toEqual(sourceKeys);
    expect(await s3.jsonLines(again)).toEqual([]);
  });

  it("stores what fails again in a new part of the configured store, never in the source's parts", async () => {
    const original = freshPrefix("original");
    await writeCatalog(
      await configFile(sandbox, {}, s3, original),
      [people],
      [recordLine("people", { email: "still-bad" }), stateLine("people", 1)],
    );
    const sourceKeys = await s3.keys(original);
    const again = freshPrefix("again");
    const result = await replay([
      "--config",
      await configFile(sandbox, {}, s3, again),
      "--from",
      `s3://${s3.bucket}/${original}`,
    ]);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("1 replayed: 0 written, 1 rejected again");
    expect(await s3.keys(original)).toEqual(sourceKeys);
    const rows = (await s3.jsonLines(again)) as Array<{
      _airbyte_data: unknown;
      _rejection: { code: string; stream: string };
    }>;
    expect(rows.map((row) => [row._rejection.stream, row._rejection.code, row._airbyte_data])).toEqual([
      ["people", "INVALID_EMAIL", { email: "still-bad" }],
    ]);
  });
});

describe("replay from a local rejects file", () => {
  it("sends the fixed records, keeps what fails again apart from the source, and creates nothing the second time", async () => {
    const rejects = await tempPath("rejects.jsonl");
    const config = await configFile(sandbox);
    const write = await runCli(["write", "--config", config, "--object", "CONTACT", "--rejects", rejects], {
      stdin: ['{"email":"ada@x.co"}', '{"email":"grace@example.con"}', '{"email":"bob at x.co"}'].join("\n"),
    });
    expect(write.exitCode).toBe(3);
    // Fix one of the two (as `sed` or `jq` would), leave the other broken.
    const fixed = await tempPath("fixed.jsonl");
    await writeFile(fixed, (await readFile(rejects, "utf8")).replace('"bob at x.co"', '"bob@x.co"'));
    const source = await readFile(fixed, "utf8");

    const again = await tempPath("again.jsonl");
    const first = await replay(["--config", config, "--from", fixed, "--rejects", again]);
    expect(first.exitCode).toBe(3);
    expect(first.stderr).toContain("1 written");
    expect(first.stderr).toContain("1 rejected again");
    expect(sandbox.ledger.get("contacts", "email=bob@x.co")?.creates).toBe(1);
    expect(await readFile(fixed, "utf8")).toBe(source);
    const failedAgain = (await readFile(again, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(
      failedAgain.map((row) => [row._airbyte_data.email, row._rejection.matching_key, row._rejection.mode]),
    ).toEqual([["grace@example.con", "email", "upsert"]]);

    const second = await replay(["--config", config, "--from", fixed, "--code", "INVALID_EMAIL"]);
    expect(second.exitCode).toBe(3);
    expect(sandbox.ledger.get("contacts", "email=bob@x.co")?.creates).toBe(1);
    expect(sandbox.ledger.totals("contacts").creates).toBe(2);
  });

  it("replays a run's records in its input order, not the order the store kept them in", async () => {
    const rows = [9, 5].map((line) => ({
      _airbyte_data: { email: "k@x.co", firstname: line === 9 ? "newer" : "older" },
      _airbyte_extracted_at: 1,
      _rejection: {
        stream: "people",
        object: "CONTACT",
        matching_key: "email",
        mode: "upsert",
        code: "X",
        line_number: line,
        run: "run-1",
      },
    }));
    const file = await tempPath("rows.jsonl");
    await writeFile(file, rows.map((row) => JSON.stringify(row)).join("\n"));
    const result = await replay(["--config", await configFile(sandbox, { batch_size: 1 }), "--from", file]);
    expect(result.exitCode).toBe(0);
    const history = sandbox.ledger.get("contacts", "email=k@x.co")?.history ?? [];
    expect(history.map((written) => written.firstname)).toEqual(["older", "newer"]);
  });

  it("falls back to the object's default key for rows stored before the key was recorded, and says so", async () => {
    const file = await tempPath("old.jsonl");
    await writeFile(
      file,
      `${JSON.stringify({ _airbyte_data: { email: "old@x.co" }, _rejection: { stream: "people", object: "CONTACT", code: "X" } })}\n` +
        `${JSON.stringify({ _airbyte_data: { raw_line: "{nope" }, _rejection: { stream: "_unparsed", object: null, code: "INVALID_MESSAGE" } })}\n`,
    );
    const result = await replay(["--config", await configFile(sandbox), "--from", file]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(
      "1 rows were stored before the matching key and write mode were recorded",
    );
    expect(result.stderr).toContain("Left out 1: they reached no stream");
    expect(sandbox.ledger.get("contacts", "email=old@x.co")?.creates).toBe(1);
  });

  // Each way of naming the source file again: the path itself, another spelling, a symlink, a hard link.
  const otherNames = [
    ["the same path", async (file: string) => file],
    [
      "another spelling of the path",
      async (file: string) => `${dirname(file)}/./../${basename(dirname(file))}/${basename(file)}`,
    ],
    [
      "a symlink to it",
      async (file: string) => {
        const link = join(dirname(file), "link.jsonl");
        await symlink(file, link);
        return link;
      },
    ],
    [
      "a hard link to it",
      async (file: string) => {
        const hard = join(dirname(file), "hard.jsonl");
        await link(file, hard);
        return hard;
      },
    ],
  ] as const;

  it.each(otherNames)(
    "refuses to write what fails again into its own source, named through %s",
    async (_name, otherName) => {
      const file = await tempPath("rejects.jsonl");
      const row = {
        _airbyte_data: { email: "still bad" },
        _rejection: { stream: "people", object: "CONTACT", code: "INVALID_EMAIL", run: "r" },
      };
      await writeFile(file, `${JSON.stringify(row)}\n`);
      const rejects = await otherName(file);
      const result = await replay([
        "--config",
        await configFile(sandbox),
        "--from",
        file,
        "--rejects",
        rejects,
      ]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain("a replay never writes to its source");
      expect(await readFile(file, "utf8")).toBe(`${JSON.stringify(row)}\n`);
      expect(sandbox.ledger.totals("contacts").creates + sandbox.ledger.totals("contacts").updates).toBe(0);
    },
  );
});
