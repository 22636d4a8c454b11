/**
 * The sandbox's answers against HubSpot's response schemas: a tour of every operation the sandbox serves, on every
 * version, with `checkResponses` on. No answer may break its schema (beyond the documented deviations,
 * schema-deviations.ts), and every served operation must have had a successful answer checked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "../../src/sandbox/operations.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { OPENAPI_DIR } from "../support/openapi.js";
import { ASSOCIATION_APIS, call, LIST_APIS, paths, postForm, VERSIONS, type Version } from "./helpers.js";

/** Served operations no published file describes (the honoured test names them too). */
const WITHOUT_SPEC = new Set(["oauth.private-app-token-info"]);

let sandbox: Sandbox;

beforeAll(async () => {
  if (!OPENAPI_DIR) return;
  sandbox = await startSandbox({
    openapiDir: OPENAPI_DIR,
    checkResponses: true,
    rateLimit: { max: 1_000_000 },
    searchRequestsPerSecond: 1_000_000,
  });
});
afterAll(async () => {
  await sandbox?.close();
});

async function step(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const answer = await call(sandbox, method, path, body);
  expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBeLessThan(400);
  return answer.body;
}

async function objectsTour(version: Version) {
  const contacts = paths.objects(version, "contacts");
  const companies = paths.objects(version, "companies");
  const company = String((await step("POST", companies, { properties: { name: "Acme" } })).id);
  const types = [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 279 }];
  const email = `ada-${version}@example.com`;
  const created = await step("POST", contacts, {
    properties: { email, firstname: "Ada" },
    associations: [{ to: { id: company }, types }],
  });
  const id = String(created.id);
  await step(
    "GET",
    `${contacts}/${id}?properties=email,firstname&propertiesWithHistory=firstname&associations=companies`,
  );
  await step("GET", `${contacts}?limit=5&properties=email&associations=companies`);
  await step("PATCH", `${contacts}/${id}`, { properties: { lastname: "Lovelace" } });
  await step("POST", `${contacts}/batch/upsert`, {
    inputs: [{ id: email, idProperty: "email", properties: { jobtitle: "Analyst" } }],
  });
  await step("POST", `${contacts}/batch/update`, { inputs: [{ id, properties: { firstname: "Augusta" } }] });
  await step("POST", `${contacts}/batch/read`, {
    inputs: [{ id }, { id: "999" }],
    properties: ["email"],
    propertiesWithHistory: ["firstname"],
  });
  const batchCreated = await step("POST", `${contacts}/batch/create`, {
    inputs: [{ properties: { email: `b-${version}@example.com` }, associations: [] }],
  });
  await step("POST", `${contacts}/search`, {
    filterGroups: [{ filters: [{ propertyName: "email", operator: "EQ", value: email }] }],
    properties: ["email", "phone"],
    sorts: [{ propertyName: "createdate", direction: "DESCENDING" }],
    limit: 10,
    after: "0",
  });
  const other = (batchCreated.results as Array<{ id: string }>)[0]?.id ?? "";
  await step("POST", `${contacts}/batch/archive`, { inputs: [{ id: other }] });
  await step("DELETE", `${contacts}/${other}`);
  await call(sandbox, "GET", `${contacts}/${other}`);
  const twin = await step("POST", contacts, { properties: { email: `twin-${version}@example.com` } });
  const merged = await step("POST", `${contacts}/merge`, {
    primaryObjectId: id,
    objectIdToMerge: String(twin.id),
  });
  return { contact: String(merged.id), company };
}

