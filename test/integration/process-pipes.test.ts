import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { binNodeFlags, cliEnv, MAIN, writeTempJson } from "../support/cli.js";
import { configFor, useSandboxes } from "../support/harness.js";
import { recordLine, stateLine, stream } from "../support/messages.js";
import { contactLines, spawnCli } from "../support/process.js";

const startSandbox = useSandboxes();

async function start(delayMs: number) {
  return startSandbox({ faults: [{ kind: "delay", path: "/batch/", times: 1_000_000, delayMs }] });
}

const config = async (target: Sandbox, extra: Record<string, unknown> = {}) =>
  (
    await configFor(target, {
      api_version: "legacy",
      linger_ms: 20,
      batch_size: 10,
      max_concurrent_requests: 2,
      ...extra,
    })
  ).path;

const contacts = (target: Sandbox) => target.store.listRecords("contacts").length;

describe("write with its output pipes closed early", () => {
  it("ends an Airbyte-mode run soon after stdout closes (write … | head -n 1), sending no more batches, exit 141", async () => {
    const target = await start(50);
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const cli = spawnCli(["write", "--config", await config(target), "--catalog", catalog]);
    const input = function* () {
      let index = 0;
      for (const data of contactLines(20_000, 0)) {
        yield recordLine("people", JSON.parse(data));
        index += 1;
        if (index % 20 === 0) yield stateLine("people", index);
      }
    };
    void cli.feed(input());
    await cli.waitFor(() => cli.stdout().includes('"STATE"'), "a first STATE");
    cli.child.stdout.destroy();
    const exit = await cli.exited;
    const requestsAtExit = target.stats.requests;
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(exit.code).toBe(141);
    expect(contacts(target)).toBeLessThan(1_000);
    expect(target.stats.requests).toBe(requestsAtExit);
  });

  it("keeps writing every record in raw mode after stderr closes, and still exits with its code", async () => {
    const target = await start(0);
    const cli = spawnCli(
      ["write", "--config", await config(target, { batch_size: 100 }), "--object", "CONTACT"],
      {
        env: { DESTINATION_HUBSPOT_PROGRESS_INTERVAL_MS: "50" },
      },
    );
    // The bad first record makes a warning on stderr at once; then progress lines keep writing to it.
    void cli.feed([JSON.stringify({ email: "not-an-email" }), ...contactLines(3_000, 0)]);
    await cli.waitFor(() => cli.stderr().length > 0, "a first stderr line");
    cli.child.stderr.destroy();
    const exit = await cli.exited;

    expect(exit.code).toBe(3);
    expect(contacts(target)).toBe(3_000);
  });

  it("keeps writing every record in raw mode when stdout and stderr are one closed pipe (2>&1 | head -n 1)", async () => {
    const target = await start(0);
    const cli = spawnCli(
      ["write", "--config", await config(target, { batch_size: 100 }), "--object", "CONTACT"],
      {
        env: { DESTINATION_HUBSPOT_PROGRESS_INTERVAL_MS: "50" },
      },
    );
    void cli.feed([JSON.stringify({ email: "not-an-email" }), ...contactLines(3_000, 0)]);
    await cli.waitFor(() => cli.stderr().length > 0, "a first stderr line");
    cli.child.stderr.destroy();
    cli.child.stdout.destroy();
    const exit = await cli.exited;

    expect(exit.code).toBe(3);
    expect(contacts(target)).toBe(3_000);
  });
});

describe("write with a slow reader", () => {
  // A pipe stdout and stderr share (2>&1) is put in non-blocking mode under the CLI when Node opens its own stderr
  // stream (it does when a socket is destroyed): writes to a full pipe then meet EAGAIN, which means "wait", not
  // "closed". Both ways the CLI starts (main thread, worker thread).
  it.each([
    ["the bin's flags", () => binNodeFlags()],
    ["no flags (worker thread)", () => []],
  ])(
    "waits for a reader of stdout and stderr on one pipe who is slow to start, with %s",
    async (_way, flags) => {
      const target = await start(0);
      const configPath = await config(target, { batch_size: 100 });
      const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
      const args = [...flags(), MAIN, "write", "--config", configPath, "--catalog", catalog];
      const child = spawn("/bin/sh", ["-c", 'exec "$0" "$@" 2>&1', process.execPath, ...args], {
        env: cliEnv(),
        stdio: ["pipe", "pipe", "inherit"],
      });
      const count = 1_500;
      for (let index = 0; index < count; index += 1) {
        child.stdin.write(`${recordLine("people", { email: `slow${index}@x.co` })}\n`);
        // Long states: 1,500 of them are far more than a pipe holds.
        child.stdin.write(`${stateLine("people", { at: index + 1, note: "s".repeat(200) })}\n`);
      }
      child.stdin.end();
      child.stdout.pause();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const chunks: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
      child.stdout.resume();
      const deadline = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await new Promise<number | null>((resolve) =>
        child.on("close", (exitCode) => resolve(exitCode)),
      );
      clearTimeout(deadline);
      const states = Buffer.concat(chunks)
        .toString("utf8")
        .split("\n")
        .filter((line) => line.startsWith('{"type":"STATE"'));
      expect(code).toBe(0);
      expect(states).toHaveLength(count);
      expect(contacts(target)).toBe(count);
    },
  );
});
