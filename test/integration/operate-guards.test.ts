/**
 * `guards`: each fires at its documented point, and not earlier, with the error kind it documents; after a halt
 * nothing more is sent and no STATE is echoed, after the daily budget's clean stop every settled STATE is.
 */
import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { type CliResult, runCli } from "../support/cli.js";
import { createRecords, useSandbox, withSandbox } from "../support/harness.js";
import { tempPath } from "../support/process.js";
import { recordLine, stateLine, stream, streamStates } from "../support/messages.js";
import { configFile, readPlan, readReceipt, writeCatalog } from "./operate-harness.js";

const sandbox = useSandbox();

const people = stream("people", "CONTACT", "email");
const closures = stream("closures", "COMPANY", "company_external_id", "soft_delete");
const error = (result: CliResult) =>
  result.messages.find((message) => message.trace?.type === "ERROR")?.trace?.error;

/** Contacts n0@x.co … with a STATE after every `per` records. */
function contacts(count: number, per: number, from = 0): string[] {
  const lines: string[] = [];
  for (let index = from; index < from + count; index += 1) {
    lines.push(recordLine("people", { email: `n${index}@x.co` }));
    if ((index - from + 1) % per === 0) lines.push(stateLine("people", index + 1));
  }
  return lines;
}

/** One request at a time in batches of `batch`, so each guard's point is exact. */
const serial = (batch: number, guards: Record<string, unknown>, target: Sandbox = sandbox) =>
  configFile(target, { batch_size: batch, max_concurrent_requests: 1, linger_ms: 5, guards });

describe("guards.expected_portal_id", () => {
  it("refuses another portal before anything is read or written, and the receipt names the guard", async () => {
    const receipt = await tempPath("receipt.json");
    const result = await writeCatalog(
      await serial(5, { expected_portal_id: sandbox.portalId + 1 }),
      [people],
      contacts(5, 5),
      ["--receipt", receipt],
    );
    expect(result.exitCode).toBe(1);
    expect(error(result)?.failure_type).toBe("config_error");
    expect(error(result)?.message).toContain(`expects HubSpot portal ${sandbox.portalId + 1}`);
    expect(error(result)?.message).toContain(`belong to portal ${sandbox.portalId}`);
    expect(sandbox.stats.byRoute.get("properties") ?? 0).toBe(0);
    expect(sandbox.ledger.totals("contacts").creates).toBe(0);
    expect(streamStates(result.messages)).toEqual([]);
    const written = await readReceipt(receipt);
    expect(written.outcome).toMatchObject({ status: "failed", failure_type: "config_error" });
    expect(written.guards.fired).toContain("Guard expected_portal_id fired");
  });

  it("lets the run through on the portal it expects", async () => {
    const result = await writeCatalog(
      await serial(5, { expected_portal_id: sandbox.portalId }),
      [people],
      contacts(5, 5),
    );
    expect(result.exitCode).toBe(0);
    expect(sandbox.ledger.totals("contacts").creates).toBe(5);
  });
});

