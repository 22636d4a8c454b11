import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { batch, call, paths, VERSIONS } from "./helpers.js";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

const DEAL = { dealname: "Big one", dealstage: "appointmentscheduled", pipeline: "default" };
const PRODUCT = { hs_sku: "W-1", hs_folder: "tools", price: "9.99", name: "Widget", description: "A widget" };

describe.each(VERSIONS)("required properties on create at version %s", (version) => {
  it.each([
    ["deals", { dealname: "No stage" }, ["dealstage", "pipeline"]],
    ["products", { name: "Widget", price: "1" }, ["hs_sku", "hs_folder", "description"]],
    ["companies", { industry: "RETAIL" }, ["domain or name"]],
    ["pets", { species: "cat" }, ["pet_name"]],
  ])(
    "refuses a %s create without its required properties, naming them",
    async (objectType, properties, missing) => {
      const answer = await call(sandbox, "POST", paths.objects(version, objectType), { properties });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        category: "VALIDATION_ERROR",
        message: expect.stringMatching(/^Error creating [A-Z]+\. Some required properties were not set\.$/),
        context: { requiredProperties: missing },
      });
      expect(sandbox.store.listRecords(objectType)).toHaveLength(0);
    },
  );

  it("creates deals, products and companies that carry what they need", async () => {
    for (const [objectType, properties] of [
      ["deals", DEAL],
      ["products", PRODUCT],
      ["companies", { domain: "acme.example" }],
    ] as const) {
      const answer = await call(sandbox, "POST", paths.objects(version, objectType), { properties });
      expect(answer.status, objectType).toBe(201);
    }
  });

  it("names each create without required properties as one error of a traced batch, writing the others", async () => {
    const answer = await batch(sandbox, version, "deals", "create", {
      inputs: [
        { properties: DEAL, objectWriteTraceId: "whole" },
        { properties: { dealname: "Half" }, objectWriteTraceId: "half" },
      ],
    });
    expect(answer.status).toBe(version === "2026-09" ? 201 : 207);
    expect(answer.body.errors?.[0]).toMatchObject({
      context: { objectWriteTraceId: ["half"], requiredProperties: ["dealstage", "pipeline"] },
    });
    expect(sandbox.store.listRecords("deals")).toHaveLength(1);
  });

  it("requires them on an upsert that creates, never on one that updates", async () => {
    const upsert = (properties: Record<string, string>, trace: string) =>
      batch(sandbox, version, "deals", "upsert", {
        inputs: [{ id: "D-1", idProperty: "deal_external_id", properties, objectWriteTraceId: trace }],
      });
    const creating = await upsert({ dealname: "Only a name" }, "c");
    expect(creating.body.numErrors).toBe(1);
    expect(sandbox.store.listRecords("deals")).toHaveLength(0);
    expect((await upsert(DEAL, "c2")).body.results?.[0]).toMatchObject({ new: true });
    const updating = await upsert({ amount: "10" }, "u");
    expect(updating.status).toBe(200);
    expect(updating.body.results?.[0]).toMatchObject({ new: false, properties: { amount: "10" } });
  });

  it("counts the upsert key of a custom object as its required property", async () => {
    const answer = await batch(sandbox, version, "cars", "upsert", {
      inputs: [{ id: "V1", idProperty: "car_id", properties: {}, objectWriteTraceId: "t" }],
    });
    expect(answer.status).toBe(200);
  });
});

describe("email addresses, as HubSpot checks them", () => {
  const upsertEmail = (email: string) =>
    batch(sandbox, "legacy", "contacts", "upsert", {
      inputs: [{ id: email, idProperty: "email", properties: {} }],
    });

  it.each([
    ["a missing @", "ada.example.com"],
    ["an empty local part", "@example.com"],
    ["a space", "ada lovelace@example.com"],
    ["a quoted local part", '"ada"@example.com'],
    ["a leading dot in the local part", ".ada@example.com"],
    ["a trailing dot in the local part", "ada.@example.com"],
    ["consecutive dots in the local part", "ada..byron@example.com"],
    ["consecutive dots in the domain", "ada@example..com"],
    ["a trailing dot in the domain", "ada@example.com."],
    ["a domain label starting with a hyphen", "ada@-example.com"],
    ["a domain label ending with a hyphen", "ada@example-.com"],
    ["a domain of one label", "ada@localhost"],
    ["an unknown top-level domain .con", "ada@ymail.con"],
    ["an unknown top-level domain .comm", "ada@example.comm"],
    ["an unknown top-level domain .comtttt", "tb.tb@yahoo.comtttt"],
    ["a domain literal", "ada@[192.0.2.1]"],
  ])("refuses an address with %s with INVALID_EMAIL", async (_case, email) => {
    const answer = await upsertEmail(email);
    expect(answer.status).toBe(400);
    const detail = JSON.parse(String(answer.body.message).replace("Property values were not valid: ", ""));
    expect(detail[0]).toMatchObject({
      error: "INVALID_EMAIL",
      name: "email",
      message: `Email address ${email} is invalid`,
    });
  });

  it.each([
    "ada@example.com",
    "Ada.Lovelace+tag@Example.CO.UK",
    "o'brien@example.ie",
    "xyz@test.design",
    "abc@test.vegas",
    "user@email.삼성",
    "user@email.xn--3e0b707e",
    "first_last-1@sub-domain.example.io",
  ])("accepts %s", async (email) => {
    const answer = await upsertEmail(email);
    expect(answer.status).toBe(200);
  });
});