/** The other objects, linked in their creates, and their pipelines; the custom-property limits. */
async function moreObjectsTour(version: Version, contact: string, company: string) {
  const ticket = await step("POST", paths.objects(version, "tickets"), {
    properties: { subject: "Broken", hs_pipeline: "0", hs_pipeline_stage: "1" },
    associations: [
      { to: { id: company }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 26 }] },
    ],
  });
  const toContact = (typeId: number) => [
    { to: { id: contact }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: typeId }] },
  ];
  await step("POST", `${paths.objects(version, "notes")}/batch/create`, {
    inputs: [{ properties: { hs_timestamp: "2026-01-01T00:00:00Z" }, associations: toContact(202) }],
  });
  await step("POST", paths.objects(version, "0-136"), {
    properties: { hs_lead_name: "Jane" },
    associations: toContact(578),
  });
  await step("POST", `${paths.objects(version, "line_items")}/batch/upsert`, {
    inputs: [{ id: `sku-${version}`, idProperty: "hs_external_id", properties: { quantity: "2" } }],
  });
  await step("PATCH", `${paths.objects(version, "tickets")}/${String(ticket.id)}`, {
    properties: { hs_pipeline_stage: "4" },
  });
  const pipelines = version === "legacy" ? "/crm/v3/pipelines" : `/crm/pipelines/${version}`;
  await step("GET", `${pipelines}/deals`);
  await step("GET", `${pipelines}/tickets/0`);
  await step("GET", `${pipelines}/0-3/default/stages`);
  await step("GET", `${pipelines}/tickets/0/stages/4`);
  await step(
    "GET",
    version === "legacy" ? "/crm/v3/limits/custom-properties" : `/crm/limits/${version}/custom-properties`,
  );
}

async function definitionsTour(version: Version) {
  const base = paths.properties(version, "contacts");
  await step("GET", base);
  await step("POST", base, {
    name: `colour_${version.replace("-", "_")}`,
    label: "Colour",
    type: "enumeration",
    fieldType: "select",
    groupName: "contactinformation",
    options: [{ label: "Red", value: "red", displayOrder: 0, hidden: false }],
  });
  await step("GET", `${base}/email`);
  await step("GET", `${base}/groups`);
  await step("POST", `${base}/groups`, { name: `group_${version.replace("-", "_")}`, label: "Group" });
  await step("GET", paths.schemas(version));
  await step("GET", `${paths.schemas(version)}/2-3465404`);
  const events = paths.events(version);
  const name = `tour_${version.replace("-", "_")}`;
  await step("GET", `${events}/event-definitions?includeProperties=true`);
  await step("POST", `${events}/event-definitions`, {
    label: "Tour",
    name,
    includeDefaultProperties: true,
    propertyDefinitions: [{ name: "step", label: "Step", type: "string" }],
  });
  await step("GET", `${events}/event-definitions/${name}`);
  await step("POST", `${events}/event-definitions/${name}/property`, {
    name: "level",
    label: "Level",
    type: "number",
  });
  const eventName = `pe${sandbox.portalId}_${name}`;
  await step("POST", `${events}/send`, { eventName, email: "ada@example.com", properties: { step: "1" } });
  await step("POST", `${events}/send/batch`, {
    inputs: [{ eventName, email: "ada@example.com", properties: {} }],
  });
  await step("GET", paths.account(version));
}

async function associationsTour(version: Version, contact: string, company: string) {
  const api = ASSOCIATION_APIS.find((candidate) => candidate.version === version);
  if (!api) throw new Error(version);
  const pair = [{ from: { id: contact }, to: { id: company } }];
  const labelled = [{ associationCategory: "USER_DEFINED", associationTypeId: 0 }];
  await step("GET", api.labels("contacts", "companies"));
  const label = await step("POST", api.labels("contacts", "companies"), {
    name: `l_${version.replace("-", "_")}`,
    label: "L",
  });
  const typeId = (label.results as Array<{ typeId: number }>)[1]?.typeId ?? 0;
  labelled[0] = { associationCategory: "USER_DEFINED", associationTypeId: typeId };
  await step("PUT", api.labels("contacts", "companies"), { associationTypeId: typeId, label: "L2" });
  await step("POST", api.batch("contacts", "companies", "associate/default"), { inputs: pair });
  await step("POST", api.batch("contacts", "companies", "create"), {
    inputs: [{ ...pair[0], types: labelled }],
  });
  await step("POST", api.batch("contacts", "companies", "read"), { inputs: [{ id: contact }] });
  await step("POST", api.batch("contacts", "companies", "labels/archive"), {
    inputs: [{ ...pair[0], types: labelled }],
  });
  await step("DELETE", `${api.labels("contacts", "companies")}/${typeId}`);
  const record = api.record("contacts", contact);
  await step("PUT", `${record}/default/companies/${company}`);
  await step("PUT", `${record}/companies/${company}`, [
    { associationCategory: "HUBSPOT_DEFINED", associationTypeId: 1 },
  ]);
  await step("GET", `${record}/companies?limit=10`);
  await step("DELETE", `${record}/companies/${company}`);
  await step("POST", api.batch("contacts", "companies", "archive"), {
    inputs: [{ from: { id: contact }, to: [{ id: company }] }],
  });
}

