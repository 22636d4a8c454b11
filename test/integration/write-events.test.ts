import { describe, expect, it } from "vitest";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, runWrite, useSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream, streamStates } from "../support/messages.js";

const sandbox = useSandbox();

const eventStream = (name: string, objectName: string) => ({
  ...stream(name, objectName, "uuid", "append"),
  primary_key: [],
});

async function write(streams: unknown[], lines: string[], extra: Record<string, unknown> = {}) {
  const result = await runWrite(sandbox, { streams, lines, extra, rejectsFile: true });
  return { ...result, rejected: result.rejects };
}

const UPGRADE_MAPPING = {
  source_event: "Upgraded",
  event_name: "plan_upgraded",
  event_properties: [
    { source: "new plan", name: "new_plan" },
    { source: "seats", type: "number" },
  ],
  user_properties: [{ source: "company" }],
};

describe("write: custom behavioral events", () => {
  it("sends records of an event:<name> stream to that event definition", async () => {
    const result = await write(
      [eventStream("signups", "event:signed_up")],
      [
        recordLine("signups", {
          email: "Ada@X.co",
          plan: "pro",
          seats: 3,
          occurred_at: "2026-03-01T10:00:00+01:00",
        }),
        recordLine("signups", { utk: "abc123", plan: "free", source: "ad", occurred_at: 1_772_355_600_000 }),
        stateLine("signups", 1),
      ],
    );
    expect(result.exitCode).toBe(0);
    const sent = sandbox.store.events.list("signed_up");
    expect(sent.map((event) => [event.email ?? event.utk, event.properties, event.occurredAt])).toEqual([
      ["ada@x.co", { plan: "pro", seats: "3" }, "2026-03-01T09:00:00.000Z"],
      ["abc123", { plan: "free", source: "ad" }, "2026-03-01T09:00:00.000Z"],
    ]);
    expect(streamStates(result.messages)).toEqual([
      { name: "signups", recordCount: 2, rejectedRecordCount: undefined },
    ]);
  });

  it("creates a mapped event definition with its properties, sends only mapped events and properties", async () => {
    const result = await write(
      [eventStream("amplitude", "EVENTS")],
      [
        recordLine("amplitude", {
          event_type: "Upgraded",
          email: "a@x.co",
          event_properties: { "new plan": "pro", seats: 5, secret_internal: "x" },
          user_properties: { company: "Acme", age: 41 },
        }),
        recordLine("amplitude", {
          event_type: "Page Viewed",
          email: "a@x.co",
          event_properties: { path: "/" },
        }),
        stateLine("amplitude", 1),
      ],
      { events: { create_definitions: true, mappings: [UPGRADE_MAPPING] } },
    );
    expect(result.exitCode).toBe(0);
    const definition = sandbox.store.events.definitions.get("plan_upgraded");
    // The connector asks for HubSpot's default event properties too (includeDefaultProperties), which come first.
    const custom = definition?.properties.filter((property) => !property.hubspotDefined);
    expect(definition?.properties.some((property) => property.name === "hs_page_url")).toBe(true);
    expect(custom?.map((property) => [property.name, property.type])).toEqual([
      ["new_plan", "string"],
      ["seats", "number"],
      ["company", "string"],
    ]);
    expect(sandbox.store.events.list("plan_upgraded").map((event) => event.properties)).toEqual([
      { new_plan: "pro", seats: "5", company: "Acme" },
    ]);
    expect(JSON.stringify(result.messages)).toContain(
      "skipped 1 (left out by events.mappings; in neither state count)",
    );
    // The skipped event is settled (its STATE goes out) but is not a loaded record.
    expect(streamStates(result.messages)).toEqual([
      { name: "amplitude", recordCount: 1, rejectedRecordCount: undefined },
    ]);
  });

  it("adds a missing property to an existing definition when allowed", async () => {
    const result = await write(
      [eventStream("amplitude", "EVENTS")],
      [
        recordLine("amplitude", {
          event_type: "Signed Up",
          email: "a@x.co",
          event_properties: { plan: "pro", referrer_url: "https://x.co/a" },
        }),
      ],
      {
        events: {
          create_definitions: true,
          mappings: [
            {
              source_event: "Signed Up",
              event_name: "signed_up",
              event_properties: [{ source: "plan" }, { source: "referrer_url" }],
            },
          ],
        },
      },
    );
    expect(result.exitCode).toBe(0);
    expect(
      sandbox.store.events.definitions.get("signed_up")?.properties.map((property) => property.name),
    ).toContain("referrer_url");
    expect(sandbox.store.events.list("signed_up")[0]?.properties).toEqual({
      plan: "pro",
      referrer_url: "https://x.co/a",
    });
  });

  it("rejects the records of a mapping whose property type clashes with the definition, with the reason", async () => {
    const result = await write(
      [eventStream("amplitude", "EVENTS")],
      [
        recordLine("amplitude", {
          event_type: "Signed Up",
          email: "a@x.co",
          event_properties: { seats: "many" },
        }),
        stateLine("amplitude", 1),
      ],
      {
        events: {
          create_definitions: true,
          mappings: [
            {
              source_event: "Signed Up",
              event_name: "signed_up",
              event_properties: [{ source: "seats", type: "string" }],
            },
          ],
        },
      },
    );
    expect(result.exitCode).toBe(0);
    expect(result.rejected.map((row) => [row._rejection.code, row._rejection.field])).toEqual([
      ["PROPERTY_TYPE_CLASH", "seats"],
    ]);
    expect(sandbox.store.events.list("signed_up")).toHaveLength(0);
  });

  it("keeps the first 50 properties by name and reports the rest", async () => {
    const names = Array.from({ length: 60 }, (_, i) => `p${String(i).padStart(2, "0")}`);
    const result = await write(
      [eventStream("amplitude", "EVENTS")],
      [
        recordLine("amplitude", {
          event_type: "Wide",
          email: "a@x.co",
          event_properties: Object.fromEntries(names.slice(0, 30).map((name) => [name, name])),
          user_properties: Object.fromEntries(names.slice(30).map((name) => [name, name])),
        }),
      ],
      {
        events: {
          create_definitions: true,
          mappings: [
            {
              source_event: "Wide",
              event_name: "wide_event",
              event_properties: names.slice(0, 30).map((source) => ({ source })),
              user_properties: names.slice(30).map((source) => ({ source })),
            },
          ],
        },
      },
    );
    expect(result.exitCode).toBe(0);
    const sent = sandbox.store.events.list("wide_event");
    expect(Object.keys(sent[0]?.properties ?? {}).sort()).toEqual(names.slice(0, 50));
    expect(JSON.stringify(result.messages)).toContain("Left out event property pe12345678_wide_event.p59");
  });

  it("rejects events without an identifier, and values over HubSpot's limits, before sending", async () => {
    const result = await write(
      [eventStream("signups", "event:signed_up")],
      [
        recordLine("signups", { plan: "pro" }),
        recordLine("signups", { email: "a@x.co", source: "x".repeat(257) }),
        recordLine("signups", { email: "b@x.co", plan: "platinum" }),
        recordLine("signups", { email: "c@x.co", plan: "pro" }),
        stateLine("signups", 1),
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(result.rejected.map((row) => row._rejection.code).sort()).toEqual([
      "INVALID_OPTION",
      "MISSING_IDENTIFIER",
      "VALUE_TOO_LONG",
    ]);
    expect(sandbox.store.events.list("signed_up").map((event) => event.email)).toEqual(["c@x.co"]);
    expect(streamStates(result.messages)).toEqual([
      { name: "signups", recordCount: 1, rejectedRecordCount: 3 },
    ]);
  });

  it("creates no second completion when the same input is replayed", async () => {
    const lines = [
      recordLine("signups", { email: "a@x.co", plan: "pro" }),
      recordLine("signups", { email: "b@x.co", plan: "pro", uuid: "5b1f3c9e-0000-4000-8000-000000000001" }),
      stateLine("signups", 1),
    ];
    await write([eventStream("signups", "event:signed_up")], lines);
    // One clean run sends each occurrence once: no uuid reached HubSpot twice.
    expect(sandbox.ledger.duplicateUuids()).toEqual([]);
    const replay = await write([eventStream("signups", "event:signed_up")], lines);
    expect(replay.exitCode).toBe(0);
    // The replay sends the same uuids again (derived from the content for the first record), and HubSpot keeps
    // only the first of each: what makes the replay harmless is the uuid, which the ledger shows arriving twice.
    const uuids = sandbox.store.events.list("signed_up").map((event) => event.uuid);
    expect(uuids).toHaveLength(2);
    expect(sandbox.ledger.duplicateUuids().sort()).toEqual([...uuids].sort());
    expect(sandbox.store.events.duplicates).toBe(2);
  });

  it("mixes CRM and event streams in one catalog", async () => {
    const result = await write(
      [stream("people", "CONTACT", "email"), eventStream("signups", "event:signed_up")],
      [
        recordLine("people", { email: "a@x.co", firstname: "A" }),
        recordLine("signups", { email: "a@x.co", plan: "pro" }),
        stateLine("signups", 1),
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(sandbox.store.findRecord("contacts", "email", "a@x.co")).toBeDefined();
    expect(sandbox.store.events.list("signed_up")).toHaveLength(1);
  });
});

describe("events on a portal without Enterprise", () => {
  const professional = useSandbox({ tier: "professional" }, { per: "file" });
  const config = async (extra: Record<string, unknown> = {}) => (await configFor(professional, extra)).path;

  it("fails check with a clear reason when the config maps events", async () => {
    const result = await runCli([
      "check",
      "--config",
      await config({ events: { mappings: [UPGRADE_MAPPING] } }),
    ]);
    const status = result.messages.find((m) => m.type === "CONNECTION_STATUS")?.connectionStatus;
    expect(status?.status).toBe("FAILED");
    expect(status?.message).toMatch(/Enterprise/);
  });

  it("passes check without event mappings, noting that events are unavailable", async () => {
    const result = await runCli(["check", "--config", await config()]);
    const status = result.messages.find((m) => m.type === "CONNECTION_STATUS")?.connectionStatus;
    expect(status?.status).toBe("SUCCEEDED");
    expect(status?.message).toContain("custom events unavailable");
  });

  it("fails write with a config_error before reading records", async () => {
    const catalog = await writeTempJson({ streams: [eventStream("signups", "event:signed_up")] });
    const result = await runCli(["write", "--config", await config(), "--catalog", catalog], {
      stdin: `${recordLine("signups", { email: "a@x.co" })}\n`,
    });
    expect(result.exitCode).toBe(1);
    const error = result.messages.find((m) => m.trace?.type === "ERROR")?.trace?.error;
    expect(error?.failure_type).toBe("config_error");
    expect(error?.message).toMatch(/Enterprise/);
  });
});
