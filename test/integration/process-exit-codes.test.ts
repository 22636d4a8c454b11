import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { MAIN, runCli, writeTempJson } from "../support/cli.js";
import { configFor, useSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream } from "../support/messages.js";
import { contactLines, spawnCli } from "../support/process.js";

const sandbox = useSandbox();

const config = async (extra: Record<string, unknown> = {}) =>
  (await configFor(sandbox, { api_version: "legacy", linger_ms: 20, ...extra })).path;

const lines = (values: Iterable<string>) => `${[...values].join("\n")}\n`;
const trace = (result: Awaited<ReturnType<typeof runCli>>) =>
  result.messages.find((message) => message.trace?.type === "ERROR")?.trace?.error;

describe("exit codes", () => {
  it("is 0 in raw mode when every record was written", async () => {
    const result = await runCli(["write", "--config", await config(), "--object", "CONTACT"], {
      stdin: lines(contactLines(5, 0)),
    });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("Done. Read 5 records: written 5");
  });

  it("is 3 in raw mode when some records were rejected, and the summary says how many and where", async () => {
    const result = await runCli(["write", "--config", await config(), "--object", "CONTACT"], {
      stdin: lines(["email,firstname", "a@x.co,Ada", ...contactLines(3, 0)]),
    });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("rejected 2.");
    expect(result.stderr).toContain("INVALID_JSON: 2");
    expect(result.stderr).toContain("2 rejected records were not kept anywhere");
  });

  it("is 0 in Airbyte mode whatever was rejected: the platform reads the state stats", async () => {
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const result = await runCli(["write", "--config", await config(), "--catalog", catalog], {
      stdin: lines([recordLine("people", { email: "nope" }), stateLine("people", 1)]),
    });
    expect(result.exitCode).toBe(0);
  });

  it("is 1 for a fatal error, with a TRACE on stdout and one error: line on stderr in raw mode", async () => {
    const result = await runCli(["write", "--config", await config(), "--object", "NO_SUCH_OBJECT"], {
      stdin: lines(contactLines(1, 0)),
    });
    expect(result.exitCode).toBe(1);
    expect(trace(result)).toMatchObject({ failure_type: "config_error" });
    expect(result.stderr.split("\n").filter((line) => line.startsWith("error: "))).toHaveLength(1);
  });

  it("is 1 when --max-rejects N is passed, stopping the run early and naming the figure", async () => {
    const input = [...contactLines(2_000, 2)];
    const result = await runCli(
      ["write", "--config", await config({ batch_size: 10 }), "--object", "CONTACT", "--max-rejects", "3"],
      { stdin: lines(input) },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /^error: More than 3 records were rejected \(4 of \d+ read\), the limit set by --max-rejects 3/m,
    );
    expect(sandbox.store.listRecords("contacts").length).toBeLessThan(1_000);
  });

  it("is 1 when --max-rejects 5% is passed in Airbyte mode, with a config_error TRACE", async () => {
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const input = [...contactLines(300, 10)].map((line) => recordLine("people", JSON.parse(line)));
    const result = await runCli(
      ["write", "--config", await config(), "--catalog", catalog, "--max-rejects", "5%"],
      { stdin: lines([...input, stateLine("people", 300)]) },
    );
    expect(result.exitCode).toBe(1);
    expect(trace(result)).toMatchObject({ failure_type: "config_error" });
    expect(trace(result)?.message).toContain("More than 5% of the records were rejected");
  });

  it("names in the --max-rejects TRACE the counts the closing LOG lines give", async () => {
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    // Every record is refused locally; the share is judged at the 100th read, before it is mapped.
    const input = Array.from({ length: 100 }, (_, index) => recordLine("people", { email: `bad-${index}` }));
    const result = await runCli(
      ["write", "--config", await config(), "--catalog", catalog, "--max-rejects", "5%"],
      { stdin: lines([...input, stateLine("people", 100)]) },
    );
    expect(result.exitCode).toBe(1);
    const closing = result.messages.find((message) => message.log?.message.startsWith("Write stopped by"));
    const rejected = Number(/, (\d+) rejected \(/.exec(closing?.log?.message ?? "")?.[1]);
    const read = Number(
      /^people: read (\d+)/m.exec(result.messages.map((m) => m.log?.message).join("\n"))?.[1],
    );
    expect(rejected).toBe(100);
    expect(trace(result)?.message).toContain(`(${rejected} of ${read} read)`);
  });

  it("is 2 for a write with neither or both of --catalog and --object", async () => {
    const neither = await runCli(["write", "--config", await config()]);
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const both = await runCli([
      "write",
      "--config",
      await config(),
      "--catalog",
      catalog,
      "--object",
      "CONTACT",
    ]);
    expect(neither.exitCode).toBe(2);
    expect(both.exitCode).toBe(2);
    expect(neither.stderr).toContain("error: write needs --catalog");
  });

  it("is 2 for bad option values", async () => {
    const path = await config();
    for (const args of [
      ["--max-rejects", "lots"],
      ["--grace-seconds", "soon"],
    ]) {
      const result = await runCli(["write", "--config", path, "--object", "CONTACT", ...args], { stdin: "" });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(`error: ${args[0]}`);
    }
  });

  it("is 2 with help on stderr and nothing on stdout when there are no arguments", async () => {
    const result = await runCli([]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Usage: destination-hubspot");
  });

  it("is 2 for a sandbox port in use, with a hint", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const result = await runCli(["sandbox", "--port", String(port)]);
    server.close();
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`error: Port ${port} on 127.0.0.1 is already in use`);
    expect(result.stderr).toContain("--port 0");
  });

  it("prints the package version on stdout with --version, the one line there that is not a message", async () => {
    const cli = spawnCli(["--version"]);
    const exit = await cli.exited;
    const version = (
      JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
    ).version;
    expect(exit.code).toBe(0);
    expect(cli.stdout()).toBe(`${version}\n`);
  });
});

/** The machine's own Node, when it is older than the CLI needs (this machine's is 20). */
const oldNode = ["/usr/bin/node", "/usr/local/bin/node"].find((path) => {
  if (!existsSync(path)) return false;
  const version = execFileSync(path, ["--version"], { encoding: "utf8" });
  return Number(/^v(\d+)/.exec(version)?.[1]) < 24;
});

describe.skipIf(oldNode === undefined)("under a Node older than 24", () => {
  it("says so in one line instead of a stack trace", () => {
    let stderr = "";
    let status: number | null = 0;
    try {
      execFileSync(oldNode as string, [MAIN, "--help"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      stderr = (error as { stderr: string }).stderr;
      status = (error as { status: number | null }).status;
    }
    expect(status).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(
      /^error: destination-hubspot needs Node\.js 24 or newer, but this is Node\.js v\d+/,
    );
  });
});
