import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { OPENAPI_DIR } from "../support/openapi.js";
import { call } from "./helpers.js";

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe.skipIf(!OPENAPI_DIR)("requests checked against HubSpot's published schemas", () => {
  const open = async () => {
    sandbox = await startSandbox({ openapiDir: OPENAPI_DIR });
    return sandbox;
  };

  it("refuses a body without a field the schema requires with HubSpot's 400 VALIDATION_ERROR, and reports it", async () => {
    const checked = await open();
    const body = { inputs: [{ id: "1" }], properties: ["email"] };
    const answer = await call(checked, "POST", "/crm/objects/2026-09/contacts/batch/read", body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      status: "error",
      category: "VALIDATION_ERROR",
      message:
        "Invalid input JSON on line 1, column 1. Some required fields were not set: [propertiesWithHistory]",
    });
    expect(answer.body.errors?.[0]).toMatchObject({ in: "/propertiesWithHistory", code: "required" });
    expect(checked.schemas?.failures).toEqual([
      expect.objectContaining({ direction: "request", path: "/crm/objects/2026-09/contacts/batch/read" }),
    ]);
    const unchecked = await startSandbox();
    try {
      expect((await call(unchecked, "POST", "/crm/objects/2026-09/contacts/batch/read", body)).status).toBe(
        200,
      );
    } finally {
      await unchecked.close();
    }
  });

  it("checks query parameters against their schema, items of a list one by one", async () => {
    const checked = await open();
    const limit = await call(checked, "GET", "/crm/v3/objects/contacts?limit=ten");
    expect(limit.status).toBe(400);
    expect(limit.body.message).toContain("query.limit");
    expect(
      (await call(checked, "GET", "/crm/v3/objects/contacts?limit=10&properties=email,firstname")).status,
    ).toBe(200);
    expect(checked.schemas?.checked.requests).toBe(2);
  });

  it("accepts what HubSpot's guides document beyond the schema: a search with only filters, a create without associations", async () => {
    const checked = await open();
    const search = await call(checked, "POST", "/crm/v3/objects/contacts/search", {
      filterGroups: [{ filters: [{ propertyName: "email", operator: "HAS_PROPERTY" }] }],
      sorts: [{ propertyName: "createdate", direction: "DESCENDING" }],
    });
    expect(search.status).toBe(200);
    const create = await call(checked, "POST", "/crm/objects/2026-09/contacts", {
      properties: { email: "a@b.co" },
    });
    expect(create.status).toBe(201);
    expect(checked.schemas?.failures).toEqual([]);
  });

  it("does not start when the directory cannot be read or holds no OpenAPI file", async () => {
    await expect(startSandbox({ openapiDir: "/nonexistent/hubspot-openapi" })).rejects.toThrow(
      /Cannot read HubSpot's OpenAPI files in \/nonexistent\/hubspot-openapi/,
    );
    const empty = await mkdtemp(join(tmpdir(), "openapi-"));
    await writeFile(join(empty, "notes.json"), "{}");
    await expect(startSandbox({ openapiDir: empty })).rejects.toThrow(/No OpenAPI files were found/);
  });
});
