/**
 * The run receipt: its counts match what the sandbox received and what the echoed STATEs say; its request counts
 * match the sandbox's; it is stored beside the rejects in S3 and in --receipt FILE, and written as far as a run
 * got when it failed.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { type SandboxOptions } from "../../src/sandbox/server.js";
import { connectorVersion } from "../../src/version.js";
import { useS3, withSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream, streamStates } from "../support/messages.js";
import { configFile, freshPrefix, readReceipt, TOKEN, tempPath, writeCatalog } from "./operate-harness.js";

const s3 = useS3();

const people = stream("people", "CONTACT", "email");
const signups = { ...stream("signups", "event:signed_up", "uuid", "append"), primary_key: [] };

describe("the run receipt", () => {
  it("counts what the sandbox received and the STATEs carry, with the sandbox's request count, in S3 and the file", async () => {
    await withSandbox({ latencyMs: 25 }, async (sandbox) => {
      const prefix = freshPrefix("receipt");
      const config = await configFile(sandbox, { batch_size: 3 }, s3, prefix);
      await writeCatalog(
        config,
        [people],
        [recordLine("people", { email: "old@x.co" }), stateLine("people", 0)],
      );
      sandbox.ledger.clear();
      const requestsBefore = sandbox.stats.requests;
      const upsertsBefore = sandbox.stats.byRoute.get("upsert") ?? 0;
      const receiptFile = await tempPath("receipt.json");
      const lines = [
        recordLine("people", { email: "old@x.co", firstname: "Again" }),
        ...Array.from({ length: 5 }, (_, i) => recordLine("people", { email: `p${i}@x.co` })),
        recordLine("people", { email: "bad" }),
        recordLine("people", { email: "x@x.co", no_such: 1 }),
        stateLine("people", 1),
        ...Array.from({ length: 4 }, (_, i) => recordLine("signups", { email: `p${i}@x.co`, plan: "pro" })),
        stateLine("signups", 1),
      ];
      const result = await writeCatalog(config, [people, signups], lines, ["--receipt", receiptFile]);
      expect(result.exitCode).toBe(0);
      const receipt = await readReceipt(receiptFile);
      const contacts = sandbox.ledger.totals("contacts");
      const states = streamStates(result.messages);
      const stateSum = (field: "recordCount" | "rejectedRecordCount") =>
        states.reduce((sum, state) => sum + (state[field] ?? 0), 0);
      expect(receipt.outcome).toEqual({ status: "finished" });
      expect(receipt.totals).toMatchObject({
        read: 12,
        created: 5,
        updated: 1,
        rejected: 2,
        unchanged: null,
      });
      expect([receipt.totals.created, receipt.totals.updated]).toEqual([contacts.creates, contacts.updates]);
      expect(receipt.totals.written).toBe(stateSum("recordCount"));
      expect(receipt.totals.rejected).toBe(stateSum("rejectedRecordCount"));
      expect(receipt.totals.rejected_by_code).toEqual({ INVALID_EMAIL: 1, UNKNOWN_PROPERTY: 1 });
      expect(receipt.streams.find((entry) => entry.stream === "signups")).toMatchObject({
        written: 4,
        created: 0,
        rejected: 0,
      });
      expect(receipt.states_echoed).toBe(states.length);
      // Every request the run made, as the sandbox counted them.
      expect(receipt.requests.sent).toBe(sandbox.stats.requests - requestsBefore);
      const upserts = Object.entries(receipt.requests.by_endpoint)
        .filter(([endpoint]) => endpoint.endsWith("/batch/upsert"))
        .reduce((sum, [, statuses]) => sum + (statuses["200"] ?? 0), 0);
      expect(upserts).toBe((sandbox.stats.byRoute.get("upsert") ?? 0) - upsertsBefore);
      const latency = receipt.requests.latency_ms;
      expect(latency.count).toBe(receipt.requests.sent);
      expect(latency.p50).toBeGreaterThanOrEqual(20);
      expect(latency.p50 as number).toBeLessThanOrEqual(latency.p95 as number);
      expect(latency.p95 as number).toBeLessThanOrEqual(latency.max as number);
      expect(receipt.event_latency_ms?.count).toBe(4);
      expect(receipt.event_latency_ms?.p50).toBeGreaterThan(0);
      expect(receipt.connector.version).toBe(connectorVersion());
      expect(receipt.duration_ms).toBeGreaterThan(0);
      // The same document beside the rejected records; no secret in either.
      const stored = await s3.receipts(prefix);
      expect(stored.at(-1)).toEqual(receipt);
      expect(await readFile(receiptFile, "utf8")).not.toContain(TOKEN);
      expect(JSON.stringify(result.messages)).toContain("Receipt: ");
    });
  });

  it("counts 429s, retries, the time waited and what isolating a refused batch cost", async () => {
    const faults = [{ kind: "status", status: 429, path: "/batch/upsert", times: 2 }];
    await withSandbox({ faults } as SandboxOptions, async (sandbox) => {
      const receiptFile = await tempPath("receipt.json");
      const requestsBefore = sandbox.stats.requests;
      // HubSpot refuses a batch of contacts keyed by email as a whole for one address it finds invalid.
      const lines = ["a@x.co", "b@x.co", "c@example.con", "d@x.co"].map((email) =>
        recordLine("people", { email }),
      );
      const result = await writeCatalog(
        await configFile(sandbox),
        [people],
        [...lines, stateLine("people", 1)],
        ["--receipt", receiptFile],
      );
      expect(result.exitCode).toBe(0);
      const receipt = await readReceipt(receiptFile);
      expect(sandbox.faults.fired).toEqual([2]);
      expect(receipt.rate_limit.answers_429).toBe(2);
      expect(receipt.retries.count).toBe(2);
      expect(receipt.retries.waited_ms).toBeGreaterThan(0);
      expect(receipt.totals.rejected).toBe(1);
      expect(receipt.isolation.records_isolated).toBe(1);
      expect(receipt.isolation.extra_requests).toBeGreaterThanOrEqual(1);
      expect(receipt.requests.sent).toBe(sandbox.stats.requests - requestsBefore);
    });
  });

  it("is written as far as the run got when it fails, with the failure", async () => {
    const faults = [{ kind: "status", status: 429, policyName: "DAILY", path: "/batch/upsert", after: 1 }];
    await withSandbox({ faults } as SandboxOptions, async (sandbox) => {
      const receiptFile = await tempPath("receipt.json");
      const lines = [
        recordLine("people", { email: "first@x.co" }),
        stateLine("people", 1),
        recordLine("people", { email: "second@x.co" }),
        stateLine("people", 2),
      ];
      const config = await configFile(sandbox, { batch_size: 1, max_concurrent_requests: 1 });
      const result = await writeCatalog(config, [people], lines, ["--receipt", receiptFile]);
      expect(result.exitCode).toBe(1);
      const receipt = await readReceipt(receiptFile);
      expect(sandbox.faults.fired).toEqual([1]);
      expect(receipt.outcome).toMatchObject({ status: "failed", failure_type: "transient_error" });
      expect(receipt.totals).toMatchObject({ read: 2, created: 1 });
      expect(receipt.totals.created).toBe(sandbox.ledger.totals("contacts").creates);
      expect(receipt.states_echoed).toBe(streamStates(result.messages).length);
      expect(receipt.unsettled).toBe(1);
    });
  });
});