describe("values as HubSpot stores them", () => {
  const contact = (properties: Record<string, string>) =>
    batch(sandbox, "legacy", "contacts", "upsert", {
      inputs: [{ id: "ada@example.com", idProperty: "email", properties }],
    });
  const stored = () => sandbox.store.findRecord("contacts", "email", "ada@example.com")?.properties;

  it("appends multiple-checkbox options given with a leading semicolon, each once", async () => {
    await contact({ hs_buying_role: "BUDGET_HOLDER;CHAMPION" });
    await contact({ hs_buying_role: ";CHAMPION;END_USER" });
    expect(stored()?.hs_buying_role).toBe("BUDGET_HOLDER;CHAMPION;END_USER");
    await contact({ hs_buying_role: "OTHER" });
    expect(stored()?.hs_buying_role).toBe("OTHER");
  });

  it("returns a datetime sent as epoch milliseconds as ISO 8601 with Z, and a midnight date as YYYY-MM-DD", async () => {
    await batch(sandbox, "2026-03", "deals", "create", {
      inputs: [{ properties: { ...DEAL, closedate: "1772355600000", deal_external_id: "D-1" } }],
    });
    expect(sandbox.store.findRecord("deals", "deal_external_id", "D-1")?.properties.closedate).toBe(
      "2026-03-01T09:00:00.000Z",
    );
    await contact({ date_of_birth: "-4826908800000" });
    expect(stored()?.date_of_birth).toBe("1817-01-16");
  });

  it("keeps a number's string form", async () => {
    await contact({ annualrevenue: "1234.50" });
    expect(stored()?.annualrevenue).toBe("1234.50");
  });

  it.each([
    ["a number", { annualrevenue: " 12" }],
    ["an option", { lifecyclestage: "lead " }],
    ["a boolean", { hs_email_optout: "true\u00a0" }],
  ])(
    "refuses %s with leading or trailing whitespace, as HubSpot does since 2025",
    async (_case, properties) => {
      const answer = await contact(properties);
      expect(answer.status).toBe(400);
      expect(String(answer.body.message)).toContain("LEADING_TRAILING_WHITESPACE");
    },
  );

  it("keeps whitespace inside string properties", async () => {
    expect((await contact({ firstname: " Ada " })).status).toBe(200);
    expect(stored()?.firstname).toBe(" Ada ");
  });

  it("gives contacts lastmodifieddate, hs_lastmodifieddate and createdate, and other objects no lastmodifieddate", async () => {
    await contact({ firstname: "Ada" });
    expect(Object.keys(stored() ?? {})).toEqual(
      expect.arrayContaining(["createdate", "lastmodifieddate", "hs_lastmodifieddate", "hs_object_id"]),
    );
    await call(sandbox, "POST", paths.objects("legacy", "deals"), { properties: DEAL });
    const deal = sandbox.store.listRecords("deals")[0]?.properties ?? {};
    expect(Object.keys(deal)).toEqual(expect.arrayContaining(["createdate", "hs_lastmodifieddate"]));
    expect(deal.lastmodifieddate).toBeUndefined();
  });
});

describe.each(VERSIONS)("an email another contact has, at version %s", (version) => {
  const expectConflict = (answer: Awaited<ReturnType<typeof call>>, existingId: string) => {
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({
      status: "error",
      category: "OBJECT_ALREADY_EXISTS",
      error: "CONTACT_EXISTS",
      message: `Contact already exists. Existing ID: ${existingId}`,
      errors: [
        {
          message: `A contact with email ada@example.com already exists. Existing ID: ${existingId}`,
          in: "email",
        },
      ],
    });
  };

  it("refuses a single create with HubSpot's 409 CONTACT_EXISTS body", async () => {
    const first = await call(sandbox, "POST", paths.objects(version, "contacts"), {
      properties: { email: "ada@example.com" },
    });
    expect(first.status).toBe(201);
    const again = await call(sandbox, "POST", paths.objects(version, "contacts"), {
      properties: { email: "Ada@Example.com" },
    });
    expectConflict(again, String(first.body.id));
  });

  it("refuses a batch create holding it with 409 and writes none of the batch", async () => {
    const first = await call(sandbox, "POST", paths.objects(version, "contacts"), {
      properties: { email: "ada@example.com" },
    });
    const answer = await batch(sandbox, version, "contacts", "create", {
      inputs: [
        { properties: { email: "new@example.com" }, objectWriteTraceId: "1" },
        { properties: { email: "ada@example.com" }, objectWriteTraceId: "2" },
      ],
    });
    expectConflict(answer, String(first.body.id));
    expect(sandbox.store.listRecords("contacts")).toHaveLength(1);
  });
});
