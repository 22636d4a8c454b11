/**
 * With only the 2026-09 files (the directory most users will point at), the SDK's `/crm/v3/objects/…` paths and the
 * 2026-03 ones are checked against the 2026-09 schemas (the request schemas are the same, schema-aliases.ts); what
 * stays unchecked is named; an answer that breaks its schema is returned to the server, which tells it on stderr.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadSchemaChecker } from "../../src/sandbox/schema-check.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { OPENAPI_DIR } from "../support/openapi.js";
import { call, paths, VERSIONS } from "./helpers.js";

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const DATED_ONLY = OPENAPI_DIR ? join(OPENAPI_DIR, "2026-09") : "";

describe.skipIf(!OPENAPI_DIR)("schema checking with only the 2026-09 files", () => {
  it.each(VERSIONS)("checks %s objects paths against the 2026-09 request schemas", async (version) => {
    sandbox = await startSandbox({ openapiDir: DATED_ONLY });
    // An upsert input without its id breaks the schema (`required`); the type check does not see it.
    const upsert = await call(sandbox, "POST", `${paths.objects(version, "contacts")}/batch/upsert`, {
      inputs: [{ idProperty: "email", properties: { firstname: "Ann" } }],
    });
    expect(upsert.status).toBe(400);
    expect(upsert.body).toMatchObject({ category: "VALIDATION_ERROR" });
    expect(upsert.body.message).toContain("Some required fields were not set: [id]");
    const limit = await call(sandbox, "GET", `${paths.objects(version, "contacts")}?limit=ten`);
    expect(limit.status).toBe(400);
    expect(limit.body.message).toContain("query.limit");
    expect(sandbox.schemas?.unmatched).toEqual([]);
    expect(sandbox.schemas?.failures.map((failure) => failure.path)).toHaveLength(2);
  });

  it("checks the SDK's association batch paths against the dated ones", async () => {
    sandbox = await startSandbox({ openapiDir: DATED_ONLY });
    const answer = await call(sandbox, "POST", "/crm/v4/associations/contacts/companies/batch/read", {
      inputs: [{ after: "x" }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain("[id]");
    expect(sandbox.schemas?.failures.map((failure) => failure.file)).toEqual(["associations.json"]);
  });

  it("names the served path families no file describes, with how many of their operations are checked", async () => {
    sandbox = await startSandbox({ openapiDir: DATED_ONLY });
    const unchecked = sandbox.schemas?.unchecked ?? [];
    expect(unchecked).toContain("/crm/v3/properties (0 of 5 operations checked)");
    expect(unchecked).toContain("/crm/lists/2026-03 (0 of 10 operations checked)");
    expect(unchecked.some((family) => family.startsWith("/crm/v3/objects "))).toBe(false);
    const everything = await loadSchemaChecker(OPENAPI_DIR as string);
    expect(everything.report.unchecked.length).toBeLessThan(unchecked.length / 3);
  });

  it("returns an answer that breaks its response schema, so the server can tell it", async () => {
    const checker = await loadSchemaChecker(DATED_ONLY, { responses: true });
    const failure = checker.checkResponse("GET", "/crm/objects/2026-09/contacts/1", {
      status: 200,
      body: { id: 1, properties: "none" },
    });
    expect(failure).toMatchObject({ direction: "response", status: 200 });
    expect(failure?.problems.join(" ")).toContain("/properties");
  });

  it("writes a response-check failure through the logger (stderr on the command line)", async () => {
    // A schema of our own whose answer the sandbox cannot meet: a list answer must carry `nope`.
    const dir = await mkdtemp(join(tmpdir(), "openapi-"));
    const answer = { type: "object", required: ["nope"] };
    const operation = { responses: { "200": { content: { "application/json": { schema: answer } } } } };
    const document = { openapi: "3.0.1", paths: { "/crm/v3/objects/{objectType}": { get: operation } } };
    await writeFile(join(dir, "strict.json"), JSON.stringify(document));
    const lines: string[] = [];
    sandbox = await startSandbox({
      openapiDir: dir,
      checkResponses: true,
      logger: (line) => lines.push(line),
    });
    expect((await call(sandbox, "GET", "/crm/v3/objects/contacts")).status).toBe(200);
    const told = lines.filter((line) =>
      line.startsWith("Answer to GET /crm/v3/objects/contacts (200) breaks"),
    );
    expect(told).toEqual([expect.stringContaining("strict.json: /nope is required")]);
  });
});
