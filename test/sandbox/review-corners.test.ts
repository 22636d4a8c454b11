/**
 * Corners a hostile review found answered friendlier than HubSpot, or worded untruly: searching through
 * associations, pages read with history, the 501 for an unknown parameter, DYNAMIC lists without filters and a
 * paging cursor that is not one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { call, LIST_APIS, makeRecords, paths, VERSIONS } from "./helpers.js";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: { max: 1_000_000 }, searchRequestsPerSecond: 1_000_000 });
  makeRecords(sandbox, "contacts", 60);
});
afterAll(async () => {
  await sandbox.close();
});

describe.each(VERSIONS)("on %s paths", (version) => {
  const base = () => paths.objects(version, "contacts");

  it("answers 501 naming a search through associations, which HubSpot's search guide documents", async () => {
    const filters = [{ propertyName: "associations.company", operator: "EQ", value: "1" }];
    const answer = await call(sandbox, "POST", `${base()}/search`, { filterGroups: [{ filters }] });
    expect(answer.status).toBe(501);
    expect(answer.body.message).toContain("associations.company");
  });

  it("reads at most 50 records a page when histories are asked, and pages on to the rest", async () => {
    const total = sandbox.store.resolve("contacts")?.records.size ?? 0;
    expect(total).toBeGreaterThan(50);
    const plain = await call(sandbox, "GET", `${base()}?limit=100`);
    expect(plain.body.results).toHaveLength(Math.min(total, 100));
    const first = await call(sandbox, "GET", `${base()}?limit=100&propertiesWithHistory=firstname`);
    expect(first.body.results).toHaveLength(50);
    const after = (first.body.paging as { next: { after: string } }).next.after;
    const rest = await call(
      sandbox,
      "GET",
      `${base()}?limit=100&propertiesWithHistory=firstname&after=${after}`,
    );
    expect(rest.body.results).toHaveLength(Math.min(total - 50, 50));
  });

  it("refuses a paging cursor it did not hand out, as the memberships pages do", async () => {
    const answer = await call(sandbox, "GET", `${base()}?after=abc`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      category: "VALIDATION_ERROR",
      message: "Invalid paging cursor: abc",
    });
  });

  it("words the 501 for a parameter it does not know so that it is true of parameters HubSpot lacks", async () => {
    for (const name of ["foo", "hapikey"]) {
      const answer = await call(sandbox, "GET", `${base()}?${name}=1`);
      expect(answer.status).toBe(501);
      expect(answer.body.message).toContain(`query parameter ${name}`);
      expect(answer.body.message).toContain("HubSpot may honour or refuse it");
      expect(answer.body.message).not.toContain("would honour");
    }
  });
});

describe.each(LIST_APIS)("lists ($version)", ({ base }) => {
  it("refuses a DYNAMIC or SNAPSHOT list without a filterBranch with a 400, and makes none", async () => {
    for (const processingType of ["DYNAMIC", "SNAPSHOT"]) {
      const name = `No filters ${processingType} ${base}`;
      const answer = await call(sandbox, "POST", base, { name, objectTypeId: "0-1", processingType });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain("filterBranch");
      expect(sandbox.store.lists.byName(name)).toBeUndefined();
    }
    const manual = { name: `Manual ${base}`, objectTypeId: "0-1", processingType: "MANUAL" };
    expect((await call(sandbox, "POST", base, manual)).status).toBe(200);
  });
});
