/**
 * `create_missing_properties`: a stream's declared fields that are not properties of its object are created before
 * the first record, typed from its JSON schema, once. Counted by what the sandbox received (its request counts per
 * route, its ledger) and what its store now defines.
 */
import { describe, expect, it } from "vitest";
import { customPropertyCount } from "../../src/sandbox/limits.js";
import { runCli, writeTempJson } from "../support/cli.js";
import { readPlan, tempPath } from "./operate-harness.js";
import { ALL_SCOPES, type Sandbox } from "../support/sandbox.js";
import {
  configFor,
  createRecords,
  runWrite,
  TOKEN,
  traceError,
  useSandbox,
  useSandboxes,
} from "../support/harness.js";
import { recordLine, stream } from "../support/messages.js";

const sandbox = useSandbox();
const startSandbox = useSandboxes();

/** A stream of contacts whose schema declares these fields (email, the key, and firstname exist already). */
const contacts = (fields: Record<string, unknown>, name = "people") => {
  const base = stream(name, "CONTACT", "email");
  const properties = { email: { type: "string" }, firstname: { type: ["null", "string"] }, ...fields };
  return { ...base, stream: { ...base.stream, json_schema: { type: "object", properties } } };
};

const FIELDS = {
  order_total: { type: "number" },
  visits: { type: ["null", "integer"] },
  vip: { type: "boolean" },
  first_order: { type: "string", format: "date" },
  last_seen: { type: "string", format: "date-time", airbyte_type: "timestamp_with_timezone" },
  tags: { type: "array", items: { type: "string" } },
  prefs: { type: "object" },
};
const EXPECTED_TYPES = {
  order_total: ["number", "number"],
  visits: ["number", "number"],
  vip: ["bool", "booleancheckbox"],
  first_order: ["date", "date"],
  last_seen: ["datetime", "date"],
  tags: ["string", "textarea"],
  prefs: ["string", "textarea"],
};

const ADA = {
  email: "ada@x.co",
  firstname: "Ada",
  order_total: 12.5,
  visits: 3,
  vip: true,
  first_order: "2026-03-01",
  last_seen: "2026-03-02T10:00:00Z",
  tags: ["a", "b"],
  prefs: { theme: "dark" },
};

const count = (on: Sandbox, route: string) => on.stats.byRoute.get(route) ?? 0;
const option = { create_missing_properties: true, linger_ms: 20 };

const contactByEmail = (on: Sandbox, email: string) =>
  [...(on.store.resolve("contacts")?.records.values() ?? [])].find((r) => r.properties.email === email);

const definitionOf = (on: Sandbox, name: string) => on.store.resolve("contacts")?.properties.get(name);

async function write(on: Sandbox, streams: unknown[], lines: string[], extra = {}, args: string[] = []) {
  const planning = args.includes("--plan"); // a plan takes no --rejects
  return runWrite(on, { streams, lines, extra: { ...option, ...extra }, args, rejectsFile: !planning });
}

