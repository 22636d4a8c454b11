import { link, readFile, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, useS3, useSandbox, withSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream } from "../support/messages.js";
import { spawnCli, tempPath } from "../support/process.js";
import { s3StorageConfig } from "../support/s3.js";

const sandbox = useSandbox();
const s3 = useS3();

const config = async (extra: Record<string, unknown> = {}) =>
  (await configFor(sandbox, { api_version: "legacy", linger_ms: 20, ...extra })).path;

const readRows = async (path: string) =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map(
      (line) =>
        JSON.parse(line) as {
          _airbyte_raw_id: string;
          _airbyte_data: unknown;
          _rejection: { code: string; line_number: number };
        },
    );

describe("write --rejects FILE.jsonl", () => {
  it("writes each rejected record with its reason to the file in raw mode, and the summary names it", async () => {
    const file = await tempPath("rejects.jsonl");
    const result = await runCli(
      ["write", "--config", await config(), "--object", "CONTACT", "--rejects", file],
      {
        stdin: [
          '{"email":"ok@x.co"}',
          '{"email":"nope"}',
          "not json",
          '{"email":"ok2@x.co","no_such_property":1}',
        ].join("\n"),
      },
    );
    expect(result.exitCode).toBe(3);
    const rows = await readRows(file);
    expect(rows.map((row) => [row._rejection.code, row._rejection.line_number])).toEqual([
      ["INVALID_EMAIL", 2],
      ["INVALID_JSON", 3],
      ["UNKNOWN_PROPERTY", 4],
    ]);
    expect(rows[0]?._airbyte_data).toEqual({ email: "nope" });
    expect(rows[1]?._airbyte_data).toEqual({ raw_line: "not json" });
    expect(result.stderr).toContain(`Rejected records: 3, in ${file}.`);
  });

  it("appends to a file that already holds rejects", async () => {
    const file = await tempPath("rejects.jsonl");
    // An earlier run's row, as the store writes it (one run fewer than writing it with the CLI).
    const earlier = { _airbyte_raw_id: "r-1", _airbyte_data: { email: "first" }, _rejection: { code: "X" } };
    await writeFile(file, `${JSON.stringify(earlier)}\n`);
    const result = await runCli(
      ["write", "--config", await config(), "--object", "CONTACT", "--rejects", file],
      {
        stdin: `{"email":"second"}\n`,
      },
    );
    expect(result.exitCode).toBe(3);
    expect((await readRows(file)).map((row) => row._airbyte_data)).toEqual([
      { email: "first" },
      { email: "second" },
    ]);
  });

  it("gets the same lines as the S3 store when both are configured", async () => {
    const file = await tempPath("rejects.jsonl");
    const prefix = `both-${Date.now()}`;
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const result = await runCli(
      [
        "write",
        "--config",
        await config({ object_storage_config: s3StorageConfig(s3, { bucket_path: prefix }) }),
        "--catalog",
        catalog,
        "--rejects",
        file,
      ],
      {
        stdin: [
          recordLine("people", { email: "bad-1" }),
          recordLine("people", { email: "fine@x.co" }),
          recordLine("people", { email: "bad-2" }),
          stateLine("people", 3),
        ].join("\n"),
      },
    );
    expect(result.exitCode).toBe(0);
    expect(await readRows(file)).toEqual(await s3.jsonLines(prefix));
    expect(await readRows(file)).toHaveLength(2);
  });

  it("has a rejected record's line on disk before the STATE covering it is echoed", async () => {
    const file = await tempPath("rejects.jsonl");
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const cli = spawnCli(["write", "--config", await config(), "--catalog", catalog, "--rejects", file]);
    cli.child.stdin.write(`${recordLine("people", { email: "bad-early" })}\n${stateLine("people", 1)}\n`);
    await cli.waitFor(() => cli.stdout().includes('"STATE"'), "the STATE echoed");
    // Read at once, while the run is still going (stdin is open).
    const rows = await readRows(file);
    cli.child.stdin.end();
    await cli.exited;
    expect(rows.map((row) => row._airbyte_data)).toEqual([{ email: "bad-early" }]);
  });

  it("is a config error naming the path when the file cannot be opened", async () => {
    const result = await runCli(
      ["write", "--config", await config(), "--object", "CONTACT", "--rejects", "/nonexistent-dir/r.jsonl"],
      { stdin: "" },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      "error: Cannot open the rejects file /nonexistent-dir/r.jsonl for appending (ENOENT)",
    );
  });

  it.each([
    ["--rejects and --receipt", "the same path", ["--rejects", "--receipt"], async (file: string) => file],
    [
      "--receipt and --plan",
      "a symlink",
      ["--receipt", "--plan"],
      async (file: string) => {
        const soft = join(dirname(file), "soft.json");
        await symlink(file, soft);
        return soft;
      },
    ],
    [
      "--rejects and --receipt",
      "a hard link",
      ["--rejects", "--receipt"],
      async (file: string) => {
        const hard = join(dirname(file), "hard.json");
        await link(file, hard);
        return hard;
      },
    ],
  ] as const)(
    "is a usage error when %s name one file (through %s), before anything is written or sent",
    async (_options, _how, [first, second], otherName) => {
      const file = await tempPath("out.jsonl");
      await writeFile(file, "kept\n");
      const result = await runCli(
        [
          "write",
          "--config",
          await config(),
          "--object",
          "CONTACT",
          first,
          file,
          second,
          await otherName(file),
        ],
        { stdin: '{"email":"bad"}\n' },
      );
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(`error: ${first} and ${second} name one file`);
      expect(await readFile(file, "utf8")).toBe("kept\n");
      expect(sandbox.stats.requests).toBe(0);
    },
  );

  it("says in the closing log how many rejects were kept nowhere without S3 or --rejects", async () => {
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const result = await runCli(["write", "--config", await config(), "--catalog", catalog], {
      stdin: [recordLine("people", { email: "bad-1" }), recordLine("people", { email: "bad-2" })].join("\n"),
    });
    const warnings = result.messages
      .filter((message) => message.log?.level === "WARN")
      .map((m) => m.log?.message);
    expect(warnings).toContainEqual(expect.stringContaining("2 rejected records were not kept anywhere"));
  });
  it("costs no upsert request: the same input takes as many with --rejects as with no store", async () => {
    // 2,000 contacts, 16 refused locally (the issue found 100 requests without a store and 165 with one for 10,000
    // and 40). Two requests at a time pause reading for the sends often, which is where waiting rejects split batches.
    const lines = Array.from({ length: 2_000 }, (_, i) =>
      i % 125 === 124 ? `{"email":"broken-${i}"}` : `{"email":"p${i}@example.com","firstname":"P"}`,
    ).join("\n");
    const upserts = (extraArgs: string[]) =>
      withSandbox({}, async (own) => {
        const ownConfig = await writeTempJson({
          credentials: { type: "Private App", access_token: "sandbox-private-app-token" },
          api_base_url: own.url,
          max_concurrent_requests: 2,
        });
        const result = await runCli(["write", "--config", ownConfig, "--object", "CONTACT", ...extraArgs], {
          stdin: lines,
        });
        expect(result.exitCode, result.stderr).toBe(3);
        expect(own.store.listRecords("contacts")).toHaveLength(1_984);
        return own.stats.byRoute.get("upsert") ?? 0;
      });
    const file = await tempPath("rejects.jsonl");
    const withoutStore = await upserts([]);
    const withFile = await upserts(["--rejects", file]);
    expect(withoutStore).toBe(20);
    expect(withFile).toBe(withoutStore);
    expect(await readRows(file)).toHaveLength(16);
  });
});