describe("guards.max_creates", () => {
  it("counts the records a list stream creates for missing members, in the plan, the halt and the receipt, and speaks of records in raw mode", async () => {
    const config = await configFile(sandbox, {
      lists: { create_missing_records: true },
      guards: { max_creates: 2 },
    });
    const emails = Array.from({ length: 20 }, (_, i) => JSON.stringify({ email: `new${i}@x.co` }));
    const args = ["write", "--config", config, "--object", "list:Newsletter", "--mode", "add"];
    const planFile = await tempPath("plan.jsonl");
    const plan = await runCli([...args, "--plan", planFile], { stdin: `${emails.join("\n")}\n` });
    expect(plan.exitCode).toBe(0);
    const { summary } = await readPlan(planFile);
    expect((summary as unknown as { guards: string[] }).guards).toEqual([
      "max_creates (2) would fire: the write would create 20 records, and stop once HubSpot's answers show 3.",
    ]);

    const receiptFile = await tempPath("receipt.json");
    const result = await runCli([...args, "--receipt", receiptFile], { stdin: `${emails.join("\n")}\n` });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Guard max_creates (2) fired: HubSpot's answers show 20 records created");
    expect(result.stderr).toContain("Nothing more was sent: no record after it");
    expect(result.stderr).not.toContain("STATE");
    const receipt = await readReceipt(receiptFile);
    expect(receipt.totals.created).toBe(20);
    expect(receipt.guards.fired).toContain("Guard max_creates (2) fired");
  });

  it("counts in the receipt the deals it created whose links a halt left unmade, as HubSpot has them", async () => {
    const companies = sandbox.store.resolve("companies");
    if (!companies) throw new Error("the sandbox has no companies");
    const acme = sandbox.store.create(companies, {
      company_external_id: "acme",
      name: "Acme",
    });
    expect(acme.id).toBeTruthy();
    const config = await configFile(sandbox, {
      guards: { max_creates: 2 },
      associations: [
        { stream: "deals", field: "company", to_object: "COMPANY", to_key: "company_external_id" },
      ],
    });
    const deal = (key: string) =>
      recordLine("deals", {
        deal_external_id: key,
        dealname: key,
        dealstage: "appointmentscheduled",
        pipeline: "default",
        company: "acme",
      });
    const receiptFile = await tempPath("receipt.json");
    const result = await writeCatalog(
      config,
      [stream("deals", "DEAL", "deal_external_id")],
      [...["d1", "d2", "d3", "d4", "d5"].map(deal), stateLine("deals", 5)],
      ["--receipt", receiptFile],
    );
    expect(result.exitCode).toBe(1);
    expect(error(result)?.message).toContain("Guard max_creates (2) fired");
    const receipt = await readReceipt(receiptFile);
    expect(receipt.totals.created).toBe(sandbox.ledger.totals("deals").creates);
    expect(receipt.totals.created).toBe(5);
    expect(receipt.totals.written).toBe(0);
    expect(streamStates(result.messages)).toEqual([]);
  });

  it("halts once HubSpot's answers show more creates than the cap: that batch is written, nothing after it, no STATE past it", async () => {
    const result = await writeCatalog(await serial(5, { max_creates: 7 }), [people], contacts(20, 5));
    expect(result.exitCode).toBe(1);
    expect(error(result)?.failure_type).toBe("config_error");
    expect(error(result)?.message).toContain(
      "Guard max_creates (7) fired: HubSpot's answers show 10 records created",
    );
    expect(sandbox.ledger.totals("contacts").creates).toBe(10);
    expect(streamStates(result.messages)).toEqual([
      { name: "people", recordCount: 5, rejectedRecordCount: undefined },
    ]);
  });

  it("does not fire at the cap itself, nor count updates", async () => {
    createRecords(
      sandbox,
      "contacts",
      Array.from({ length: 10 }, (_, index) => ({ email: `n${index}@x.co` })),
    );
    const result = await writeCatalog(await serial(5, { max_creates: 10 }), [people], contacts(20, 5));
    expect(result.exitCode).toBe(0);
    expect(sandbox.ledger.totals("contacts")).toMatchObject({ creates: 20, updates: 10 });
    expect(streamStates(result.messages)).toHaveLength(4);
  });
});

