/**
 * Contacts' secondary addresses and unique values that collide, written through the built CLI against the sandbox,
 * counting the batch writes HubSpot received (docs/crm.md "Secondary addresses and collisions").
 */
import { describe, expect, it } from "vitest";
import { createRecords, runWrite, TOKEN, useSandbox } from "../support/harness.js";
import { identityBatches } from "../support/identity-batches.js";
import { readPlan } from "./operate-harness.js";
import { tempPath } from "../support/process.js";
import { recordLine, stateLine, stream, streamStates } from "../support/messages.js";

/** The bodies of the batch writes the sandbox was sent in the current test, in order. */
let writes: string[] = [];
const sandbox = useSandbox(() => {
  writes = [];
  return {
    logger: (line) => {
      if (/\/batch\/(upsert|update) /.test(line)) writes.push(line);
    },
  };
});

const PEOPLE = stream("people", "CONTACT", "email");
const BY_EXTERNAL_ID = stream("people", "CONTACT", "external_id");

const write = (streams: unknown[], records: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
  runWrite(sandbox, {
    streams,
    lines: [...records.map((data) => recordLine("people", data)), stateLine("people", 1)],
    extra: { linger_ms: 50, ...extra },
    rejectsFile: true,
  });

const contact = (email: string) => sandbox.store.findRecord("contacts", "email", email)?.properties;

/** Ada: ada@home.example is her primary address, ada@work.example a secondary one. */
const seedAda = () =>
  createRecords(sandbox, "contacts", [
    { email: "ada@home.example", hs_additional_emails: "ada@work.example", lastname: "Lovelace" },
  ])[0];

describe("write: contacts' secondary addresses", () => {
  it("updates the contact a secondary address belongs to, leaving its primary address as it was", async () => {
    const ada = seedAda();
    const result = await write([PEOPLE], [{ email: "Ada@Work.example", firstname: "Ada" }]);
    expect(result.exitCode).toBe(0);
    expect(sandbox.store.listRecords("contacts")).toHaveLength(1);
    expect(contact("ada@home.example")).toMatchObject({ hs_object_id: ada, firstname: "Ada" });
    expect(contact("ada@home.example")?.hs_additional_emails).toBe("ada@work.example");
    expect(writes).toHaveLength(1);
    expect(streamStates(result.messages)).toEqual([
      { name: "people", recordCount: 1, rejectedRecordCount: undefined },
    ]);
  });

  it("writes a primary and a secondary address of one contact in one batch, later values winning, in two requests", async () => {
    seedAda();
    const result = await write(
      [PEOPLE],
      [
        { email: "ada@home.example", firstname: "Augusta", lastname: "King" },
        { email: "grace@example.com", firstname: "Grace" },
        { email: "ada@work.example", firstname: "Ada" },
        { email: "alan@example.com", firstname: "Alan" },
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(contact("ada@home.example")).toMatchObject({ firstname: "Ada", lastname: "King" });
    expect(contact("grace@example.com")?.firstname).toBe("Grace");
    expect(contact("alan@example.com")?.firstname).toBe("Alan");
    expect(sandbox.store.listRecords("contacts")).toHaveLength(3);
    // The refused batch, then the batch with the pair merged: one extra request, no bisection.
    expect(writes).toHaveLength(2);
    expect(writes[0]).toContain(" 400 ");
    expect(streamStates(result.messages)).toEqual([
      { name: "people", recordCount: 4, rejectedRecordCount: undefined },
    ]);
  });

  it("lets the later record win when the secondary address comes first", async () => {
    seedAda();
    const result = await write(
      [PEOPLE],
      [
        { email: "ada@work.example", firstname: "Ada", lastname: "Byron" },
        { email: "ada@home.example", firstname: "Augusta" },
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(contact("ada@home.example")).toMatchObject({ firstname: "Augusta", lastname: "Byron" });
    expect(writes).toHaveLength(2);
  });

  it("archives the contact a secondary address belongs to", async () => {
    const ada = seedAda() as string;
    const result = await write(
      [stream("people", "CONTACT", "email", "soft_delete")],
      [{ email: "ada@work.example" }],
    );
    expect(result.exitCode).toBe(0);
    expect(sandbox.store.findRecord("contacts", "hs_object_id", ada)).toBeUndefined();
    expect(sandbox.ledger.totals("contacts")).toMatchObject({ archives: 1 });
  });

  it("plans an update of the contact a secondary address belongs to, with no change of its address", async () => {
    seedAda();
    const planFile = await tempPath("plan.jsonl");
    const result = await runWrite(sandbox, {
      streams: [PEOPLE],
      lines: [recordLine("people", { email: "ada@work.example", firstname: "Ada" }), stateLine("people", 1)],
      args: ["--plan", planFile],
    });
    expect(result.exitCode).toBe(0);
    const { lines, summary } = await readPlan(planFile);
    expect(lines.map(({ verdict, changes }) => ({ verdict, changes }))).toEqual([
      { verdict: "update", changes: { firstname: { from: null, to: "Ada" } } },
    ]);
    expect(summary.cannot_know.join(" ")).toContain("UNIQUE_VALUE_TAKEN");
  });
});

describe("write: unique values that collide", () => {
  it("rejects only the contact whose unique value another contact holds, as UNIQUE_VALUE_TAKEN, in two requests", async () => {
    createRecords(sandbox, "contacts", [{ email: "held@example.com", external_id: "E-1" }]);
    const result = await write(
      [PEOPLE],
      [
        { email: "a@example.com", external_id: "E-2" },
        { email: "b@example.com", external_id: "E-1" },
        { email: "c@example.com", firstname: "C" },
        { email: "d@example.com", external_id: "E-4" },
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(
      result.rejects.map((reject) => [
        reject._airbyte_data.email,
        reject._rejection.code,
        reject._rejection.field,
      ]),
    ).toEqual([["b@example.com", "UNIQUE_VALUE_TAKEN", "external_id"]]);
    for (const email of ["a@example.com", "c@example.com", "d@example.com"])
      expect(contact(email)).toBeDefined();
    expect(contact("b@example.com")).toBeUndefined();
    expect(writes).toHaveLength(2);
    expect(streamStates(result.messages)).toEqual([
      { name: "people", recordCount: 3, rejectedRecordCount: 1 },
    ]);
  });

  it("rejects a taken unique value HubSpot names per input (207) as UNIQUE_VALUE_TAKEN, in one request", async () => {
    const created = await fetch(`${sandbox.url}/crm/v3/properties/companies`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        name: "tax_id",
        label: "Tax id",
        type: "string",
        fieldType: "text",
        groupName: "companyinformation",
        hasUniqueValue: true,
      }),
    });
    expect(created.status).toBe(201);
    createRecords(sandbox, "companies", [{ name: "Held", company_external_id: "C-9", tax_id: "T-1" }]);
    const result = await runWrite(sandbox, {
      streams: [stream("accounts", "COMPANY", "company_external_id")],
      lines: [
        recordLine("accounts", { company_external_id: "C-1", name: "One", tax_id: "T-2" }),
        recordLine("accounts", { company_external_id: "C-2", name: "Two", tax_id: "T-1" }),
        stateLine("accounts", 1),
      ],
      extra: { linger_ms: 50 },
      rejectsFile: true,
    });
    expect(result.exitCode).toBe(0);
    expect(writes).toHaveLength(1);
    expect(
      result.rejects.map((reject) => [
        reject._airbyte_data.company_external_id,
        reject._rejection.code,
        reject._rejection.field,
      ]),
    ).toEqual([["C-2", "UNIQUE_VALUE_TAKEN", "tax_id"]]);
    expect(sandbox.store.findRecord("companies", "company_external_id", "C-1")?.properties.tax_id).toBe(
      "T-2",
    );
  });

  it("rejects only the contact whose new email another contact owns, as EMAIL_TAKEN, in two requests", async () => {
    createRecords(sandbox, "contacts", [
      { email: "owner@example.com", external_id: "E-1" },
      { email: "mover@example.com", external_id: "E-2" },
    ]);
    const result = await write(
      [BY_EXTERNAL_ID],
      [
        { external_id: "E-3", email: "new@example.com" },
        { external_id: "E-2", email: "Owner@Example.com" },
        { external_id: "E-4", email: "other@example.com" },
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(
      result.rejects.map((reject) => [
        reject._airbyte_data.external_id,
        reject._rejection.code,
        reject._rejection.field,
      ]),
    ).toEqual([["E-2", "EMAIL_TAKEN", "email"]]);
    expect(contact("mover@example.com")?.external_id).toBe("E-2");
    expect(contact("new@example.com")?.external_id).toBe("E-3");
    expect(contact("other@example.com")?.external_id).toBe("E-4");
    expect(writes.map((line) => line.split(" ")[2])).toEqual(["409", "200"]);
  });

  it("keeps the owner's own address when another record of the batch claims it, in three requests", async () => {
    createRecords(sandbox, "contacts", [
      { email: "owner@example.com", external_id: "E-1" },
      { email: "mover@example.com", external_id: "E-2" },
    ]);
    const result = await write(
      [BY_EXTERNAL_ID],
      [
        { external_id: "E-1", email: "owner@example.com", firstname: "Owner" },
        { external_id: "E-3", email: "third@example.com" },
        { external_id: "E-2", email: "owner@example.com", firstname: "Mover" },
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(
      result.rejects.map((reject) => [reject._airbyte_data.external_id, reject._rejection.code]),
    ).toEqual([["E-2", "EMAIL_TAKEN"]]);
    expect(contact("owner@example.com")?.firstname).toBe("Owner");
    expect(contact("mover@example.com")?.firstname).toBeUndefined();
    expect(writes.map((line) => line.split(" ")[2])).toEqual(["409", "200", "409"]);
  });
});

describe("write: a dirty stream of pairs, duplicates, collisions and good records", () => {
  it("settles every record once, in one request per batch plus one per pair and per collision", async () => {
    const { existing, records, expected, collided } = identityBatches({ seed: 21, batches: 3 });
    createRecords(sandbox, "contacts", existing);
    const result = await write([PEOPLE], records, { linger_ms: 5_000 });
    expect(result.exitCode).toBe(0);
    // 3 batches, 3 pairs and 2 collisions in each: the sandbox names one pair or one collision a refusal.
    expect(writes).toHaveLength(3 + 3 * 3 + 3 * 2);
    expect(writes.filter((line) => line.split(" ")[2] === "400")).toHaveLength(3 * 3 + 3 * 2);
    expect(streamStates(result.messages)).toEqual([
      { name: "people", recordCount: records.length - collided.length, rejectedRecordCount: collided.length },
    ]);
    expect(result.rejects.map((reject) => reject._airbyte_data.email).sort()).toEqual([...collided].sort());
    expect(
      new Set(result.rejects.map((reject) => `${reject._rejection.code} ${reject._rejection.field}`)),
    ).toEqual(new Set(["UNIQUE_VALUE_TAKEN external_id"]));
    for (const [email, values] of expected) expect(contact(email), email).toMatchObject(values);
    for (const email of collided) expect(contact(email)).toBeUndefined();
    expect(sandbox.store.listRecords("contacts")).toHaveLength(existing.length + expected.size - 3 * 3);
  });
});
