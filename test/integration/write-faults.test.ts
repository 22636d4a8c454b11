import { describe, expect, it } from "vitest";
import type { FaultRule, Sandbox, SandboxOptions } from "../../src/sandbox/server.js";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, OAUTH, traceError, useSandboxes } from "../support/harness.js";
import { recordLine, stateLine, stream, streamStates } from "../support/messages.js";

const startSandbox = useSandboxes();

/** 60 contacts in 3 state windows of 20, written in batches of 10. */
function input(count = 60, perState = 20): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1) {
    lines.push(recordLine("people", { email: `p${i}@x.co`, firstname: `P${i}` }));
    if ((i + 1) % perState === 0) lines.push(stateLine("people", i + 1));
  }
  return lines;
}

async function writeUnder(
  faults: FaultRule[],
  options: { sandbox?: SandboxOptions; config?: Record<string, unknown>; lines?: string[] } = {},
) {
  const sandbox = await startSandbox({ ...options.sandbox, faults });
  const config = await configFor(sandbox, { batch_size: 10, linger_ms: 20, ...options.config });
  const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
  const result = await runCli(["write", "--config", config.path, "--catalog", catalog], {
    stdin: `${(options.lines ?? input()).join("\n")}\n`,
    timeoutMs: 90_000,
  });
  return { ...result, sandbox };
}

/** How often HubSpot received each input contact, p0@x.co … in order (the sandbox's ledger: every send counts). */
const receipts = (sandbox: Sandbox, count: number) =>
  Array.from({ length: count }, (_, i) => sandbox.ledger.get("contacts", `email=p${i}@x.co`)?.received ?? 0);

/**
 * Every input contact reached HubSpot and was sent once, counted in what HubSpot received (the sandbox's ledger),
 * not in what its unique index makes true; and the states came back in order with full counts.
 */
function expectAllWrittenOnce(result: Awaited<ReturnType<typeof writeUnder>>, count = 60) {
  expect(result.exitCode, result.stderr).toBe(0);
  expect(result.sandbox.store.listRecords("contacts")).toHaveLength(count);
  expect(receipts(result.sandbox, count)).toEqual(Array.from({ length: count }, () => 1));
  expect(streamStates(result.messages)).toEqual(
    Array.from({ length: count / 20 }, () => ({
      name: "people",
      recordCount: 20,
      rejectedRecordCount: undefined,
    })),
  );
}

describe("write under injected faults", () => {
  it("retries 500 and 503 answers and loses nothing", async () => {
    const result = await writeUnder([
      { kind: "status", status: 500, path: "/batch/upsert", times: 2 },
      { kind: "status", status: 503, path: "/batch/upsert", times: 1, after: 2 },
    ]);
    expect(result.sandbox.faults.fired).toEqual([2, 1]);
    expectAllWrittenOnce(result);
    expect(result.messages.some((m) => m.log?.message.includes("Retrying POST"))).toBe(true);
  });

  it("retries a 502 that HubSpot answered after committing the write, sending that batch again and no other", async () => {
    // The batch holding p0@x.co is committed and answered 502 twice: it is sent three times, every other once.
    const result = await writeUnder([
      { kind: "commit-then-status", status: 502, path: "/batch/upsert", bodyContains: '"p0@x.co"', times: 2 },
    ]);
    expect(result.sandbox.faults.fired).toEqual([2]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.sandbox.store.listRecords("contacts")).toHaveLength(60);
    const counts = receipts(result.sandbox, 60);
    const resent = counts.filter((times) => times !== 1);
    expect(counts[0]).toBe(3);
    expect(resent.length).toBeLessThanOrEqual(10);
    expect(new Set(resent)).toEqual(new Set([3]));
    expect(streamStates(result.messages).map((state) => state.recordCount)).toEqual([20, 20, 20]);
  });

  it("survives connection resets", async () => {
    const result = await writeUnder([{ kind: "reset", path: "/batch/upsert", times: 3 }]);
    expect(result.sandbox.faults.fired).toEqual([3]);
    expectAllWrittenOnce(result);
  });

  it("waits out a burst of 429s and carries on", async () => {
    const result = await writeUnder([{ kind: "status", status: 429, path: "/batch/upsert", times: 3 }], {
      sandbox: { rateLimit: { max: 100, intervalMs: 1000, daily: 1_000_000 } },
    });
    expect(result.sandbox.faults.fired).toEqual([3]);
    expectAllWrittenOnce(result);
  });

  it("refreshes an OAuth token that expires mid-run", async () => {
    const result = await writeUnder([{ kind: "expire-token", path: "/batch/upsert", after: 2, times: 1 }], {
      config: { credentials: { type: "OAuth", ...OAUTH } },
    });
    expect(result.sandbox.faults.fired).toEqual([1]);
    expectAllWrittenOnce(result);
    expect(result.sandbox.stats.byRoute.get("token")).toBeGreaterThanOrEqual(2);
    expect(result.stdout + result.stderr).not.toContain(OAUTH.client_secret);
  });

  it("stops with a transient error on the DAILY limit and echoes no state past the unwritten records", async () => {
    const result = await writeUnder([
      { kind: "status", status: 429, policyName: "DAILY", path: "/batch/upsert", after: 2, times: 1000 },
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.sandbox.faults.fired[0]).toBeGreaterThanOrEqual(1);
    const error = traceError(result);
    expect(error?.failure_type).toBe("transient_error");
    expect(error?.message).toMatch(/daily/i);
    // Batches 1 and 2 were written: at most the first window (20 records) can be checkpointed.
    expect(streamStates(result.messages).length).toBeLessThanOrEqual(1);
  });

  it("warns when the day's HubSpot requests are nearly used up", async () => {
    // 21 requests (the properties read and 20 batches) against a day of 22: the last ones run under a tenth.
    const result = await writeUnder([], {
      sandbox: { rateLimit: { max: 100, intervalMs: 10_000, daily: 22 } },
      lines: input(200, 20),
    });
    expectAllWrittenOnce(result, 200);
    const warnings = result.messages.filter((m) => m.log?.message.includes("nearly used up"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.log?.message).toMatch(/[12] of 22 requests left today/);
  });

  it("paces itself under the rate limit HubSpot announces, without a single 429", async () => {
    const result = await writeUnder([], {
      sandbox: { rateLimit: { max: 10, intervalMs: 1000, daily: 1_000_000 } },
      lines: input(200, 20),
    });
    expectAllWrittenOnce(result, 200);
    expect(result.sandbox.stats.rateLimited).toBe(0);
    expect(result.sandbox.stats.byRoute.get("upsert")).toBe(20);
  });
});
