import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Sandbox, SandboxOptions } from "../../src/sandbox/server.js";
import { binNodeFlags, writeTempJson } from "../support/cli.js";
import { configFor, useS3, useSandboxes } from "../support/harness.js";
import { recordLine, stateLine, stream } from "../support/messages.js";
import { contactLines, spawnCli, summaryCounts, tempPath } from "../support/process.js";
import { s3StorageConfig } from "../support/s3.js";

const startSandbox = useSandboxes();
const s3 = useS3();

/** A sandbox whose batch writes each take `delayMs`, so a few thousand records take many seconds. */
async function slowSandbox(delayMs: number, extra: SandboxOptions = {}) {
  return startSandbox({
    faults: [{ kind: "delay", path: "/batch/", times: 1_000_000, delayMs }],
    ...extra,
  });
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

const upserts = (target: Sandbox) => target.stats.byRoute.get("upsert") ?? 0;
/** The property definitions were read and a request (a batch, held by the delay) is in flight. */
const batchInFlight = (target: Sandbox) =>
  (target.stats.byRoute.get("properties") ?? 0) >= 1 &&
  target.stats.requests >= 2 &&
  target.stats.inFlight >= 1;

describe("write stopped by a signal", () => {
  it("exits 143 on SIGTERM in raw mode with every rejected record read so far stored in S3 and a summary", async () => {
    const target = await slowSandbox(150);
    const prefix = `signals-${Date.now()}`;
    const configPath = await config(target, {
      object_storage_config: s3StorageConfig(s3, { bucket_path: prefix }),
    });
    const cli = spawnCli(["write", "--config", configPath, "--object", "CONTACT"]);
    void cli.feed(contactLines(3000));
    await cli.waitFor(() => upserts(target) >= 4, "a few batches sent");
    cli.child.kill("SIGTERM");
    const exit = await cli.exited;

    expect(exit.code).toBe(143);
    expect(cli.stderr()).toContain("Stopped by SIGTERM.");
    const counts = summaryCounts(cli.stderr());
    expect(counts.rejected).toBeGreaterThan(0);
    expect(counts.read).toBeLessThan(3000);
    const stored = await s3.jsonLines(prefix);
    expect(stored).toHaveLength(counts.rejected);
    expect(cli.stderr()).toContain(`Rejected records: ${counts.rejected}, in s3://`);
    expect(target.store.listRecords("contacts")).toHaveLength(counts.written);
  });

  it("exits 130 on SIGINT in raw mode with the rejected records in the --rejects file", async () => {
    const target = await slowSandbox(150);
    const file = await tempPath("rejects.jsonl");
    const cli = spawnCli([
      "write",
      "--config",
      await config(target),
      "--object",
      "CONTACT",
      "--rejects",
      file,
    ]);
    void cli.feed(contactLines(3000));
    await cli.waitFor(() => upserts(target) >= 4, "a few batches sent");
    cli.child.kill("SIGINT");
    const exit = await cli.exited;

    expect(exit.code).toBe(130);
    expect(cli.stderr()).toContain("Stopped by SIGINT.");
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(summaryCounts(cli.stderr()).rejected);
    expect(JSON.parse(lines[0] as string)._rejection.code).toBe("INVALID_EMAIL");
  });

  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)(
    "echoes only settled states, stores the rejects, and ends an Airbyte-mode run stopped by %s with a transient_error and exit %i",
    async (signal, code) => {
      const target = await slowSandbox(150);
      const prefix = `airbyte-${signal}-${Date.now()}`;
      const configPath = await config(target, {
        object_storage_config: s3StorageConfig(s3, { bucket_path: prefix }),
      });
      const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
      const cli = spawnCli(["write", "--config", configPath, "--catalog", catalog]);
      const input = function* () {
        let index = 0;
        for (const data of contactLines(3000)) {
          yield recordLine("people", JSON.parse(data));
          index += 1;
          if (index % 20 === 0) yield stateLine("people", index);
        }
      };
      void cli.feed(input());
      await cli.waitFor(() => cli.messages().some((message) => message.type === "STATE"), "a first STATE");
      cli.child.kill(signal);
      const exit = await cli.exited;

      expect(exit.code).toBe(code);
      const messages = cli.messages();
      const trace = messages.find((message) => message.trace?.type === "ERROR")?.trace?.error;
      expect(trace).toMatchObject({ failure_type: "transient_error" });
      expect(trace?.message).toContain(`stopped by ${signal}`);
      // Every record before the last echoed state's cursor is written (or was a bad email).
      const cursors = messages
        .filter((message) => message.type === "STATE")
        .map(
          (message) =>
            (message.state as { stream: { stream_state: { cursor: number } } }).stream.stream_state.cursor,
        );
      const last = cursors.at(-1) as number;
      expect(last).toBeLessThan(3000);
      const emails = new Set(target.store.listRecords("contacts").map((record) => record.properties.email));
      for (let index = 0; index < last; index += 1) {
        if (index % 10 !== 9) expect(emails.has(`p${index}@x.co`)).toBe(true);
      }
      // Every record rejected before the signal is in S3, and the summary on stderr counts them.
      const counts = summaryCounts(cli.stderr());
      expect(cli.stderr()).toContain(`Stopped by ${signal}.`);
      expect(counts.rejected).toBeGreaterThanOrEqual(last / 10);
      expect(await s3.jsonLines(prefix)).toHaveLength(counts.rejected);
    },
  );

  // Both ways the CLI starts: the bin's flags (main thread) and none (a worker thread, forwarded the signals).
  it.each([
    ["the bin's flags", () => binNodeFlags()],
    ["no flags (worker thread)", () => []],
  ])(
    "exits at once with the same code on a second signal, saying so, and leaves no empty receipt, with %s",
    async (_way, flags) => {
      const target = await slowSandbox(5_000);
      const receipt = await tempPath("receipt.json");
      const cli = spawnCli(
        ["write", "--config", await config(target), "--object", "CONTACT", "--receipt", receipt],
        { nodeFlags: flags() },
      );
      void cli.feed(contactLines(200));
      await cli.waitFor(() => batchInFlight(target), "a batch in flight");
      cli.child.kill("SIGTERM");
      await cli.waitFor(() => cli.stderr().includes("Stopping (SIGTERM)"), "the stopping notice");
      const second = Date.now();
      cli.child.kill("SIGTERM");
      const exit = await cli.exited;

      expect(exit.code).toBe(143);
      // At once (well under the 20 s grace); the bound leaves room for a loaded machine.
      expect(exit.at - second).toBeLessThan(5_000);
      expect(cli.stderr()).toContain("a second signal asked to exit at once");
      // The receipt file was opened at the start; a forced exit writes no receipt, so none is left.
      expect(existsSync(receipt)).toBe(false);
    },
  );

  it("exits with the signal's code when the grace period runs out, saying so", async () => {
    const target = await slowSandbox(8_000);
    const cli = spawnCli(["write", "--config", await config(target), "--object", "CONTACT"], {
      env: { DESTINATION_HUBSPOT_GRACE_SECONDS: "1" },
    });
    void cli.feed(contactLines(200));
    await cli.waitFor(() => batchInFlight(target), "a batch in flight");
    const signalled = Date.now();
    cli.child.kill("SIGINT");
    const exit = await cli.exited;

    expect(exit.code).toBe(130);
    expect(exit.at - signalled).toBeGreaterThanOrEqual(900);
    expect(exit.at - signalled).toBeLessThan(8_000);
    expect(cli.stderr()).toContain("the grace period of 1 s ran out");
  });

  it("takes --grace-seconds over the environment", async () => {
    const target = await slowSandbox(8_000);
    const cli = spawnCli(
      ["write", "--config", await config(target), "--object", "CONTACT", "--grace-seconds", "0.5"],
      { env: { DESTINATION_HUBSPOT_GRACE_SECONDS: "30" } },
    );
    void cli.feed(contactLines(50));
    await cli.waitFor(() => batchInFlight(target), "a batch in flight");
    cli.child.kill("SIGTERM");
    const exit = await cli.exited;
    expect(exit.code).toBe(143);
    expect(cli.stderr()).toContain("the grace period of 0.5 s ran out");
  });
});