describe("create_missing_properties", () => {
  it("creates each missing field once, typed from the schema, in the connector's group, then writes the records", async () => {
    const lines = [recordLine("people", ADA), recordLine("people", { email: "bo@x.co", vip: false })];
    const first = await write(sandbox, [contacts(FIELDS)], lines);
    expect(first.exitCode).toBe(0);
    expect(first.rejects).toEqual([]);
    expect(count(sandbox, "property-create")).toBe(7);
    expect(count(sandbox, "group-create")).toBe(1);
    expect(count(sandbox, "limits")).toBe(1);
    for (const [name, [type, fieldType]] of Object.entries(EXPECTED_TYPES)) {
      expect(definitionOf(sandbox, name), name).toMatchObject({
        type,
        fieldType,
        groupName: "destination_hubspot",
      });
    }
    expect(definitionOf(sandbox, "vip")?.options.map((o) => o.value)).toEqual(["true", "false"]);
    const ada = contactByEmail(sandbox, "ada@x.co");
    expect(ada?.properties).toMatchObject({
      order_total: "12.5",
      visits: "3",
      vip: "true",
      first_order: "2026-03-01",
      tags: '["a","b"]',
      prefs: '{"theme":"dark"}',
    });

    // A second run finds them all: nothing created, the limits not even read.
    const second = await write(sandbox, [contacts(FIELDS)], [recordLine("people", { ...ADA, visits: 4 })]);
    expect(second.exitCode).toBe(0);
    expect(count(sandbox, "property-create")).toBe(7);
    expect(count(sandbox, "group-create")).toBe(1);
    expect(count(sandbox, "limits")).toBe(1);
  });

  it("creates nothing and rejects records with the new fields when the option is off", async () => {
    const result = await runWrite(sandbox, {
      streams: [contacts(FIELDS)],
      lines: [recordLine("people", ADA)],
      extra: { linger_ms: 20 },
      rejectsFile: true,
    });
    expect(result.exitCode).toBe(0);
    expect(result.rejects.map((r) => r._rejection.code)).toEqual(["UNKNOWN_PROPERTY"]);
    expect(
      count(sandbox, "property-create") + count(sandbox, "group-create") + count(sandbox, "limits"),
    ).toBe(0);
  });

  it("fails with a config_error naming the object and the figures, before creating or writing anything, past the object's limit", async () => {
    const probe = await startSandbox();
    const used = customPropertyCount(probe.store.resolve("contacts") as never);
    const limited = await startSandbox({ customPropertyLimits: { byObjectType: { contacts: used + 2 } } });
    const result = await write(limited, [contacts(FIELDS)], [recordLine("people", ADA)]);
    expect(result.exitCode).toBe(1);
    const error = traceError(result);
    expect(error?.failure_type).toBe("config_error");
    expect(error?.message).toContain("7 properties of CONTACT");
    expect(error?.message).toContain(
      `allows ${used + 2} custom properties for contacts and ${used} are in use`,
    );
    expect(count(limited, "property-create") + count(limited, "group-create")).toBe(0);
    expect(count(limited, "upsert")).toBe(0);
    expect(limited.ledger.totals("contacts").records).toBe(0);
  });

  it("--plan creates nothing and lists the properties a write would create", async () => {
    const plan = await tempPath("plan.jsonl");
    const fields = { order_total: FIELDS.order_total, vip: FIELDS.vip, last_seen: FIELDS.last_seen };
    createRecords(sandbox, "contacts", [{ email: "known@x.co", firstname: "Kay" }]);
    const lines = [
      recordLine("people", { email: "ada@x.co", order_total: 1, vip: true }),
      recordLine("people", ADA), // carries fields the schema does not declare: they are not created
      recordLine("people", { email: "known@x.co", vip: false }),
    ];
    const result = await write(sandbox, [contacts(fields)], lines, {}, ["--plan", plan]);
    expect(result.exitCode).toBe(0);
    const planned = await readPlan(plan);
    expect(planned.summary.properties_to_create).toEqual([
      { object: "CONTACT", name: "order_total", type: "number", fieldType: "number" },
      { object: "CONTACT", name: "vip", type: "bool", fieldType: "booleancheckbox" },
      { object: "CONTACT", name: "last_seen", type: "datetime", fieldType: "date" },
    ]);
    // The first record is planned as the write would settle it once they exist.
    const byLine = Object.fromEntries(planned.lines.map((line) => [line.line, line.code ?? line.verdict]));
    expect(byLine).toEqual({ 1: "create", 2: "UNKNOWN_PROPERTY", 3: "update" });
    expect(count(sandbox, "property-create") + count(sandbox, "group-create")).toBe(0);
    expect(definitionOf(sandbox, "order_total")).toBeUndefined();
  });

  it("rejects the records that carry a field HubSpot cannot take as a name, naming it, and writes the others", async () => {
    const schema = contacts({ "Order ID": { type: "string" }, plan: { type: "string" } });
    const lines = [
      recordLine("people", { email: "a@x.co", "Order ID": "O-1" }),
      recordLine("people", { email: "b@x.co", plan: "pro" }),
    ];
    const result = await write(sandbox, [schema], lines);
    expect(result.rejects.map((r) => [r._rejection.code, r._rejection.field])).toEqual([
      ["INVALID_PROPERTY_NAME", "Order ID"],
    ]);
    expect(result.rejects[0]?._rejection.message).toMatch(/does not start with a lowercase letter/);
    expect(count(sandbox, "property-create")).toBe(1);
    expect(sandbox.ledger.get("contacts", "email=b@x.co")?.creates).toBe(1);
  });

  it("drops such a field with a warning when unknown_properties is drop", async () => {
    const schema = contacts({ "Order ID": { type: "string" } });
    const result = await write(
      sandbox,
      [schema],
      [recordLine("people", { email: "a@x.co", "Order ID": "O-1" })],
      {
        unknown_properties: "drop",
      },
    );
    expect(result.rejects).toEqual([]);
    const warnings = result.messages.filter((m) => m.log?.level === "WARN").map((m) => m.log?.message);
    expect(warnings.join("\n")).toMatch(/Stream people: Order ID .* left out of every record/);
    expect(sandbox.ledger.get("contacts", "email=a@x.co")?.creates).toBe(1);
  });

  it("creates the properties --schema declares in raw pipe mode", async () => {
    const schema = await writeTempJson({
      type: "object",
      properties: { email: { type: "string" }, score: { type: "integer" } },
    });
    const result = await runWrite(sandbox, {
      object: "CONTACT",
      lines: [JSON.stringify({ email: "raw@x.co", score: 7 })],
      extra: option,
      args: ["--schema", schema],
    });
    expect(result.exitCode).toBe(0);
    expect(definitionOf(sandbox, "score")).toMatchObject({ type: "number", fieldType: "number" });
    expect(contactByEmail(sandbox, "raw@x.co")?.properties.score).toBe("7");
  });
});

