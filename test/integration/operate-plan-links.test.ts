/**
 * `write --plan` over catalogs with associations and list streams: the associations stage and the lists' own
 * routes, sender and sweep run over stand-ins that send no write. Each test plans first and checks that HubSpot
 * received no write (records, links, memberships, lists), then runs the real write on the same input and reads back
 * from the sandbox that every verdict came true: the links made and taken off, the members added and removed, the
 * counts and the reject codes.
 */
import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { type CliResult, runCli, writeTempJson } from "../support/cli.js";
import { readRejectsFile } from "../support/harness.js";
import { listStream, makeContacts, memberEmails, seedMembers, statusLine } from "../support/lists.js";
import { recordLine, stateLine } from "../support/messages.js";
import {
  companies,
  company,
  configFile,
  deal,
  deals,
  EMPLOYER,
  idOf,
  linksByKey,
  people,
  person,
  received,
  withSandbox,
} from "./associations-harness.js";
import { type PlanLineOut, type PlanSummaryOut, readPlan, readReceipt, tempPath } from "./operate-harness.js";

type Line = PlanLineOut & { actions?: Array<{ verdict: string; about: string }> };
type Summary = PlanSummaryOut & {
  streams: Array<
    PlanSummaryOut["streams"][number] & {
      actions: Record<string, number>;
      mode: string;
      object: string | null;
    }
  >;
  notes: string[];
};
type Counts = Record<string, number | null | Record<string, number>> & { stream: string };

interface Case {
  streams: unknown[];
  lines: string[];
  extra: Record<string, unknown>;
}

/** Runs `write` (or, with `plan`, `write --plan`) with a receipt; answers the run, its receipt and rejects. */
async function run(sandbox: Sandbox, input: Case, plan = false) {
  const config = await configFile(sandbox, input.extra);
  const catalog = await writeTempJson({ streams: input.streams });
  const planFile = await tempPath("plan.jsonl");
  const receiptFile = await tempPath("receipt.json");
  const rejectsFile = await tempPath("rejects.jsonl");
  const args = ["write", "--config", config.path, "--catalog", catalog, "--receipt", receiptFile];
  // A plan keeps no rejects (its file stands in for the store): --rejects goes with the real write only.
  const result = await runCli(plan ? [...args, "--plan", planFile] : [...args, "--rejects", rejectsFile], {
    stdin: `${input.lines.join("\n")}\n`,
  });
  const rejects = plan ? [] : await readRejectsFile(rejectsFile);
  const receipt = await readReceipt(receiptFile);
  return { result, planFile, streams: receipt.streams as unknown as Counts[], rejects };
}

/** What HubSpot has received so far: link inputs, membership requests, lists. */
const writesSoFar = (sandbox: Sandbox) => ({
  links: received(sandbox),
  memberships: sandbox.store.lists.received(),
  lists: sandbox.store.lists.all().map((list) => list.name),
});

/** Plans `input`, checks that nothing was written meanwhile, and answers the plan's lines and summary. */
async function planOnly(sandbox: Sandbox, input: Case) {
  sandbox.ledger.clear();
  const before = writesSoFar(sandbox);
  const plan = await run(sandbox, input, true);
  expect(plan.result.exitCode).toBe(0);
  for (const object of ["contacts", "companies", "deals"]) {
    expect([object, sandbox.ledger.totals(object)]).toMatchObject([
      object,
      { creates: 0, updates: 0, archives: 0 },
    ]);
  }
  expect(writesSoFar(sandbox)).toEqual(before);
  expect(plan.result.messages.filter((message) => message.type === "STATE")).toEqual([]);
  const { lines, summary } = await readPlan(plan.planFile);
  return { lines: lines as Line[], summary: summary as Summary };
}

const byLine = (lines: Line[]) => new Map(lines.filter((line) => line.line !== null).map((l) => [l.line, l]));
const verdictsOf = (lines: Line[]) =>
  Object.fromEntries(
    [...byLine(lines)].map(([n, l]) => [n, l.verdict === "reject" ? `reject ${l.code}` : l.verdict]),
  );
const actionsOf = (line: Line | undefined) => (line?.actions ?? []).map((a) => `${a.verdict} ${a.about}`);

