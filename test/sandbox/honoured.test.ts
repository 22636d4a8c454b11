/**
 * The sandbox's rule, checked against HubSpot's own request schemas: for every operation in HubSpot's OpenAPI files,
 * - an operation the sandbox serves: each query parameter, body field and form field the schema names is either
 *   honoured (operations.ts lists it) or refused with a 501 that names it;
 * - an operation the sandbox does not serve answers 501;
 * and every operation the sandbox serves is met by the walk.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findOperation, unhonouredPart } from "../../src/sandbox/honoured.js";
import { OPERATIONS } from "../../src/sandbox/operations.js";
import { DEFAULT_PRIVATE_APP_TOKEN, type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { concretePath, OPENAPI_DIR, type SpecRequest, specRequests } from "../support/openapi.js";

/** Served operations no published file describes, with the path HubSpot and its SDKs use for them. */
const SERVED_WITHOUT_SPEC: Record<string, string> = {
  "oauth.private-app-token-info":
    "POST /oauth/v2/private-apps/get/access-token-info (private app token info)",
};

let sandbox: Sandbox;
const specs = OPENAPI_DIR ? specRequests(OPENAPI_DIR) : [];

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: { max: 1_000_000 }, searchRequestsPerSecond: 1_000_000 });
});
afterAll(async () => {
  await sandbox.close();
});

/** A body carrying `path` (`inputs[].to.id`) with a placeholder value. */
function bodyWith(path: string): unknown {
  const steps = path.split(".").flatMap((step) => {
    const name = step.replace(/(\[\])+$/, "");
    const arrays = (step.length - name.length) / 2;
    return [...(name ? [name] : []), ...Array.from({ length: arrays }, () => "[]")];
  });
  return steps.reduceRight<unknown>((inner, step) => (step === "[]" ? [inner] : { [step]: inner }), "x");
}

async function send(spec: SpecRequest, query = "", body?: unknown, form?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${DEFAULT_PRIVATE_APP_TOKEN}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (form !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
  const response = await fetch(`${sandbox.url}${concretePath(spec.template)}${query}`, {
    method: spec.method,
    headers,
    body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as { message?: string } };
}

describe.skipIf(!OPENAPI_DIR)("every parameter and field of HubSpot's request schemas", () => {
  const served = specs.filter((spec) => findOperation(spec.method, concretePath(spec.template)));
  const unserved = specs.filter((spec) => !findOperation(spec.method, concretePath(spec.template)));

  it("meets every operation the sandbox serves in HubSpot's files", () => {
    const met = new Set(served.map((spec) => findOperation(spec.method, concretePath(spec.template))?.name));
    const missing = OPERATIONS.map((operation) => operation.name).filter(
      (name) => !met.has(name) && !(name in SERVED_WITHOUT_SPEC),
    );
    expect(missing).toEqual([]);
    expect(served.length).toBeGreaterThan(100);
  });

  it("honours or refuses with a 501 each query parameter of a served operation", async () => {
    const refusedWrongly: string[] = [];
    for (const spec of served) {
      const operation = findOperation(spec.method, concretePath(spec.template));
      for (const name of spec.query) {
        if (operation?.query?.includes(name)) continue;
        const answer = await send(spec, `?${name}=1`);
        if (answer.status !== 501 || !answer.body.message?.includes(`query parameter ${name}`)) {
          refusedWrongly.push(`${spec.method} ${spec.template} ?${name}: ${answer.status}`);
        }
      }
    }
    expect(refusedWrongly).toEqual([]);
  });

  it("honours or refuses with a 501 each body field of a served operation", async () => {
    const refusedWrongly: string[] = [];
    let refusals = 0;
    for (const spec of served) {
      const operation = findOperation(spec.method, concretePath(spec.template));
      if (!operation) continue;
      const seen = new Set<string>();
      for (const field of spec.fields) {
        const body = bodyWith(field);
        const part = unhonouredPart(operation, new URLSearchParams(), body);
        if (part === undefined || seen.has(part)) continue;
        seen.add(part);
        refusals += 1;
        const answer = await send(spec, "", body);
        if (answer.status !== 501 || !answer.body.message?.includes(part)) {
          refusedWrongly.push(`${spec.method} ${spec.template} ${field}: ${answer.status}`);
        }
      }
      for (const field of spec.form) {
        if (operation.form?.includes(field)) continue;
        const answer = await send(spec, "", undefined, `${field}=x`);
        if (answer.status !== 501 || !answer.body.message?.includes(`form field ${field}`)) {
          refusedWrongly.push(`${spec.method} ${spec.template} form ${field}: ${answer.status}`);
        }
      }
    }
    expect(refusedWrongly).toEqual([]);
    expect(refusals).toBeGreaterThan(10);
  });

  it("lists as honoured only parameters and fields HubSpot's schema has (or its guides document)", () => {
    const invented: string[] = [];
    const documented = new Set(["objects.search sorts[].propertyName", "objects.search sorts[].direction"]);
    for (const operation of OPERATIONS) {
      const matching = served.filter(
        (spec) => findOperation(spec.method, concretePath(spec.template))?.name === operation.name,
      );
      if (matching.length === 0) continue;
      const query = new Set(matching.flatMap((spec) => spec.query));
      for (const name of operation.query ?? [])
        if (!query.has(name)) invented.push(`${operation.name} ?${name}`);
      const fields = new Set(matching.flatMap((spec) => spec.fields));
      for (const field of shapeFields(operation.body)) {
        if (!fields.has(field) && !documented.has(`${operation.name} ${field}`)) {
          invented.push(`${operation.name} ${field}`);
        }
      }
    }
    expect(invented).toEqual([]);
  });

  it("answers 501 to every operation of HubSpot's files it does not serve", async () => {
    const answered: string[] = [];
    for (const spec of unserved) {
      const answer = await send(spec, "", spec.method === "GET" || spec.method === "DELETE" ? undefined : {});
      if (answer.status !== 501) answered.push(`${spec.method} ${spec.template}: ${answer.status}`);
    }
    expect(answered).toEqual([]);
    expect(unserved.length).toBeGreaterThan(50);
  });
});

/** The field paths a body shape lists, `inputs[].to.id`. */
function shapeFields(shape: unknown, prefix = ""): string[] {
  if (typeof shape !== "object") return [];
  if (Array.isArray(shape)) return shapeFields(shape[0], `${prefix}[]`);
  return Object.entries(shape as Record<string, unknown>).flatMap(([name, inner]) => {
    const path = prefix === "" ? name : prefix === "[]" ? `[].${name}` : `${prefix}.${name}`;
    return [path, ...shapeFields(inner, path)];
  });
}
