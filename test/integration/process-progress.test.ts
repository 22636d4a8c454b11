import { describe, expect, it } from "vitest";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, useSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream } from "../support/messages.js";
import { contactLines } from "../support/process.js";

const sandbox = useSandbox({
  faults: [{ kind: "delay", path: "/batch/", times: 1_000_000, delayMs: 100 }],
});

// Each batch takes 100 ms: 20 batches one at a time make a run of at least two seconds, over a dozen intervals.

const config = async () =>
  (
    await configFor(sandbox, {
      api_version: "legacy",
      linger_ms: 20,
      batch_size: 10,
      max_concurrent_requests: 1,
    })
  ).path;

const PACED = { DESTINATION_HUBSPOT_PROGRESS_INTERVAL_MS: "150" };

describe("progress during a long write", () => {
  it("prints progress lines on stderr in raw mode off a terminal, and nothing on stdout", async () => {
    const result = await runCli(["write", "--config", await config(), "--object", "CONTACT"], {
      stdin: `${[...contactLines(200, 0)].join("\n")}\n`,
      env: PACED,
    });
    expect(result.exitCode).toBe(0);
    const progress = result.stderr.split("\n").filter((line) => line.startsWith("progress: "));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toMatch(
      /^progress: read \d+, written \d+, rejected 0, \d+ records\/s, \d+ requests \(429: 0\), [\d.]+ request-seconds waiting for the rate limit, \d+ s$/,
    );
    expect(result.stdout).toBe("");
  });

  it("sends progress as LOG messages in Airbyte mode", async () => {
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const lines = [...contactLines(200, 0)].map((line) => recordLine("people", JSON.parse(line)));
    const result = await runCli(["write", "--config", await config(), "--catalog", catalog], {
      stdin: `${[...lines, stateLine("people", 200)].join("\n")}\n`,
      env: PACED,
    });
    expect(result.exitCode).toBe(0);
    const progress = result.messages.filter((message) => message.log?.message.startsWith("progress: "));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(result.stderr).not.toContain("progress: ");
  });

  it("says nothing of progress in a run shorter than the interval", async () => {
    const result = await runCli(["write", "--config", await config(), "--object", "CONTACT"], {
      stdin: `${[...contactLines(5, 0)].join("\n")}\n`,
    });
    expect(result.stderr).not.toContain("progress: ");
  });
});