/** The write's receipt says per stream what the plan said: effects, links, and reject codes, line by line. */
function expectConfirmed(
  plan: { lines: Line[]; summary: Summary },
  write: Awaited<ReturnType<typeof run>>,
  result: CliResult,
) {
  expect(result.exitCode).toBe(0);
  for (const planned of plan.summary.streams) {
    const counts = write.streams.find((entry) => entry.stream === planned.stream) as Counts;
    const verdict = (name: string) => planned.verdicts[name] ?? 0;
    expect({
      stream: planned.stream,
      created: counts.created,
      updated: counts.updated,
      added: counts.added,
      unchangedMembers: (counts.already_members as number) + (counts.not_members as number),
      removed: counts.removed,
      linked: counts.linked,
      unlinked: counts.unlinked,
      rejected: counts.rejected_by_code,
    }).toEqual({
      stream: planned.stream,
      // Records created: lines' own verdicts, and `create` actions (a list member's record; a record rejected after
      // its own write, for its links): HubSpot created them all.
      created: verdict("create") + (planned.actions.create ?? 0),
      // HubSpot's answer to an upsert does not tell an update from an unchanged record.
      updated: planned.mode === "upsert" ? verdict("update") + verdict("unchanged") : 0,
      added: verdict("add"),
      unchangedMembers: planned.object?.startsWith("list") ? verdict("unchanged") : 0,
      // A sweep's removals are lines of their own, and count with the stream's removals.
      removed: verdict("remove"),
      linked: planned.actions.link ?? 0,
      unlinked: planned.actions.unlink ?? 0,
      rejected: planned.rejected_by_code,
    });
  }
  const codes = Object.fromEntries(
    write.rejects.map((row) => [row._rejection.line_number, row._rejection.code]),
  );
  const planned = plan.lines
    .filter((line) => line.verdict === "reject")
    .map((line) => [line.line, line.code]);
  expect(codes).toEqual(Object.fromEntries(planned));
}

