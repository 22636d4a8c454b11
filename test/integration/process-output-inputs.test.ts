/**
 * No output of a run (`--rejects`, `--receipt`, `--plan`) may be a file the run reads (`--config`, `--catalog`, a
 * replay's `--from`, stdin when it is a regular file) or the protocol's stdout: found before anything is written
 * or sent, exit 2, and the input left as it was.
 */
import { spawn } from "node:child_process";
import { link, open, readFile, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { binNodeFlags, cliEnv, MAIN, runCli, writeTempJson } from "../support/cli.js";
import { configFor, useSandbox } from "../support/harness.js";
import { stream } from "../support/messages.js";
import { tempPath } from "../support/process.js";

const sandbox = useSandbox({}, { per: "file" });

const config = async () => (await configFor(sandbox, { api_version: "legacy", linger_ms: 20 })).path;

/** The CLI with stdin read from a file (a regular file on fd 0, as `< file` gives), bounded in time. */
async function runWithStdinFile(args: string[], stdinFile: string, timeoutMs = 20_000) {
  const input = await open(stdinFile, "r");
  try {
    const child = spawn(process.execPath, [...binNodeFlags(), MAIN, ...args], {
      env: cliEnv(),
      stdio: [input.fd, "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearTimeout(timer);
    return { exitCode, stdout, stderr };
  } finally {
    await input.close();
  }
}

const badContacts = (count: number) =>
  Array.from({ length: count }, (_, index) => `{"email":"bad-${index}"}`).join("\n") + "\n";

describe("an output naming one of the run's inputs", () => {
  it("is a usage error for --receipt over --config, and the config (token and all) is kept", async () => {
    const cfg = await config();
    const before = await readFile(cfg, "utf8");
    const result = await runCli(["write", "--config", cfg, "--object", "CONTACT", "--receipt", cfg], {
      stdin: '{"email":"a@example.com"}\n',
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("error: --config and --receipt name one file");
    expect(await readFile(cfg, "utf8")).toBe(before);
    expect(sandbox.stats.requests).toBe(0);
  });

  it("is a usage error for --plan through a symlink to --catalog, and the catalog is kept", async () => {
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const before = await readFile(catalog, "utf8");
    const alias = join(dirname(catalog), "alias.json");
    await symlink(catalog, alias);
    const result = await runCli(
      ["write", "--config", await config(), "--catalog", catalog, "--plan", alias],
      {
        stdin: "",
      },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("error: --catalog and --plan name one file");
    expect(await readFile(catalog, "utf8")).toBe(before);
  });

  it("is a usage error for --receipt over the file stdin reads, which is kept", async () => {
    const input = await tempPath("in.jsonl");
    await writeFile(input, '{"email":"a@example.com"}\n');
    const result = await runWithStdinFile(
      ["write", "--config", await config(), "--object", "CONTACT", "--receipt", input],
      input,
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("error: stdin and --receipt name one file");
    expect(await readFile(input, "utf8")).toBe('{"email":"a@example.com"}\n');
    expect(sandbox.stats.requests).toBe(0);
  });

  it("is a usage error for --rejects through a hard link to stdin's file, which would be read back for ever", async () => {
    const input = await tempPath("big.jsonl");
    const lines = badContacts(5000);
    await writeFile(input, lines);
    const hard = join(dirname(input), "hard.jsonl");
    await link(input, hard);
    const result = await runWithStdinFile(
      ["write", "--config", await config(), "--object", "CONTACT", "--rejects", hard],
      input,
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("error: stdin and --rejects name one file");
    expect(await readFile(input, "utf8")).toBe(lines);
  });

  it("is a usage error for --rejects /dev/stdout: nothing but Airbyte messages goes to stdout", async () => {
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const result = await runCli(
      ["write", "--config", await config(), "--catalog", catalog, "--rejects", "/dev/stdout"],
      { stdin: '{"type":"RECORD","record":{"stream":"people","data":{"email":"bad"},"emitted_at":1}}\n' },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("error: stdout and --rejects name one file");
    expect(result.stdout).not.toContain("_rejection");
  });

  it("is a usage error for replay's --receipt over --config", async () => {
    const cfg = await config();
    const before = await readFile(cfg, "utf8");
    const from = await tempPath("rejects.jsonl");
    await writeFile(from, "");
    const result = await runCli(["replay", "--config", cfg, "--from", from, "--receipt", cfg]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("error: --config and --receipt name one file");
    expect(await readFile(cfg, "utf8")).toBe(before);
  });

  it("still lets stdin be a file when no output names it", async () => {
    const input = await tempPath("in.jsonl");
    await writeFile(input, '{"email":"fine@example.com"}\n');
    const receipt = await tempPath("receipt.json");
    const result = await runWithStdinFile(
      ["write", "--config", await config(), "--object", "CONTACT", "--receipt", receipt],
      input,
    );
    expect(result.stderr).not.toContain("name one file");
    expect(result.exitCode).toBe(0);
  });
});