describe("create_missing_properties needs the schema-write scope", () => {
  const WITHOUT = "pat-no-schema-write";
  const scoped = () =>
    startSandbox({
      privateAppTokens: [
        { token: TOKEN, scopes: [...ALL_SCOPES] },
        {
          token: WITHOUT,
          // Contacts only: it may write them, but not define their properties.
          scopes: ["crm.objects.contacts.read", "crm.objects.contacts.write", "crm.schemas.contacts.read"],
        },
      ],
    });

  it("write refuses before reading a record, naming the scope", async () => {
    const on = await scoped();
    const { path } = await configFor(on, option, { token: WITHOUT });
    const catalog = await writeTempJson({ streams: [contacts(FIELDS)] });
    const result = await runCli(["write", "--config", path, "--catalog", catalog], {
      stdin: `${recordLine("people", ADA)}\n`,
    });
    expect(traceError(result)?.failure_type).toBe("config_error");
    expect(traceError(result)?.message).toContain("crm.schemas.contacts.write");
    expect(count(on, "properties") + count(on, "upsert") + count(on, "property-create")).toBe(0);
  });

  it("check fails without it and reports the room with it", async () => {
    const on = await scoped();
    const status = async (token: string) => {
      const { path } = await configFor(on, option, { token });
      const result = await runCli(["check", "--config", path]);
      return (
        result.messages.find((m) => m.type === "CONNECTION_STATUS") as {
          connectionStatus: { status: string; message: string };
        }
      ).connectionStatus;
    };
    const refused = await status(WITHOUT);
    expect(refused.status).toBe("FAILED");
    expect(refused.message).toContain("crm.schemas.contacts.write");
    const granted = await status(TOKEN);
    expect(granted.status).toBe("SUCCEEDED");
    expect(granted.message).toMatch(
      /create_missing_properties: can create properties of CONTACT, .*custom properties in use/,
    );
  });
});
