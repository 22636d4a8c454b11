/**
 * The rest of the CRM end to end: the built CLI discovers tickets, line items, leads and activities, upserts
 * tickets by a unique key, creates notes and leads with their links inside the create, and takes pipelines and
 * stages by label. Each test counts what the sandbox received (its request log and ledger), so a create sent
 * without its links, a link sent apart, or a record created whose target is missing shows.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { configFor, createRecords, runWrite, useSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream } from "../support/messages.js";
import { requestLog } from "./associations-harness.js";
import { readPlan, tempPath } from "./operate-harness.js";
import { withSandbox } from "../support/harness.js";

/** An append stream with no key: a create per record. */
const creates = (name: string, objectName: string) => ({
  ...stream(name, objectName, "x", "append"),
  primary_key: [],
});

const people = stream("people", "CONTACT", "email");
const tickets = stream("tickets", "tickets", "hs_external_object_ids");
const deals = stream("deals", "0-3", "deal_external_id");
const notes = creates("notes", "NOTE");
const leads = creates("leads", "0-136");
const NOTE_LINKS = [{ stream: "notes", field: "contact", to_object: "CONTACT", to_key: "email" }];
const LEAD_LINKS = [{ stream: "leads", field: "contact", to_object: "CONTACT", to_key: "email" }];

const note = (body: string, contact: string | undefined, extra: Record<string, unknown> = {}) =>
  recordLine("notes", { hs_timestamp: "2026-03-02T10:00:00Z", hs_note_body: body, contact, ...extra });

/** Input lines, with pauses between some of them. */
async function* paced(lines: Array<string | { pause: number }>) {
  for (const line of lines) {
    if (typeof line === "string") yield `${line}\n`;
    else await new Promise((resolve) => setTimeout(resolve, line.pause));
  }
}

/** The notes in the sandbox, by body, with the ids of the contacts each is linked to. */
function notesByBody(sandbox: Parameters<typeof createRecords>[0]) {
  return Object.fromEntries(
    sandbox.store
      .listRecords("notes")
      .map((record) => [
        record.properties.hs_note_body,
        sandbox.store.associations.linksOf("notes", record.id, "contacts").map((link) => link.toId),
      ]),
  );
}

describe("discover: every object the portal has", () => {
  const sandbox = useSandbox({}, { per: "file" });

  it("offers a create for each object with its required properties, upserts by each unique key the portal marks, and pipelines by id or label", async () => {
    const { path } = await configFor(sandbox);
    const result = await runCli(["discover", "--config", path]);
    expect(result.exitCode).toBe(0);
    const operations = result.messages.find((message) => message.type === "DESTINATION_CATALOG")
      ?.destination_catalog?.operations as Array<{
      object_name: string;
      sync_mode: string;
      matching_keys?: string[][];
      json_schema: {
        required?: string[];
        anyOf?: unknown[];
        properties: Record<string, { enum?: string[] }>;
      };
    }>;
    const op = (object: string, mode: string) =>
      operations.find((one) => one.object_name === object && one.sync_mode === mode);
    const required = (object: string) => op(object, "append")?.json_schema.required ?? [];
    expect(required("TICKET")).toEqual(["subject", "hs_pipeline", "hs_pipeline_stage"]);
    expect(required("LEAD")).toEqual(["hs_lead_name"]);
    for (const activity of ["NOTE", "CALL", "TASK", "MEETING"])
      expect(required(activity)).toEqual(["hs_timestamp"]);
    expect(required("EMAIL")).toEqual(["hs_timestamp", "hs_email_direction"]);
    expect(required("LINE_ITEM")).toEqual([]);
    expect(op("COMPANY", "append")?.json_schema.anyOf).toEqual([
      { required: ["domain"] },
      { required: ["name"] },
    ]);
    // A custom object's required properties come from its schema in the portal.
    expect(required("cars")).toEqual(["car_id"]);
    // Upsert keys are what the portal marks unique, not a list in the connector.
    expect(op("TICKET", "append_dedup")?.matching_keys).toEqual([["hs_external_object_ids"]]);
    expect(op("LINE_ITEM", "append_dedup")?.matching_keys).toEqual([["hs_external_id"]]);
    for (const activity of ["NOTE", "CALL", "TASK", "MEETING", "EMAIL", "LEAD"])
      expect(op(activity, "append_dedup"), activity).toBeUndefined();
    const dealSchema = op("DEAL", "append")?.json_schema.properties ?? {};
    expect(dealSchema.pipeline?.enum).toEqual(expect.arrayContaining(["default", "Sales Pipeline"]));
    expect(dealSchema.dealstage?.enum).toEqual(expect.arrayContaining(["closedwon", "Closed Won"]));
  });
});