describe("guards.max_archives", () => {
  /** Companies C-0 … already in HubSpot (made in the store: set-up, not a run). */
  const seedCompanies = (count: number) =>
    createRecords(
      sandbox,
      "companies",
      Array.from({ length: count }, (_, i) => ({ company_external_id: `C-${i}`, name: `Co ${i}` })),
    );
  const archives = (count: number) => [
    ...Array.from({ length: count }, (_, i) => recordLine("closures", { company_external_id: `C-${i}` })),
    stateLine("closures", 1),
  ];

  it("does not send the archive batch that would pass the cap, and halts", async () => {
    seedCompanies(6);
    const result = await writeCatalog(await serial(2, { max_archives: 4 }), [closures], archives(6));
    expect(result.exitCode).toBe(1);
    expect(error(result)?.message).toContain("Guard max_archives (4) fired");
    expect(sandbox.ledger.totals("companies").archives).toBe(4);
    expect(sandbox.stats.byRoute.get("archive")).toBe(2);
    expect(streamStates(result.messages)).toEqual([]);
  });

  it("archives up to the cap exactly without firing", async () => {
    seedCompanies(6);
    const result = await writeCatalog(await serial(2, { max_archives: 6 }), [closures], archives(6));
    expect(result.exitCode).toBe(0);
    expect(sandbox.ledger.totals("companies").archives).toBe(6);
  });
});

describe("guards.max_reject_ratio", () => {
  const input = (bad: number, good: number) => [
    ...Array.from({ length: bad }, (_, i) => recordLine("people", { email: `bad-${i}` })),
    ...Array.from({ length: good }, (_, i) => recordLine("people", { email: `good${i}@x.co` })),
    stateLine("people", 1),
  ];

  it("is judged from min_records records on, and then halts the run before more is sent", async () => {
    const result = await writeCatalog(
      await serial(5, { max_reject_ratio: 0.2, min_records: 10 }),
      [people],
      input(9, 30),
    );
    expect(result.exitCode).toBe(1);
    expect(error(result)?.failure_type).toBe("config_error");
    expect(error(result)?.message).toContain("9 of the 10 records read were rejected");
    expect(sandbox.ledger.totals("contacts").creates).toBe(0);
    expect(streamStates(result.messages)).toEqual([]);
  });

  it("does not fire below min_records, however many were rejected", async () => {
    const result = await writeCatalog(
      await serial(5, { max_reject_ratio: 0.2, min_records: 10 }),
      [people],
      input(9, 0),
    );
    expect(result.exitCode).toBe(0);
    expect(streamStates(result.messages)).toEqual([
      { name: "people", recordCount: 0, rejectedRecordCount: 9 },
    ]);
  });
});

describe("guards.daily_budget_share", () => {
  it("stops cleanly with a transient_error before the run's requests pass the share, echoing every settled STATE", async () => {
    await withSandbox({ rateLimit: { max: 190, intervalMs: 10_000, daily: 200 } }, async (limited) => {
      const receipt = await tempPath("receipt.json");
      const result = await writeCatalog(
        await serial(1, { daily_budget_share: 0.1 }, limited),
        [people],
        contacts(40, 1),
        ["--receipt", receipt],
      );
      expect(result.exitCode).toBe(1);
      expect(error(result)?.failure_type).toBe("transient_error");
      expect(error(result)?.message).toContain("Guard daily_budget_share (0.1) stopped the run");
      // The share is 20 requests; one concurrency slot is kept as room: it stops at 19, not before.
      expect(limited.stats.requests).toBeLessThanOrEqual(20);
      expect(limited.stats.requests).toBeGreaterThanOrEqual(19);
      // Every STATE read whose record was written is echoed: only the one after the last record read may not have been.
      const written = limited.ledger.totals("contacts").creates;
      const states = streamStates(result.messages);
      expect(states.every((state) => state.recordCount === 1)).toBe(true);
      expect(states.length).toBeGreaterThanOrEqual(written - 1);
      expect(states.length).toBeLessThanOrEqual(written);
      // A clean stop, as a signal's: the receipt says the guard stopped the run, not that it failed.
      const stored = await readReceipt(receipt);
      expect(stored.outcome).toEqual({ status: "stopped", by: "the daily_budget_share guard" });
      expect(stored.guards.fired).toContain("Guard daily_budget_share (0.1) stopped the run");
      expect(stored.states_echoed).toBe(states.length);
    });
  });
});