async function listsTour(version: Version, contact: string) {
  const { base } = LIST_APIS.find((candidate) => candidate.version === version) ?? LIST_APIS[0];
  const created = await step("POST", base, {
    name: `Tour ${version}`,
    objectTypeId: "0-1",
    processingType: "MANUAL",
  });
  const id = (created.list as { listId: string }).listId;
  await step("GET", `${base}?listIds=${id}&listIds=1`);
  await step("POST", `${base}/search`, {
    query: "tour",
    offset: 0,
    listIds: [],
    processingTypes: [],
    additionalProperties: [],
  });
  await step("GET", `${base}/object-type-id/0-1/name/Tour%20${version}`);
  await step("GET", `${base}/${id}`);
  await step("PUT", `${base}/${id}/memberships/add`, [contact]);
  await step("GET", `${base}/${id}/memberships?limit=10`);
  await step("PUT", `${base}/${id}/memberships/remove`, [contact]);
  await step("PUT", `${base}/${id}/memberships/add-and-remove`, {
    recordIdsToAdd: [contact],
    recordIdsToRemove: [],
  });
  await step("DELETE", `${base}/${id}/memberships`);
  await step("DELETE", `${base}/${id}`);
  await step("PUT", `${base}/${id}/restore`);
}

async function tokensTour(version: Version) {
  const form = { client_id: "sandbox-client-id", client_secret: "sandbox-client-secret" };
  const token = await postForm(sandbox, paths.token(version), {
    ...form,
    grant_type: "refresh_token",
    refresh_token: "sandbox-refresh-token",
  });
  expect(token.status).toBe(200);
  const accessToken = String(token.body.access_token);
  if (version === "legacy") {
    expect(
      (await call(sandbox, "GET", `/oauth/v1/access-tokens/${accessToken}`, undefined, null)).status,
    ).toBe(200);
    await postForm(sandbox, "/oauth/v3/token/introspect", { ...form, token: accessToken });
  } else await postForm(sandbox, `/oauth/${version}/token/introspect`, { ...form, token: accessToken });
}

describe.skipIf(!OPENAPI_DIR)("the sandbox's answers against HubSpot's response schemas", () => {
  it("answers every served operation, on every version, as the response schemas say", async () => {
    for (const version of VERSIONS) {
      const { contact, company } = await objectsTour(version);
      await moreObjectsTour(version, contact, company);
      await definitionsTour(version);
      await associationsTour(version, contact, company);
      await listsTour(version, contact);
      await tokensTour(version);
    }
    const report = sandbox.schemas;
    expect(
      report?.failures.map(
        (failure) => `${failure.operation} ${failure.status}: ${failure.problems.join("; ")}`,
      ),
    ).toEqual([]);
    const uncovered = OPERATIONS.map((operation) => operation.name).filter(
      (name) => !report?.coveredResponses.has(name) && !WITHOUT_SPEC.has(name),
    );
    expect(uncovered).toEqual([]);
    expect(report?.checked.responses).toBeGreaterThan(150);
  });
});