describe("write: tickets, notes and leads", () => {
  it("upserts tickets by their unique key with pipeline labels, creates notes and leads linked in the create, and creates no record whose link target or required property is missing", async () => {
    const log = requestLog();
    await withSandbox({ logger: log.logger }, async (sandbox) => {
      const [grace] = createRecords(sandbox, "contacts", [{ email: "grace@x.co" }]);
      const ticketBefore = { subject: "Old", hs_pipeline: "0", hs_pipeline_stage: "1" };
      createRecords(sandbox, "tickets", [{ hs_external_object_ids: "T-0", ...ticketBefore }]);
      const result = await runWrite(sandbox, {
        rejectsFile: true,
        streams: [people, tickets, deals, notes, leads],
        extra: { associations: [...NOTE_LINKS, ...LEAD_LINKS] },
        // The pause lets the notes' lookups answer before bob is written: his note must wait for him.
        stdin: paced([
          recordLine("people", { email: "ann@x.co" }),
          note("on ann", "ANN@x.co"),
          note("on grace, in HubSpot before the run", "grace@x.co"),
          note("on bob, written later in the input", "bob@x.co"),
          note("on nobody", "nobody@x.co"),
          note("no timestamp", "ann@x.co", { hs_timestamp: null }),
          recordLine("tickets", {
            hs_external_object_ids: "T-1",
            subject: "Printer",
            hs_pipeline: "support pipeline",
            hs_pipeline_stage: "Waiting on us",
          }),
          recordLine("tickets", { hs_external_object_ids: "T-1", subject: "Printer on fire" }),
          recordLine("tickets", { hs_external_object_ids: "T-0", subject: "Old, answered" }),
          recordLine("tickets", {
            hs_external_object_ids: "T-2",
            subject: "Bad",
            hs_pipeline: "0",
            hs_pipeline_stage: "Escalated",
          }),
          recordLine("deals", {
            deal_external_id: "D-1",
            dealname: "Renewal",
            pipeline: "Sales Pipeline",
            dealstage: "closed WON",
          }),
          recordLine("leads", { hs_lead_name: "Ann's lead", contact: "ann@x.co" }),
          recordLine("leads", { hs_lead_name: "Nobody's lead" }),
          { pause: 700 },
          recordLine("people", { email: "bob@x.co" }),
          stateLine("notes", 1),
        ]),
      });
      expect(result.stderr, result.stderr).not.toMatch(/^error/m);
      expect(result.exitCode).toBe(0);
      const ann = sandbox.store.findRecord("contacts", "email", "ann@x.co")?.id;
      const bob = sandbox.store.findRecord("contacts", "email", "bob@x.co")?.id;
      expect(notesByBody(sandbox)).toEqual({
        "on ann": [ann],
        "on grace, in HubSpot before the run": [grace],
        "on bob, written later in the input": [bob],
      });
      // The links went inside the creates: no association write at all (the labels of each pair are read once),
      // and one create per batch.
      expect(log.count(/\/associations\/.*\/batch\//)).toBe(0);
      expect(log.count(/\/0-46\/batch\/create /)).toBe(1);
      const rejected = Object.fromEntries(
        result.rejects.map((row) => [
          String(
            row._airbyte_data.hs_note_body ?? row._airbyte_data.hs_lead_name ?? row._airbyte_data.subject,
          ),
          [row._rejection.code, row._rejection.field],
        ]),
      );
      expect(rejected).toEqual({
        "on nobody": ["ASSOCIATION_TARGET_NOT_FOUND", "contact"],
        "no timestamp": ["REQUIRED_PROPERTY", "hs_timestamp"],
        Bad: ["INVALID_OPTION", "hs_pipeline_stage"],
        "Nobody's lead": ["ASSOCIATION_REQUIRED", "contact"],
      });
      const badStage = result.rejects.find((row) => row._airbyte_data.subject === "Bad");
      expect(badStage?._rejection.message).toContain('"Waiting on us" (3)');
      // A ticket is created once by its key (two lines of it merged into one input), another updated by its key;
      // labels were sent as ids.
      expect(sandbox.ledger.get("tickets", "hs_external_object_ids=T-1")).toMatchObject({
        creates: 1,
        updates: 0,
      });
      expect(sandbox.ledger.get("tickets", "hs_external_object_ids=T-0")).toMatchObject({
        creates: 1,
        updates: 1,
      });
      expect(sandbox.store.listRecords("tickets")).toHaveLength(2);
      const ticket = sandbox.store.findRecord("tickets", "hs_external_object_ids", "T-1")?.properties;
      expect(ticket).toMatchObject({ subject: "Printer on fire", hs_pipeline: "0", hs_pipeline_stage: "3" });
      const deal = sandbox.store.findRecord("deals", "deal_external_id", "D-1")?.properties;
      expect(deal).toMatchObject({ pipeline: "default", dealstage: "closedwon" });
      const leadsMade = sandbox.store.listRecords("leads");
      expect(leadsMade.map((lead) => lead.properties.hs_lead_name)).toEqual(["Ann's lead"]);
      expect(
        sandbox.store.associations
          .linksOf("leads", leadsMade[0]?.id as string, "contacts")
          .map((l) => l.toId),
      ).toEqual([ann]);
      // The pipelines were read once per object for the run.
      expect(log.count(/\/pipelines\/.*\/(0-3|0-5|deals|tickets) /)).toBe(2);
    });
  });

  it("plans creates without writing: each record a create with its links, one request per batch", async () => {
    await withSandbox({}, async (sandbox) => {
      createRecords(sandbox, "contacts", [{ email: "grace@x.co" }]);
      const planFile = await tempPath("plan.jsonl");
      const result = await runWrite(sandbox, {
        streams: [notes],
        extra: { associations: NOTE_LINKS },
        args: ["--plan", planFile],
        lines: [note("one", "grace@x.co"), note("two", "nobody@x.co"), note("three", undefined)],
      });
      expect(result.exitCode).toBe(0);
      expect(sandbox.store.listRecords("notes")).toEqual([]);
      const { lines, summary } = await readPlan(planFile);
      const verdicts = [...lines]
        .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
        .map((line) => [line.line, line.verdict, line.code ?? null]);
      expect(verdicts).toEqual([
        [1, "create", null],
        [2, "reject", "ASSOCIATION_TARGET_NOT_FOUND"],
        [3, "create", null],
      ]);
      const first = lines.find((line) => line.line === 1) as {
        actions?: Array<{ verdict: string; about: string }>;
      };
      expect(first.actions).toEqual([{ verdict: "link", about: 'CONTACT email "grace@x.co"' }]);
      // One request per batch of creates and one lookup of the contacts named: the links cost none of their own.
      const [own] = summary.streams;
      expect(own?.write_requests.requests).toBe((own?.write_requests.batches ?? 0) + 1);
    });
  });
});
