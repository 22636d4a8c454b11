import { describe, expect, it } from "vitest";
import { ALL_SCOPES, type Sandbox } from "../../src/sandbox/server.js";
import { runCli } from "../support/cli.js";
import { configFor, TOKEN, useSandbox } from "../support/harness.js";

type Operation = {
  object_name: string;
  sync_mode: string;
  json_schema: { properties: Record<string, { type: string; format?: string; enum?: string[] }> };
  matching_keys?: string[][];
};

const NO_DEALS = "pat-no-deals";

async function discover(sandbox: Sandbox, token = TOKEN) {
  const config = await configFor(sandbox, {}, { token });
  const result = await runCli(["discover", "--config", config.path]);
  const catalog = result.messages.find((m) => m.type === "DESTINATION_CATALOG") as
    | { destination_catalog: { operations: Operation[] } }
    | undefined;
  return { ...result, operations: catalog?.destination_catalog.operations ?? [] };
}

/**
 * discover only reads: the tests that read one portal with one token share its run (five tests, one run, for
 * the Enterprise portal's full token; two for the Professional portal).
 */
const runs = new Map<string, ReturnType<typeof discover>>();
function discovered(sandbox: Sandbox, token = TOKEN) {
  const key = `${sandbox.url} ${token}`;
  if (!runs.has(key)) runs.set(key, discover(sandbox, token));
  return runs.get(key) as ReturnType<typeof discover>;
}

describe("discover", () => {
  const sandbox = useSandbox(
    {
      privateAppTokens: [
        { token: TOKEN, scopes: [...ALL_SCOPES] },
        { token: NO_DEALS, scopes: ALL_SCOPES.filter((scope) => !scope.includes("deals")) },
      ],
    },
    { per: "file" },
  );
  const professional = useSandbox({ tier: "professional" }, { per: "file" });

  it("lists every standard object and the custom objects, under Airbyte's object names; each by record id too", async () => {
    const { exitCode, operations } = await discovered(sandbox);
    expect(exitCode).toBe(0);
    const objects = [...new Set(operations.map((op) => op.object_name))].filter(
      (name) => !/^(EVENTS|event:|list:)/.test(name),
    );
    expect(objects.sort()).toEqual([
      ...["CALL", "COMPANY", "CONTACT", "DEAL", "EMAIL", "LEAD", "LINE_ITEM", "MEETING", "NOTE", "PRODUCT"],
      ...["TASK", "TICKET", "cars", "pets"],
    ]);
    const pets = operations.filter((op) => op.object_name === "pets");
    expect(pets.map((op) => [op.sync_mode, op.matching_keys])).toEqual([
      ["update", [["hs_object_id"]]],
      ["soft_delete", [["hs_object_id"]]],
      ["append", []],
    ]);
    const byId = operations.filter((op) => op.matching_keys?.some((key) => key[0] === "hs_object_id"));
    expect(new Set(byId.map((op) => op.sync_mode))).toEqual(new Set(["update", "soft_delete"]));
    expect(new Set(byId.map((op) => op.object_name))).toEqual(new Set(objects));
  });

  it("offers upsert, update and archive for every object with a key, and a create for every object", async () => {
    const { operations } = await discovered(sandbox);
    const modes = operations
      .filter((op) => op.object_name === "CONTACT")
      .map((op) => op.sync_mode)
      .sort();
    expect(modes).toEqual(["append", "append_dedup", "soft_delete", "update"]);
  });

  it("matches contacts by email and other objects by their unique-value properties", async () => {
    const { operations } = await discovered(sandbox);
    const keys = (name: string) =>
      operations.find((op) => op.object_name === name && op.sync_mode === "append_dedup")?.matching_keys;
    expect(keys("CONTACT")?.[0]).toEqual(["email"]);
    expect(keys("cars")).toContainEqual(["car_id"]);
    expect(keys("COMPANY")?.length).toBeGreaterThan(0);
  });

  it("maps HubSpot property types to JSON schema and leaves read-only properties out", async () => {
    const { operations } = await discovered(sandbox);
    const contact = operations.find((op) => op.object_name === "CONTACT" && op.sync_mode === "append_dedup");
    const properties = contact?.json_schema.properties ?? {};
    expect(properties.email).toMatchObject({ type: "string" });
    expect(properties.date_of_birth).toMatchObject({ type: "string", format: "date" });
    expect(properties.lifecyclestage?.enum).toContain("lead");
    expect(properties.createdate).toBeUndefined();
    expect(properties.hs_object_id).toBeUndefined();
    const deal = operations.find((op) => op.object_name === "DEAL" && op.sync_mode === "append_dedup");
    expect(deal?.json_schema.properties.amount).toMatchObject({ type: "number" });
    expect(deal?.json_schema.properties.closedate).toMatchObject({ type: "string", format: "date-time" });
  });

  it("skips an object the token cannot read, with a LOG warning, and lists the rest", async () => {
    const { exitCode, operations, messages } = await discover(sandbox, NO_DEALS);
    expect(exitCode).toBe(0);
    expect(operations.some((op) => op.object_name === "DEAL")).toBe(false);
    expect(operations.some((op) => op.object_name === "CONTACT")).toBe(true);
    const warnings = messages.filter(
      (m) => m.type === "LOG" && (m as { log: { level: string } }).log.level === "WARN",
    );
    expect(JSON.stringify(warnings)).toContain("DEAL");
  });

  it("skips custom objects with a warning on a portal without Enterprise", async () => {
    const { exitCode, operations, messages } = await discovered(professional);
    expect(exitCode).toBe(0);
    expect(operations.some((op) => op.object_name === "cars")).toBe(false);
    expect(operations.some((op) => op.object_name === "CONTACT")).toBe(true);
    expect(JSON.stringify(messages.filter((m) => m.type === "LOG"))).toMatch(/custom object/i);
  });

  it("lists one append operation per event definition, with its properties and the identifiers, and the generic EVENTS", async () => {
    const { operations } = await discovered(sandbox);
    const events = operations.filter((op) => /^(EVENTS|event:)/.test(op.object_name));
    expect(events.map((op) => [op.object_name, op.sync_mode]).sort()).toEqual([
      ["EVENTS", "append"],
      ["event:feature_used", "append"],
      ["event:signed_up", "append"],
    ]);
    const signedUp = events.find((op) => op.object_name === "event:signed_up")?.json_schema.properties ?? {};
    expect(Object.keys(signedUp).sort()).toEqual([
      "email",
      "object_id",
      "occurred_at",
      "plan",
      "seats",
      "source",
      "utk",
      "uuid",
    ]);
    expect(signedUp.plan?.enum).toEqual(["free", "pro", "enterprise"]);
    expect(signedUp.seats).toMatchObject({ type: "number" });
  });

  it("leaves custom events out with a warning on a portal without Enterprise", async () => {
    const { operations, messages } = await discovered(professional);
    expect(operations.some((op) => /^(EVENTS|event:)/.test(op.object_name))).toBe(false);
    expect(JSON.stringify(messages.filter((m) => m.type === "LOG"))).toMatch(/left out custom events/i);
  });

  it("fails with a config_error TRACE when the token is refused", async () => {
    const { exitCode, messages } = await discover(sandbox, "pat-unknown");
    expect(exitCode).toBe(1);
    const trace = messages.find((m) => m.type === "TRACE") as { trace: { error: { failure_type: string } } };
    expect(trace.trace.error.failure_type).toBe("config_error");
  });
});
