/**
 * `write --plan`: a verdict per record that the following real write confirms, with nothing written meanwhile.
 * The sandbox's ledger and request counts show what HubSpot would have received.
 */
import { describe, expect, it } from "vitest";
import { createRecords, useS3, useSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream } from "../support/messages.js";
import {
  configFile,
  freshPrefix,
  type PlanLineOut,
  readPlan,
  readReceipt,
  tempPath,
  writeCatalog,
} from "./operate-harness.js";

const s3 = useS3();
const sandbox = useSandbox();

const people = stream("people", "CONTACT", "email");
const renames = stream("renames", "COMPANY", "company_external_id", "update");
const closures = stream("closures", "COMPANY", "company_external_id", "soft_delete");
const signups = { ...stream("signups", "event:signed_up", "uuid", "append"), primary_key: [] };
const STREAMS = [people, renames, closures, signups];

/** What HubSpot holds before the plan: two contacts and two companies (made in the store: set-up, not a run). */
async function seed(): Promise<void> {
  createRecords(sandbox, "contacts", [
    { email: "same@x.co", firstname: "Ada", lastname: "Lovelace" },
    { email: "changed@x.co", firstname: "Bea" },
  ]);
  createRecords(sandbox, "companies", [
    { company_external_id: "C-1", name: "Acme" },
    { company_external_id: "C-2", name: "Gone Ltd" },
  ]);
  sandbox.ledger.clear();
}

/** The input of both runs; each line's expected verdict in the comment. */
const INPUT = [
  recordLine("people", { email: "same@x.co", firstname: "Ada" }), // 1 unchanged
  recordLine("people", { email: "changed@x.co", firstname: "Beatrice" }), // 2 update
  recordLine("people", { email: "new@x.co", firstname: "Cy" }), // 3 create
  recordLine("people", { email: "not-an-email" }), // 4 reject INVALID_EMAIL
  recordLine("people", { email: "d@x.co", shoe_size: 44 }), // 5 reject UNKNOWN_PROPERTY
  stateLine("people", 1),
  recordLine("people", { email: "new@x.co", lastname: "Later" }), // 7 update (the plan's own create)
  recordLine("renames", { company_external_id: "C-1", name: "Acme Inc" }), // 8 update
  recordLine("renames", { company_external_id: "C-404", name: "Nobody" }), // 9 reject OBJECT_NOT_FOUND
  recordLine("closures", { company_external_id: "C-2" }), // 10 archive
  recordLine("closures", { company_external_id: "C-999" }), // 11 absent
  recordLine("signups", { email: "ada@x.co", plan: "pro", uuid: "2b9c6a2e-6f0e-4d5e-9a43-1c6f3f7b8e01" }), // 12 send
  stateLine("people", 2),
];

const verdictsByLine = (lines: PlanLineOut[]) =>
  Object.fromEntries(
    lines.map((line) => [line.line, line.verdict === "reject" ? `reject ${line.code}` : line.verdict]),
  );

