/**
 * The custom-property limits over HTTP: what `GET …/limits/custom-properties` reports, how it follows property
 * creates, the `customPropertyLimits` option, and a create past a limit refused with nothing created.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../support/sandbox.js";
import { call, paths, VERSIONS } from "./helpers.js";

let sandbox: Sandbox | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const limitsPath = (version: (typeof VERSIONS)[number]) =>
  version === "legacy" ? "/crm/v3/limits/custom-properties" : `/crm/limits/${version}/custom-properties`;

const property = (name: string) => ({
  name,
  label: name,
  type: "string",
  fieldType: "text",
  groupName: "contactinformation",
});

interface Limits {
  overallLimit: number;
  overallUsage: number;
  overallPercentage: number;
  byObjectType: Array<{
    objectTypeId: string;
    limit: number;
    usage: number;
    percentage: number;
    singularLabel: string;
  }>;
}

describe.each(VERSIONS)("custom-property limits at version %s", (version) => {
  it("reports each object's limit and usage, and counts a property created since", async () => {
    sandbox = await startSandbox();
    const before = (await call(sandbox, "GET", limitsPath(version))).body as unknown as Limits;
    const contacts = before.byObjectType.find((entry) => entry.objectTypeId === "0-1");
    expect(contacts).toMatchObject({ limit: 1000, usage: 1, singularLabel: "Contact" });
    expect(before.byObjectType.map((entry) => entry.objectTypeId)).toEqual(
      expect.arrayContaining(["0-2", "0-3", "0-5", "0-8", "0-136", "0-46", "2-3465404"]),
    );
    expect(before.overallLimit).toBe(1000 * before.byObjectType.length);
    expect(
      (await call(sandbox, "POST", paths.properties(version, "contacts"), property("favourite_food"))).status,
    ).toBe(201);
    const after = (await call(sandbox, "GET", limitsPath(version))).body as unknown as Limits;
    expect(after.byObjectType.find((entry) => entry.objectTypeId === "0-1")?.usage).toBe(2);
    expect(after.overallUsage).toBe(before.overallUsage + 1);
  });

  it("refuses a property create past the object's limit, creating nothing", async () => {
    sandbox = await startSandbox({ customPropertyLimits: { byObjectType: { contacts: 2 } } });
    const base = paths.properties(version, "contacts");
    expect((await call(sandbox, "POST", base, property("one_more"))).status).toBe(201);
    const refused = await call(sandbox, "POST", base, property("one_too_many"));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      category: "VALIDATION_ERROR",
      context: { objectTypeId: ["0-1"], limit: ["2"], usage: ["2"] },
    });
    expect((await call(sandbox, "GET", `${base}/one_too_many`)).status).toBe(404);
    const limits = (await call(sandbox, "GET", limitsPath(version))).body as unknown as Limits;
    expect(limits.byObjectType.find((entry) => entry.objectTypeId === "0-1")).toMatchObject({
      limit: 2,
      usage: 2,
      percentage: 100,
    });
    expect(
      (
        await call(sandbox, "POST", paths.properties(version, "companies"), {
          ...property("fine"),
          groupName: "companyinformation",
        })
      ).status,
    ).toBe(201);
  });

  it("refuses a property create past the portal's overall limit", async () => {
    sandbox = await startSandbox({ customPropertyLimits: { overall: 11 } });
    const limits = (await call(sandbox, "GET", limitsPath(version))).body as unknown as Limits;
    expect(limits).toMatchObject({ overallLimit: 11, overallUsage: 11, overallPercentage: 100 });
    const refused = await call(sandbox, "POST", paths.properties(version, "contacts"), property("extra"));
    expect(refused.status).toBe(400);
    expect(refused.body.context).toMatchObject({ limit: ["11"], usage: ["11"] });
  });
});

describe("the other limits", () => {
  it("answers 501 for the limits endpoints it does not serve", async () => {
    sandbox = await startSandbox();
    expect((await call(sandbox, "GET", "/crm/limits/2026-09/records")).status).toBe(501);
    expect((await call(sandbox, "GET", "/crm/v3/limits/calculated-properties")).status).toBe(501);
  });
});
