// The ways the CLI is started (src/heap.ts): with the heap bound as Node flags (the bin's #! line, the Docker
// entrypoint, NODE_OPTIONS) it runs in the main thread; without (`node dist/main.js`) in a worker thread given the
// same bound. The rest of the suite starts it the first way; here the second way is run end to end too (and
// process-signals.test.ts stops it by signals both ways).
import { execFile } from "node:child_process";
import { dirname } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { binNodeFlags, cliEnv, MAIN, runCli } from "../support/cli.js";
import { configFor, useSandbox } from "../support/harness.js";
import { contactLines, spawnCli } from "../support/process.js";
import { HEAP_FLAGS } from "../../src/heap.js";

const sandbox = useSandbox();
const REPORT = { DESTINATION_HUBSPOT_REPORT_USAGE: "1" };
const lines = (values: Iterable<string>) => `${[...values].join("\n")}\n`;

/** The thread the usage report (printed at exit when asked for) says the CLI ran in. */
function threadOf(stderr: string): string | undefined {
  const report = /usage (\{.*\})/.exec(stderr)?.[1];
  return report === undefined ? undefined : (JSON.parse(report) as { thread?: string }).thread;
}

describe("how the CLI starts", () => {
  it("runs in the main thread when Node has the heap bound, in a worker thread when not", async () => {
    expect(binNodeFlags()).toEqual([...HEAP_FLAGS]);
    const ways: [string, string[], Record<string, string>][] = [
      ["the bin's flags", [...HEAP_FLAGS], {}],
      ["NODE_OPTIONS", [], { NODE_OPTIONS: HEAP_FLAGS[0] }],
      ["no flags", [], {}],
    ];
    const threads: Record<string, string | undefined> = {};
    for (const [way, nodeFlags, env] of ways) {
      const result = await runCli(["spec"], { nodeFlags, env: { ...REPORT, ...env } });
      expect(result.exitCode).toBe(0);
      threads[way] = threadOf(result.stderr);
    }
    expect(threads).toEqual({ "the bin's flags": "main", NODE_OPTIONS: "main", "no flags": "worker" });
  });

  it("runs the bin itself through its #! line, in the main thread", async () => {
    // `env` finds the Node running the suite first, as npm puts the project's Node first on PATH.
    const env = { ...cliEnv(REPORT), PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` };
    const { stdout, stderr } = await promisify(execFile)(MAIN, ["--version"], { env, timeout: 30_000 });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(threadOf(stderr)).toBe("main");
  });
});

describe("in the main thread", () => {
  it("waits out a pause of the input, reading fd 0 itself", async () => {
    // Node's stdin stream, once opened (by any import of node:process as a module), makes fd 0 non-blocking, and
    // the CLI's own reads of it then fail with EAGAIN the moment the pipe is empty.
    const config = (await configFor(sandbox, { api_version: "legacy", linger_ms: 20 })).path;
    const cli = spawnCli(["write", "--config", config, "--object", "CONTACT"], { env: REPORT });
    const contacts = [...contactLines(10, 0)];
    cli.child.stdin.write(`${contacts.slice(0, 5).join("\n")}\n`);
    await cli.waitFor(() => sandbox.store.listRecords("contacts").length === 5, "the first five written");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await cli.feed(contacts.slice(5)); // and ends stdin
    const exit = await cli.exited;
    expect(cli.stderr()).toContain("Done. Read 10 records: written 10");
    expect(exit.code).toBe(0);
    expect(threadOf(cli.stderr())).toBe("main");
  });
});

describe("in a worker thread (node dist/main.js)", () => {
  it("writes, rejects and exits with its code, every line of stdout and stderr out", async () => {
    const config = (await configFor(sandbox, { api_version: "legacy", linger_ms: 20 })).path;
    const result = await runCli(["write", "--config", config, "--object", "CONTACT"], {
      stdin: lines(contactLines(40)),
      nodeFlags: [],
      env: REPORT,
    });
    expect(threadOf(result.stderr)).toBe("worker");
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("Done. Read 40 records: written 36");
    expect(sandbox.store.listRecords("contacts")).toHaveLength(36);
  });
});
