import { describe, expect, it } from "vitest";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, useSandbox } from "../support/harness.js";
import { recordLine, stream } from "../support/messages.js";

const sandbox = useSandbox();

const percentile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? NaN;

describe("event latency", () => {
  it("delivers a steady 200 events/s exactly once, and reports the latency from stdin to HubSpot", async () => {
    const total = 600;
    const writtenAt = new Map<string, number>();
    async function* steady() {
      for (let i = 0; i < total; i += 10) {
        const lines: string[] = [];
        for (let j = i; j < i + 10; j += 1) {
          lines.push(recordLine("clicks", { email: `u${j % 50}@x.co`, feature: "export", uuid: `lat-${j}` }));
          writtenAt.set(`lat-${j}`, Date.now());
        }
        yield `${lines.join("\n")}\n`;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const config = await configFor(sandbox);
    const catalog = await writeTempJson({
      streams: [{ ...stream("clicks", "event:feature_used", "uuid", "append"), primary_key: [] }],
    });
    const result = await runCli(["write", "--config", config.path, "--catalog", catalog], {
      stdin: steady(),
      timeoutMs: 60_000,
    });
    expect(result.exitCode).toBe(0);

    const delivered = sandbox.store.events.list("feature_used");
    expect(delivered).toHaveLength(total);
    // Exactly once, counted in what HubSpot received: the event store drops a repeated uuid, the ledger does not.
    expect(delivered.map((event) => sandbox.ledger.eventReceipts(event.uuid))).toEqual(
      Array.from({ length: total }, () => 1),
    );
    expect(sandbox.ledger.duplicateUuids()).toEqual([]);
    const latencies = delivered
      .map((event) => event.receivedAt - (writtenAt.get(event.uuid) ?? NaN))
      .sort((a, b) => a - b);
    expect(latencies.every(Number.isFinite)).toBe(true);
    console.log(
      `event latency at 200 events/s (stdin → sandbox accepted), ${total} events: ` +
        `p50 ${percentile(latencies, 0.5)} ms, p95 ${percentile(latencies, 0.95)} ms, max ${latencies.at(-1)} ms`,
    );
  });
});
