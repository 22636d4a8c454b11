import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/server.js";
import { call, paths, VERSIONS } from "./helpers.js";

let sandbox: Sandbox;

/** A sandbox whose search limit does not get in the way, unless a test is about it. */
async function start(options: SandboxOptions = {}) {
  sandbox = await startSandbox({ searchRequestsPerSecond: 1000, ...options });
  return sandbox;
}
afterEach(async () => {
  await sandbox.close();
});

type Filter = {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
  highValue?: string;
};

const search = (objectType: string, body: unknown, version: (typeof VERSIONS)[number] = "legacy") =>
  call(sandbox, "POST", `${paths.objects(version, objectType)}/search`, body);
const where = (...filters: Filter[]) => ({
  filterGroups: [{ filters }],
  properties: ["email", "annualrevenue"],
});
const emails = (answer: Awaited<ReturnType<typeof search>>) =>
  (answer.body.results ?? []).map((result) => (result.properties as Record<string, string>).email).sort();

function seedContacts() {
  const state = sandbox.store.resolve("contacts");
  if (!state) throw new Error("no contacts");
  const people: Array<Record<string, string>> = [
    { email: "ada@hubspot.com", firstname: "Ada", annualrevenue: "9", date_of_birth: "1815-12-10" },
    { email: "bob@example.com", firstname: "Bob", annualrevenue: "10", lifecyclestage: "lead" },
    { email: "cy@hubspot.com", firstname: "Cy", annualrevenue: "100", lifecyclestage: "customer" },
    { email: "dee@example.com", firstname: "Dee Ann" },
  ];
  return people.map((properties) => sandbox.store.create(state, properties).id);
}

