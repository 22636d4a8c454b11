/**
 * `replay` at its edges: rows give back exactly what the source sent (number literals no double holds, in a local
 * file and in gzipped CSV parts), and what a replay cannot mean is refused before anything is read or sent: an
 * output naming its source, a source without a single row, a directory, S3 without credentials. Counted in what
 * HubSpot received (the sandbox's ledger and request count).
 */
import { link, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../support/cli.js";
import { useS3, useSandbox } from "../support/harness.js";
import { stateLine, stream } from "../support/messages.js";
import { s3StorageConfig } from "../support/s3.js";
import { configFile, freshPrefix, replay, tempPath, writeCatalog } from "./operate-harness.js";

const s3 = useS3();
const sandbox = useSandbox({ ledgerHistory: true });

const people = stream("people", "CONTACT", "email");
const failure = (result: CliResult) =>
  result.messages.find((message) => message.trace?.type === "ERROR")?.trace?.error;

describe("replay gives back what the source sent", () => {
  it("keeps number literals no double holds in gzipped CSV parts, and replays them as sent", async () => {
    const original = freshPrefix("csv");
    const storage = s3StorageConfig(s3, {
      bucket_path: original,
      format: { format_type: "CSV" },
      compression: { compression_type: "GZIP" },
    });
    const written = await writeCatalog(
      await configFile(sandbox, { object_storage_config: storage }),
      [people],
      [
        '{"type":"RECORD","record":{"stream":"people","emitted_at":1,"data":{"email":"x@example.com","annualrevenue":1e-400}}}',
        stateLine("people", 1),
      ],
    );
    expect(written.exitCode).toBe(0);
    const [key, ...others] = await s3.keys(original);
    expect(others).toEqual([]);
    expect(key).toMatch(/\.csv\.gz$/);
    expect(await s3.text(key as string)).toContain('""annualrevenue"":1e-400}');

    const again = await tempPath("again.jsonl");
    const config = await configFile(sandbox, {}, s3, freshPrefix("elsewhere"));
    const result = await replay([
      "--config",
      config,
      "--from",
      `s3://${s3.bucket}/${original}/`,
      "--rejects",
      again,
    ]);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("1 replayed: 0 written, 1 rejected again");
    expect(await readFile(again, "utf8")).toContain(
      '"_airbyte_data":{"email":"x@example.com","annualrevenue":1e-400}',
    );
    expect(sandbox.ledger.get("contacts", "email=x@example.com")).toBeUndefined();
  });

  it("stores a local row as sent, replays it without clearing or rounding, and a fixed row writes the exact value", async () => {
    const config = await configFile(sandbox);
    const earlier = await runCli(["write", "--config", config, "--object", "CONTACT"], {
      stdin: '{"email":"x@example.com","annualrevenue":5}\n',
    });
    expect(earlier.exitCode).toBe(0);
    const rejects = await tempPath("rejects.jsonl");
    const write = await runCli(["write", "--config", config, "--object", "CONTACT", "--rejects", rejects], {
      stdin:
        '{"email":"x@example.com","annualrevenue":1e400}\n{"email":"y@example.com","jobtitle":9223372036854775808}\n',
    });
    expect(write.exitCode).toBe(3);
    const stored = await readFile(rejects, "utf8");
    expect(stored).toContain('"_airbyte_data":{"email":"x@example.com","annualrevenue":1e400}');
    expect(stored).toContain('"_airbyte_data":{"email":"y@example.com","jobtitle":9223372036854775808}');

    // Replayed as stored, both are refused again: 1e400 does not become null (which would clear the value).
    const again = await tempPath("again.jsonl");
    const unfixed = await replay(["--config", config, "--from", rejects, "--rejects", again]);
    expect(unfixed.exitCode).toBe(3);
    expect(unfixed.stderr).toContain("2 replayed: 0 written, 2 rejected again");
    expect(
      sandbox.ledger.get("contacts", "email=x@example.com")?.history?.map((written) => written.annualrevenue),
    ).toEqual(["5"]);
    expect(sandbox.ledger.get("contacts", "email=y@example.com")).toBeUndefined();
    const storedAgain = await readFile(again, "utf8");
    expect(storedAgain).toContain('"annualrevenue":1e400}');
    expect(storedAgain).toContain('"jobtitle":9223372036854775808}');

    // The operator's fix: the identifier travels as a string. HubSpot gets the digits the source sent.
    const fixed = await tempPath("fixed.jsonl");
    await writeFile(
      fixed,
      stored.replace('"jobtitle":9223372036854775808', '"jobtitle":"9223372036854775808"'),
    );
    const result = await replay(["--config", config, "--from", fixed, "--code", "INVALID_NUMBER"]);
    expect(result.stderr).toContain("2 replayed: 1 written");
    expect(sandbox.store.findRecord("contacts", "email", "y@example.com")?.properties.jobtitle).toBe(
      "9223372036854775808",
    );
  });
});

describe("replay refuses what cannot be meant", () => {
  const row = {
    _airbyte_data: { email: "still bad" },
    _rejection: { stream: "people", object: "CONTACT", code: "INVALID_EMAIL", run: "r" },
  };

  it.each([
    [
      "--receipt",
      "a hard link to it",
      async (file: string) => {
        const hard = join(dirname(file), "hard.json");
        await link(file, hard);
        return hard;
      },
    ],
    [
      "--plan",
      "a symlink to it",
      async (file: string) => {
        const soft = join(dirname(file), "soft.jsonl");
        await symlink(file, soft);
        return soft;
      },
    ],
  ] as const)(
    "refuses %s naming its source, through %s, before reading or sending anything",
    async (option, _name, otherName) => {
      const file = await tempPath("rejects.jsonl");
      await writeFile(file, `${JSON.stringify(row)}\n`);
      const result = await replay([
        "--config",
        await configFile(sandbox),
        "--from",
        file,
        option,
        await otherName(file),
      ]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(`error: --from and ${option} name one file`);
      expect(result.stderr).toContain("a replay never writes to its source");
      expect(await readFile(file, "utf8")).toBe(`${JSON.stringify(row)}\n`);
      expect(sandbox.stats.requests).toBe(0);
    },
  );

  it.each([
    ["an empty file", async (file: string) => writeFile(file, ""), "is empty"],
    [
      "a file of lines that are not rows",
      async (file: string) => writeFile(file, '{"email":"a@x.co"}\nnot json\n'),
      "holds no rejected-record row: none of its 2 lines is a row",
    ],
    ["a directory", async (file: string) => mkdir(file), "is a directory"],
  ])("is a config_error for %s, saying what is wrong", async (_name, make, says) => {
    const from = await tempPath("source");
    await make(from);
    const result = await replay(["--config", await configFile(sandbox), "--from", from]);
    expect(result.exitCode).toBe(1);
    expect(failure(result)).toMatchObject({ failure_type: "config_error" });
    expect(failure(result)?.message).toContain(`--from ${from} ${says}`);
    expect(sandbox.stats.requests).toBe(0);
  });

  it("is a config_error for an s3:// source without an S3 store or AWS credentials, and for a prefix with no parts", async () => {
    const noCredentials = {
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      AWS_SESSION_TOKEN: "",
      AWS_PROFILE: "",
      AWS_WEB_IDENTITY_TOKEN_FILE: "",
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "",
      AWS_CONTAINER_CREDENTIALS_FULL_URI: "",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
      AWS_CONFIG_FILE: "/nonexistent/config",
      // Never ask an instance metadata service: tests talk to loopback only.
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const unconfigured = await runCli(
      ["replay", "--config", await configFile(sandbox), "--from", `s3://${s3.bucket}/anything/`],
      { stdin: "", env: noCredentials },
    );
    expect(unconfigured.exitCode).toBe(1);
    expect(failure(unconfigured)).toMatchObject({ failure_type: "config_error" });
    expect(failure(unconfigured)?.message).toContain("no AWS credentials were found");
    expect(failure(unconfigured)?.message).toContain("The config has no S3 store");

    const empty = await replay([
      "--config",
      await configFile(sandbox, {}, s3, freshPrefix("elsewhere")),
      "--from",
      `s3://${s3.bucket}/${freshPrefix("nothing")}/`,
    ]);
    expect(empty.exitCode).toBe(1);
    expect(failure(empty)).toMatchObject({ failure_type: "config_error" });
    expect(failure(empty)?.message).toContain("holds no rejected-record parts");
  });
});