describe("write --plan", () => {
  it("gives each record the verdict a write would reach, writing nothing to HubSpot and echoing no STATE", async () => {
    await seed();
    const before = new Map(sandbox.stats.byRoute);
    const planFile = await tempPath("plan.jsonl");
    const result = await writeCatalog(await configFile(sandbox), STREAMS, INPUT, ["--plan", planFile]);
    expect(result.exitCode).toBe(0);
    const { lines, summary } = await readPlan(planFile);
    expect(verdictsByLine(lines)).toEqual({
      1: "unchanged",
      2: "update",
      3: "create",
      4: "reject INVALID_EMAIL",
      5: "reject UNKNOWN_PROPERTY",
      7: "update",
      8: "update",
      9: "reject OBJECT_NOT_FOUND",
      10: "archive",
      11: "absent",
      12: "send",
    });
    const byLine = new Map(lines.map((line) => [line.line, line]));
    expect(byLine.get(2)?.changes).toEqual({ firstname: { from: "Bea", to: "Beatrice" } });
    expect(byLine.get(7)?.changes).toEqual({ lastname: { from: null, to: "Later" } });
    expect(byLine.get(4)?.field).toBe("email");
    expect(result.messages.filter((message) => message.type === "STATE")).toEqual([]);
    expect(summary.states).toEqual({ read: 2, echoed: 0 });
    // Nothing reached HubSpot but reads.
    for (const object of ["contacts", "companies"]) {
      expect(sandbox.ledger.totals(object)).toMatchObject({ creates: 0, updates: 0, archives: 0 });
    }
    for (const route of ["upsert", "update", "archive", "create", "events-batch", "events-send"]) {
      expect([route, sandbox.stats.byRoute.get(route) ?? 0]).toEqual([route, before.get(route) ?? 0]);
    }
    expect((sandbox.stats.byRoute.get("read") ?? 0) - (before.get("read") ?? 0)).toBeGreaterThan(0);
    expect(sandbox.store.events.list("signed_up")).toEqual([]);
    expect(sandbox.store.findRecord("contacts", "email", "changed@x.co")?.properties.firstname).toBe("Bea");
    expect(summary.cannot_know.join(" ")).toContain("validation rules");
  });

  it("is confirmed by the write that follows: the same verdicts, counts and reject codes, record by record", async () => {
    await seed();
    const planFile = await tempPath("plan.jsonl");
    const plan = await writeCatalog(await configFile(sandbox), STREAMS, INPUT, ["--plan", planFile]);
    expect(plan.exitCode).toBe(0);
    const { lines, summary } = await readPlan(planFile);

    const prefix = freshPrefix("confirm");
    const receiptFile = await tempPath("receipt.json");
    const write = await writeCatalog(await configFile(sandbox, {}, s3, prefix), STREAMS, INPUT, [
      "--receipt",
      receiptFile,
    ]);
    expect(write.exitCode).toBe(0);
    const receipt = await readReceipt(receiptFile);
    for (const planned of summary.streams) {
      const written = receipt.streams.find((entry) => entry.stream === planned.stream);
      const verdict = (name: string) => planned.verdicts[name] ?? 0;
      expect([
        planned.stream,
        written?.created,
        written?.updated,
        written?.archived,
        written?.already_absent,
      ]).toEqual([
        planned.stream,
        verdict("create"),
        verdict("update") + verdict("unchanged"),
        verdict("archive"),
        verdict("absent"),
      ]);
      expect(written?.rejected_by_code).toEqual(planned.rejected_by_code);
    }
    // Record by record: the write rejected exactly the lines the plan said it would, with the same codes.
    const rejects = (await s3.jsonLines(prefix)) as Array<{
      _rejection: { line_number: number; code: string };
    }>;
    const rejectedLines = Object.fromEntries(
      rejects.map((row) => [row._rejection.line_number, row._rejection.code]),
    );
    expect(rejectedLines).toEqual(
      Object.fromEntries(
        lines.filter((line) => line.verdict === "reject").map((line) => [line.line, line.code]),
      ),
    );
    // The plan's creates are the keys HubSpot created, its updates and unchanged the keys it updated.
    for (const line of lines.filter((one) => one.stream === "people" && one.verdict !== "reject")) {
      const entry = sandbox.ledger.get("contacts", `email=${line.key}`);
      if (line.line === 3) expect(entry?.creates).toBe(1);
      else
        expect([line.line, entry?.creates, (entry?.updates ?? 0) > 0]).toEqual([
          line.line,
          line.line === 7 ? 1 : 0,
          true,
        ]);
    }
    expect(sandbox.store.events.list("signed_up")).toHaveLength(summary.records.verdicts.send ?? 0);
  });

  it("counts the requests a write would need, per stream and in all", async () => {
    await seed();
    const planFile = await tempPath("plan.jsonl");
    await writeCatalog(
      await configFile(sandbox, { batch_size: 2 }),
      [closures],
      [
        ...["C-1", "C-2", "C-3"].map((id) => recordLine("closures", { company_external_id: id })),
        stateLine("closures", 1),
      ],
      ["--plan", planFile],
    );
    const { summary } = await readPlan(planFile);
    // Two batches (2 + 1); the first finds records and would archive them (read + archive), the second finds none.
    expect(summary.streams[0]?.write_requests).toEqual({ batches: 2, requests: 3 });
    expect(summary.write_requests.total).toBe(summary.write_requests.setup + 3);
  });

  it("writes reject lines in raw pipe mode with the write's codes, and exits 3 as that write would", async () => {
    const planFile = await tempPath("plan.jsonl");
    const { runCli } = await import("../support/cli.js");
    const result = await runCli(
      ["write", "--config", await configFile(sandbox), "--object", "CONTACT", "--plan", planFile],
      {
        stdin: ['{"email":"ok@x.co"}', "not json", '{"email":"nope"}'].join("\n"),
      },
    );
    expect(result.exitCode).toBe(3);
    const { lines } = await readPlan(planFile);
    expect(verdictsByLine(lines)).toEqual({
      1: "create",
      2: "reject INVALID_JSON",
      3: "reject INVALID_EMAIL",
    });
    expect(result.stderr).toContain("Plan (nothing was written)");
    expect(sandbox.ledger.totals("contacts").creates).toBe(0);
  });

  it("refuses --rejects beside --plan, which writes no rejects store", async () => {
    const { runCli } = await import("../support/cli.js");
    const result = await runCli(
      [
        "write",
        "--config",
        await configFile(sandbox),
        "--object",
        "CONTACT",
        "--plan",
        await tempPath("p.jsonl"),
        "--rejects",
        await tempPath("r.jsonl"),
      ],
      { stdin: "" },
    );
    expect(result.exitCode).toBe(2);
  });
});
