import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/server.js";
import { batch, call, paths, VERSIONS } from "./helpers.js";

let sandbox: Sandbox;

const RULES: SandboxOptions["validationRules"] = [
  {
    object: "contacts",
    property: "phone",
    pattern: "^\\+[0-9 ]+$",
    message: "Enter the number with its country code",
  },
  { object: "0-1", property: "jobtitle", minLength: 2, maxLength: 5 },
  {
    object: "cars",
    property: "make",
    pattern: "^[A-Za-z]+$",
    message: "Enter only letters",
    code: "INVALID_ALPHA",
  },
];

const start = async (options: SandboxOptions = {}) => {
  sandbox = await startSandbox({ validationRules: RULES, ...options });
};
afterEach(async () => {
  await sandbox.close();
});

const byExternalId = (id: string, properties: Record<string, string>, trace?: string) => ({
  id,
  idProperty: "external_id",
  properties,
  ...(trace ? { objectWriteTraceId: trace } : {}),
});
const detailOf = (body: Record<string, unknown>) =>
  JSON.parse(String(body.message).replace("Property values were not valid: ", ""))[0];

describe("admin validation rules on 2026-09 paths", () => {
  beforeEach(() => start());

  it("names a violating input in the 200's errors, with the property and the rule's message, and writes the rest", async () => {
    const answer = await batch(sandbox, "2026-09", "contacts", "upsert", {
      inputs: [
        byExternalId("E1", { phone: "+44 20 7946" }, "good"),
        byExternalId("E2", { phone: "020 7946" }, "bad"),
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.numErrors).toBe(1);
    const error = answer.body.errors?.[0] as { message: string; context: Record<string, string[]> };
    expect(error.context.objectWriteTraceId).toEqual(["bad"]);
    expect(detailOf(error)).toMatchObject({
      isValid: false,
      name: "phone",
      error: "INVALID_REGEX",
      message: "Enter the number with its country code",
    });
    expect(sandbox.store.findRecord("contacts", "external_id", "E1")).toBeDefined();
    expect(sandbox.store.findRecord("contacts", "external_id", "E2")).toBeUndefined();
  });

  it.each([
    ["shorter than its minimum", "X", "INVALID_MIN_LENGTH", "Enter at least 2 characters"],
    ["longer than its maximum", "Analyst", "INVALID_MAX_LENGTH", "Enter at most 5 characters"],
  ])("refuses a value %s", async (_case, jobtitle, code, message) => {
    const answer = await batch(sandbox, "2026-09", "contacts", "upsert", {
      inputs: [byExternalId("E1", { jobtitle }, "t")],
    });
    expect(detailOf(answer.body.errors?.[0] ?? {})).toMatchObject({ error: code, message, name: "jobtitle" });
  });

  it("uses a rule's own error code when it names one", async () => {
    const answer = await call(sandbox, "POST", paths.objects("2026-09", "cars"), {
      properties: { car_id: "V1", make: "Saab 9-3" },
    });
    expect(answer.status).toBe(400);
    expect(detailOf(answer.body)).toMatchObject({ error: "INVALID_ALPHA", message: "Enter only letters" });
  });

  it("refuses the whole batch with 400 when an input has no trace id", async () => {
    const answer = await batch(sandbox, "2026-09", "contacts", "upsert", {
      inputs: [byExternalId("E1", { jobtitle: "Chef" }), byExternalId("E2", { jobtitle: "X" })],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.category).toBe("VALIDATION_ERROR");
    expect(sandbox.store.listRecords("contacts")).toHaveLength(0);
  });

  it("refuses contacts keyed by email as a whole, even with trace ids", async () => {
    const answer = await batch(sandbox, "2026-09", "contacts", "upsert", {
      inputs: [
        {
          id: "a@example.com",
          idProperty: "email",
          properties: { jobtitle: "Chef" },
          objectWriteTraceId: "1",
        },
        { id: "b@example.com", idProperty: "email", properties: { jobtitle: "X" }, objectWriteTraceId: "2" },
      ],
    });
    expect(answer.status).toBe(400);
    expect(sandbox.store.listRecords("contacts")).toHaveLength(0);
  });

  it("lets an empty value clear the property", async () => {
    const answer = await batch(sandbox, "2026-09", "contacts", "upsert", {
      inputs: [byExternalId("E1", { jobtitle: "" })],
    });
    expect(answer.status).toBe(200);
  });
});

describe.each(VERSIONS.filter((version) => version !== "2026-09"))(
  "admin validation rules at version %s",
  (version) => {
    it("are not enforced by default", async () => {
      await start();
      const answer = await batch(sandbox, version, "contacts", "upsert", {
        inputs: [byExternalId("E1", { jobtitle: "X" })],
      });
      expect(answer.status).toBe(200);
    });

    it("are enforced when validationRulesOnEveryVersion is set", async () => {
      await start({ validationRulesOnEveryVersion: true });
      const answer = await batch(sandbox, version, "contacts", "upsert", {
        inputs: [byExternalId("E1", { jobtitle: "X" })],
      });
      expect(answer.status).toBe(400);
      expect(String(answer.body.message)).toContain("INVALID_MIN_LENGTH");
    });
  },
);

describe("admin validation rule options", () => {
  it("refuse a rule for an object type the portal does not have", async () => {
    await expect(
      startSandbox({ validationRules: [{ object: "spaceships", property: "x", minLength: 1 }] }),
    ).rejects.toThrow(/unknown object type spaceships/);
    sandbox = await startSandbox();
  });
});
