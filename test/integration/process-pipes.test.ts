import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { writeTempJson } from "../support/cli.js";
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