describe.each(VERSIONS)("search at version %s", (version) => {
  it("finds a contact by email in any case, and answers asked properties without a value as null", async () => {
    await start();
    seedContacts();
    const answer = await search(
      "contacts",
      where({ propertyName: "email", operator: "EQ", value: "ADA@HubSpot.com" }),
      version,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(1);
    expect(answer.body.results?.[0]?.properties).toMatchObject({
      email: "ada@hubspot.com",
      annualrevenue: "9",
    });
    const sparse = await search(
      "contacts",
      { ...where({ propertyName: "firstname", operator: "EQ", value: "dee ann" }) },
      version,
    );
    expect(sparse.body.results?.[0]?.properties).toMatchObject({
      email: "dee@example.com",
      annualrevenue: null,
    });
  });
});

describe("search filters", () => {
  it("compares numbers as numbers, not as text", async () => {
    await start();
    seedContacts();
    const greater = await search(
      "contacts",
      where({ propertyName: "annualrevenue", operator: "GT", value: "9" }),
    );
    expect(emails(greater)).toEqual(["bob@example.com", "cy@hubspot.com"]);
    const between = await search(
      "contacts",
      where({ propertyName: "annualrevenue", operator: "BETWEEN", value: "9.5", highValue: "99" }),
    );
    expect(emails(between)).toEqual(["bob@example.com"]);
  });

  it("compares dates as instants, given as epoch milliseconds or ISO dates", async () => {
    await start();
    seedContacts();
    const epoch = String(Date.parse("1815-12-10T00:00:00Z"));
    const byEpoch = await search(
      "contacts",
      where({ propertyName: "date_of_birth", operator: "EQ", value: epoch }),
    );
    expect(emails(byEpoch)).toEqual(["ada@hubspot.com"]);
    const byIso = await search(
      "contacts",
      where({ propertyName: "date_of_birth", operator: "LT", value: "1900-01-01" }),
    );
    expect(emails(byIso)).toEqual(["ada@hubspot.com"]);
    const created = await search(
      "contacts",
      where({ propertyName: "createdate", operator: "GTE", value: String(Date.now() - 60_000) }),
    );
    expect(created.body.total).toBe(4);
  });

  it("ANDs filters in a group and ORs the groups", async () => {
    await start();
    seedContacts();
    const answer = await search("contacts", {
      filterGroups: [
        {
          filters: [
            { propertyName: "email", operator: "CONTAINS_TOKEN", value: "*@hubspot.com" },
            { propertyName: "annualrevenue", operator: "GT", value: "50" },
          ],
        },
        { filters: [{ propertyName: "lifecyclestage", operator: "EQ", value: "lead" }] },
      ],
      properties: ["email"],
    });
    expect(emails(answer)).toEqual(["bob@example.com", "cy@hubspot.com"]);
  });

  it("takes IN, NOT_IN, NEQ, HAS_PROPERTY and NOT_HAS_PROPERTY, counting a record without a value as not equal", async () => {
    await start();
    seedContacts();
    const stage = (operator: string, extra: Partial<Filter> = {}) =>
      search("contacts", where({ propertyName: "lifecyclestage", operator, ...extra }));
    expect(emails(await stage("IN", { values: ["lead", "customer"] }))).toEqual([
      "bob@example.com",
      "cy@hubspot.com",
    ]);
    expect(emails(await stage("NOT_IN", { values: ["lead"] }))).toEqual([
      "ada@hubspot.com",
      "cy@hubspot.com",
      "dee@example.com",
    ]);
    expect(emails(await stage("NEQ", { value: "customer" }))).toEqual([
      "ada@hubspot.com",
      "bob@example.com",
      "dee@example.com",
    ]);
    expect(emails(await stage("HAS_PROPERTY"))).toEqual(["bob@example.com", "cy@hubspot.com"]);
    expect(emails(await stage("NOT_HAS_PROPERTY"))).toEqual(["ada@hubspot.com", "dee@example.com"]);
    const enumCase = await stage("EQ", { value: "LEAD" });
    expect(enumCase.body.total).toBe(0);
  });

  it("matches a word with CONTAINS_TOKEN, and query across the default searchable properties", async () => {
    await start();
    seedContacts();
    const token = await search(
      "contacts",
      where({ propertyName: "firstname", operator: "CONTAINS_TOKEN", value: "ann" }),
    );
    expect(emails(token)).toEqual(["dee@example.com"]);
    const notToken = await search(
      "contacts",
      where({ propertyName: "firstname", operator: "NOT_CONTAINS_TOKEN", value: "ann" }),
    );
    expect(notToken.body.total).toBe(3);
    const query = await search("contacts", { query: "HUBSPOT", properties: ["email"] });
    expect(emails(query)).toEqual(["ada@hubspot.com", "cy@hubspot.com"]);
  });

  it("sorts by one property, numbers as numbers, and refuses a sort given as a string with a 501", async () => {
    await start();
    seedContacts();
    const sorted = await search("contacts", {
      sorts: [{ propertyName: "annualrevenue", direction: "DESCENDING" }],
      properties: ["email"],
    });
    expect(sorted.body.results?.map((result) => (result.properties as Record<string, string>).email)).toEqual(
      ["cy@hubspot.com", "bob@example.com", "ada@hubspot.com", "dee@example.com"],
    );
    const asString = await search("contacts", { sorts: ["annualrevenue"] });
    expect(asString.status).toBe(501);
    const two = await search("contacts", {
      sorts: [
        { propertyName: "email", direction: "ASCENDING" },
        { propertyName: "firstname", direction: "ASCENDING" },
      ],
    });
    expect(two.status).toBe(400);
  });

  it("refuses more filter groups, filters or page size than HubSpot allows, and an unknown property", async () => {
    await start();
    const filter = { propertyName: "email", operator: "HAS_PROPERTY" };
    const group = (size: number) => ({ filters: Array.from({ length: size }, () => filter) });
    const refused = async (body: unknown, text: string) => {
      const answer = await search("contacts", body);
      expect(answer.status).toBe(400);
      expect(answer.body.category).toBe("VALIDATION_ERROR");
      expect(answer.body.message).toContain(text);
    };
    await refused({ filterGroups: Array.from({ length: 6 }, () => group(1)) }, "at most 5 filterGroups");
    await refused({ filterGroups: [group(7)] }, "at most 6 filters");
    await refused({ filterGroups: [group(6), group(6), group(6), group(1)] }, "at most 18 filters");
    await refused({ limit: 201 }, "limit must be a whole number from 1 to 200");
    await refused({ query: "x".repeat(3001) }, "at most 3000");
    await refused(where({ propertyName: "nope", operator: "EQ", value: "x" }), "no property nope");
    expect(
      (await search("contacts", { filterGroups: [group(6), group(6), group(6)], limit: 200 })).status,
    ).toBe(200);
  });

  it("pages with after up to HubSpot's 10,000 results, and refuses to page past them", async () => {
    await start();
    const state = sandbox.store.resolve("companies");
    if (!state) throw new Error("no companies");
    for (let index = 0; index < 10_050; index += 1) sandbox.store.create(state, { name: `Company ${index}` });
    const first = await search("companies", { limit: 200 });
    expect(first.body.total).toBe(10_050);
    expect(first.body.results).toHaveLength(200);
    expect(first.body.paging).toEqual({ next: { after: "200" } });
    const last = await search("companies", { limit: 200, after: "9900" });
    expect(last.body.results).toHaveLength(100);
    expect(last.body.paging).toBeUndefined();
    const beyond = await search("companies", { limit: 10, after: "10000" });
    expect(beyond.status).toBe(400);
    expect(beyond.body.message).toContain("10000");
  });
});

describe("search limits and lag", () => {
  it("answers the sixth search in a second with HubSpot's SECONDLY 429, and no rate-limit headers", async () => {
    await start({ searchRequestsPerSecond: 5 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => search("contacts", {})));
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.body).toMatchObject({
      message: "You have reached your secondly limit.",
      errorType: "RATE_LIMIT",
      policyName: "SECONDLY",
    });
    for (const answer of answers) expect(answer.headers.get("x-hubspot-ratelimit-remaining")).toBeNull();
    const read = await call(sandbox, "GET", paths.objects("legacy", "contacts"));
    expect(read.status).toBe(200);
    expect(read.headers.get("x-hubspot-ratelimit-remaining")).not.toBeNull();
  });

  it("with searchIndexLagMs, finds a new record only after the lag, and an update's old values until then", async () => {
    await start({ searchIndexLagMs: 300 });
    const contacts = paths.objects("legacy", "contacts");
    const created = await call(sandbox, "POST", contacts, {
      properties: { email: "new@example.com", firstname: "Old" },
    });
    const byEmail = where({ propertyName: "email", operator: "EQ", value: "new@example.com" });
    expect((await search("contacts", byEmail)).body.total).toBe(0);
    await sleep(350);
    expect((await search("contacts", byEmail)).body.total).toBe(1);
    await call(sandbox, "PATCH", `${contacts}/${String(created.body.id)}`, {
      properties: { firstname: "New" },
    });
    const named = (name: string) =>
      search("contacts", where({ propertyName: "firstname", operator: "EQ", value: name }));
    expect((await named("New")).body.total).toBe(0);
    expect((await named("Old")).body.total).toBe(1);
    await sleep(350);
    expect((await named("New")).body.total).toBe(1);
  });
});