describe("write --plan with associations and lists", () => {
  it("plans links, unlinks, list adds and an overwrite's sweep without writing, and the write then does exactly that", async () => {
    await withSandbox({}, async (sandbox) => {
      // HubSpot before: acme and globex; ann works at acme (Employee); Newsletter holds ann and old.
      const seeded = await run(sandbox, {
        streams: [companies, people],
        extra: { associations: [{ ...EMPLOYER, replace: true }] },
        lines: [
          company("acme"),
          company("globex"),
          person("ann@x.co", { employer: "acme" }),
          person("bob@x.co"),
          stateLine("people", 1),
        ],
      });
      expect(seeded.result.exitCode).toBe(0);
      const ids = makeContacts(sandbox, ["old@x.co"]);
      seedMembers(sandbox, "Newsletter", [
        idOf(sandbox, "contacts", "ann@x.co"),
        ids.get("old@x.co") as string,
      ]);

      const input: Case = {
        streams: [
          companies,
          people,
          deals,
          listStream("audience", "list:Newsletter", "overwrite", { generationId: 2 }),
          listStream("vips", "list:VIPs", "append"),
        ],
        extra: {
          associations: [
            { ...EMPLOYER, replace: true },
            { stream: "deals", field: "company", to_object: "COMPANY", to_key: "company_external_id" },
            { stream: "deals", field: "contacts", to_object: "CONTACT", to_key: "email" },
          ],
          lists: { create_missing_lists: true, create_missing_records: true },
          guards: { max_list_removals: 5 },
        },
        lines: [
          company("initech"), // 1 create
          person("ann@x.co", { employer: "globex" }), // 2 unchanged; link globex (Employee), acme loses Employee
          person("cy@x.co", { employer: "initech" }), // 3 create; link initech, which the run creates
          deal("d1", { company: "initech", contacts: ["ann@x.co", "cy@x.co"] }), // 4 create; three links
          deal("d2", { company: "nowhere" }), // 5 reject ASSOCIATION_TARGET_NOT_FOUND
          recordLine("audience", { email: "ann@x.co" }), // 6 unchanged (a member already)
          recordLine("audience", { email: "bob@x.co" }), // 7 add
          recordLine("audience", { email: "dee@x.co", firstname: "Dee" }), // 8 add, creating dee first
          recordLine("audience", { email: "not-an-email" }), // 9 reject INVALID_EMAIL
          statusLine("audience", "COMPLETE"), // 10: the sweep removes old@x.co
          recordLine("vips", { email: "bob@x.co" }), // 11 add, to a list the write creates
          stateLine("people", 2),
        ],
      };

      const plan = await planOnly(sandbox, input);
      expect(sandbox.store.lists.byName("VIPs")).toBeUndefined();
      expect(sandbox.store.findRecord("contacts", "email", "dee@x.co")).toBeUndefined();
      expect(verdictsOf(plan.lines)).toEqual({
        1: "create",
        2: "unchanged",
        3: "create",
        4: "create",
        5: "reject ASSOCIATION_TARGET_NOT_FOUND",
        6: "unchanged",
        7: "add",
        8: "add",
        9: "reject INVALID_EMAIL",
        11: "add",
      });
      const line = byLine(plan.lines);
      expect(actionsOf(line.get(2))).toEqual([
        'link COMPANY company_external_id "globex" (Employee)',
        // A link the record no longer lists is known by its target's id alone.
        `unlink COMPANY record ${idOf(sandbox, "companies", "acme")} (label Employee)`,
      ]);
      expect(actionsOf(line.get(3))).toEqual(['link COMPANY company_external_id "initech" (Employee)']);
      expect(actionsOf(line.get(4))).toEqual([
        'link COMPANY company_external_id "initech"',
        'link CONTACT email "ann@x.co"',
        'link CONTACT email "cy@x.co"',
      ]);
      expect(actionsOf(line.get(8))).toEqual(["create CONTACT dee@x.co"]);
      // Rejected for its link, d2 is still created: its line keeps its key and its own write.
      expect(line.get(5)?.key).toBe("d2");
      expect(actionsOf(line.get(5))).toEqual(["create DEAL d2"]);
      const own = plan.lines.filter((one) => one.line === null);
      expect(own.map((one) => [one.stream, one.verdict, one.key])).toEqual([
        ["audience", "remove", "old@x.co"],
      ]);
      expect(plan.summary.notes.join("\n")).toContain("Created list VIPs");
      expect(plan.summary.notes.join("\n")).toContain("Created Newsletter · sync generation 2");
      expect(plan.summary.guards).toEqual([
        "max_list_removals (5) holds: the write would ask to remove 1 list member.",
      ]);

      const write = await run(sandbox, input);
      expectConfirmed(plan, write, write.result);
      expect(linksByKey(sandbox, "contacts", "ann@x.co", "companies")).toEqual({
        acme: "(unlabeled)",
        globex: "(unlabeled), Employee",
      });
      expect(linksByKey(sandbox, "contacts", "cy@x.co", "companies")).toEqual({
        initech: "(unlabeled), Employee",
      });
      expect(linksByKey(sandbox, "deals", "d1", "companies")).toEqual({ initech: "(unlabeled)" });
      expect(linksByKey(sandbox, "deals", "d1", "contacts")).toEqual({
        "ann@x.co": "(unlabeled)",
        "cy@x.co": "(unlabeled)",
      });
      expect(memberEmails(sandbox, "Newsletter")).toEqual(["ann@x.co", "bob@x.co", "dee@x.co"]);
      expect(memberEmails(sandbox, "VIPs")).toEqual(["bob@x.co"]);
    });
  });

  it("plans a member with no record as RECORD_NOT_FOUND and a removal of a non-member as unchanged, as the write gives them", async () => {
    await withSandbox({}, async (sandbox) => {
      const ids = makeContacts(sandbox, ["ann@x.co", "bob@x.co", "cy@x.co", "eve@x.co"]);
      const id = (email: string) => ids.get(email) as string;
      seedMembers(sandbox, "Newsletter", [id("ann@x.co"), id("bob@x.co")]);
      seedMembers(sandbox, "Webinar attendees 2025", [id("bob@x.co"), id("eve@x.co")]);
      const input: Case = {
        streams: [
          listStream("joiners", "list:Newsletter", "append"),
          listStream("leavers", "list:Webinar attendees 2025", "soft_delete"),
        ],
        extra: { guards: { max_list_removals: 3 } },
        lines: [
          recordLine("joiners", { email: "ann@x.co" }), // 1 unchanged
          recordLine("joiners", { email: "cy@x.co" }), // 2 add
          recordLine("joiners", { email: "zed@x.co" }), // 3 reject RECORD_NOT_FOUND
          recordLine("leavers", { email: "bob@x.co" }), // 4 remove
          recordLine("leavers", { email: "ann@x.co" }), // 5 unchanged: not a member
          recordLine("leavers", { email: "dan@x.co" }), // 6 unchanged: no such contact
          stateLine("leavers", 1),
        ],
      };
      const plan = await planOnly(sandbox, input);
      expect(verdictsOf(plan.lines)).toEqual({
        1: "unchanged",
        2: "add",
        3: "reject RECORD_NOT_FOUND",
        4: "remove",
        5: "unchanged",
        6: "unchanged",
      });
      expect(byLine(plan.lines).get(3)?.field).toBe("email");
      // The guard counts every record a remove stream sends, as the write's guard does.
      expect(plan.summary.guards).toEqual([
        "max_list_removals (3) holds: the write would ask to remove 3 list members.",
      ]);

      const write = await run(sandbox, input);
      expectConfirmed(plan, write, write.result);
      expect(memberEmails(sandbox, "Newsletter")).toEqual(["ann@x.co", "bob@x.co", "cy@x.co"]);
      expect(memberEmails(sandbox, "Webinar attendees 2025")).toEqual(["eve@x.co"]);
    });
  });

  it("plans a member's record another list stream creates earlier as known, with no update, as the write makes one upsert", async () => {
    await withSandbox({}, async (sandbox) => {
      const input: Case = {
        streams: [
          listStream("audience", "list:Newsletter", "append"),
          listStream("vips", "list:VIPs", "append"),
        ],
        extra: { lists: { create_missing_lists: true, create_missing_records: true } },
        lines: [
          recordLine("audience", { email: "nw@x.co", firstname: "N" }), // 1 add, creating nw first
          stateLine("audience", 1),
          recordLine("vips", { email: "nw@x.co" }), // 3 add: the record the first stream created
        ],
      };
      const plan = await planOnly(sandbox, input);
      const line = byLine(plan.lines);
      expect(actionsOf(line.get(1))).toEqual(["create CONTACT nw@x.co"]);
      expect([line.get(3)?.verdict, actionsOf(line.get(3))]).toEqual(["add", []]);

      const write = await run(sandbox, input);
      expectConfirmed(plan, write, write.result);
      expect(sandbox.ledger.get("contacts", "email=nw@x.co")).toMatchObject({ creates: 1, updates: 0 });
      expect(memberEmails(sandbox, "VIPs")).toEqual(["nw@x.co"]);
    });
  });

  it("counts records rejected for a missing link target as created, in the plan's max_creates forecast and the write's receipt", async () => {
    await withSandbox({}, async (sandbox) => {
      const seeded = await run(sandbox, { streams: [companies], extra: {}, lines: [company("acme")] });
      expect(seeded.result.exitCode).toBe(0);
      const input: Case = {
        streams: [companies, people, deals],
        extra: {
          associations: [
            { stream: "deals", field: "company", to_object: "COMPANY", to_key: "company_external_id" },
            { stream: "deals", field: "contacts", to_object: "CONTACT", to_key: "email" },
          ],
          guards: { max_creates: 3 },
        },
        lines: [
          person("ann@x.co"), // 1 create
          deal("d1", { company: "nowhere", contacts: ["ann@x.co"] }), // 2 created, linked to ann, then rejected
          deal("d2", { company: "acme" }), // 3 create, linked to acme
          deal("d3", { company: "elsewhere" }), // 4 created, then rejected
        ],
      };
      const plan = await planOnly(sandbox, input);
      const line = byLine(plan.lines);
      expect(verdictsOf(plan.lines)).toMatchObject({
        2: "reject ASSOCIATION_TARGET_NOT_FOUND",
        4: "reject ASSOCIATION_TARGET_NOT_FOUND",
      });
      expect(line.get(2)?.key).toBe("d1");
      expect(actionsOf(line.get(2))).toEqual(["create DEAL d1", 'link CONTACT email "ann@x.co"']);
      expect(plan.summary.guards).toEqual([
        "max_creates (3) would fire: the write would create 4 records, and stop once HubSpot's answers show 4.",
      ]);

      const write = await run(sandbox, { ...input, extra: { ...input.extra, guards: {} } });
      expect(write.result.exitCode).toBe(0);
      const dealCounts = write.streams.find((entry) => entry.stream === "deals") as Counts;
      // Written + rejected = read; created counts what HubSpot created, also for the records rejected after.
      expect([dealCounts.read, dealCounts.written, dealCounts.rejected, dealCounts.created]).toEqual([
        3, 1, 2, 3,
      ]);
      expect(dealCounts.linked).toBe(2);
      expect(sandbox.ledger.totals("deals").creates).toBe(3);
    });
  });

  it("forecasts an overwrite sweep past max_list_removals, and the write's sweep then halts before removing any", async () => {
    await withSandbox({}, async (sandbox) => {
      const ids = makeContacts(sandbox, ["ann@x.co", "bob@x.co", "cy@x.co"]);
      seedMembers(sandbox, "Newsletter", [...ids.values()]);
      const input: Case = {
        streams: [listStream("audience", "list:Newsletter", "overwrite")],
        extra: { guards: { max_list_removals: 1 } },
        lines: [
          recordLine("audience", { email: "ann@x.co" }),
          stateLine("audience", 1),
          statusLine("audience", "COMPLETE"),
        ],
      };
      const plan = await planOnly(sandbox, input);
      expect(plan.lines.filter((line) => line.verdict === "remove").map((line) => line.key)).toEqual([
        "bob@x.co",
        "cy@x.co",
      ]);
      expect(plan.summary.guards[0]).toContain("max_list_removals (1) would fire");

      const write = await run(sandbox, input);
      const error = write.result.messages.find((message) => message.trace?.type === "ERROR")?.trace?.error;
      expect(error?.failure_type).toBe("config_error");
      expect(error?.message).toContain("Guard max_list_removals (1) fired");
      expect(memberEmails(sandbox, "Newsletter")).toEqual(["ann@x.co", "bob@x.co", "cy@x.co"]);
      expect(sandbox.store.lists.received().idsToRemove).toBe(0);
    });
  });
});
