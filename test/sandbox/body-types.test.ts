/**
 * Body fields of the wrong type are refused with HubSpot's invalid-input 400 on every path and in every mode (no
 * `openapiDir` here): a property value sent as an object or a list is not stored as "[object Object]" or "a,b", a
 * list field sent as a string is not ignored. Numbers and booleans stay accepted as their text, as HubSpot takes them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "../../src/sandbox/operations.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import type { BodyShape } from "../../src/sandbox/types.js";
import { concretePath } from "../support/openapi.js";
import { call, paths, VERSIONS } from "./helpers.js";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: { max: 1_000_000 }, searchRequestsPerSecond: 1_000_000 });
});
afterAll(async () => {
  await sandbox.close();
});

const contactCount = () => sandbox.store.resolve("contacts")?.records.size ?? 0;

function expectRefused(answer: { status: number; body: Record<string, unknown> }, field: string) {
  expect(answer.status).toBe(400);
  expect(answer.body.message).toMatch(/^Invalid input JSON on line 1, column 1: Cannot deserialize value/);
  expect(answer.body.message).toContain(`at ${field}`);
  expect(answer.body).not.toHaveProperty("category");
}

describe.each(VERSIONS)("property values that are not text, on %s paths", (version) => {
  const base = () => paths.objects(version, "contacts");
  const odd = [{ a: 1 }, ["a", "b"], []];
  let seq = 0;
  const email = () => `bt-${version}-${(seq += 1)}@example.com`;

  it("refuses them on create, update and every batch write, storing nothing", async () => {
    const made = await call(sandbox, "POST", base(), { properties: { email: email(), firstname: "Ann" } });
    expect(made.status).toBe(201);
    const id = String(made.body.id);
    const before = contactCount();
    for (const value of odd) {
      const properties = { email: email(), firstname: value };
      expectRefused(await call(sandbox, "POST", base(), { properties }), "properties.firstname");
      const patch = { properties: { firstname: value } };
      expectRefused(await call(sandbox, "PATCH", `${base()}/${id}`, patch), "properties.firstname");
      for (const operation of ["create", "update", "upsert"]) {
        const input =
          operation === "create"
            ? { properties }
            : operation === "update"
              ? { id, properties }
              : { id: email(), idProperty: "email", properties };
        const answer = await call(sandbox, "POST", `${base()}/batch/${operation}`, { inputs: [input] });
        expectRefused(answer, "inputs[].properties.firstname");
      }
    }
    expect(contactCount()).toBe(before);
    expect(sandbox.store.resolve("contacts")?.records.get(id)?.properties.firstname).toBe("Ann");
  });

  it("keeps numbers and booleans as their text, and null as absent", async () => {
    const made = await call(sandbox, "POST", base(), {
      properties: { email: email(), firstname: 42, lastname: true, company: null },
    });
    expect(made.status).toBe(201);
    const stored = sandbox.store.resolve("contacts")?.records.get(String(made.body.id))?.properties;
    expect(stored).toMatchObject({ firstname: "42", lastname: "true" });
    expect(stored?.company ?? "").toBe("");
  });

  it("refuses list fields sent as a string in batch read and search", async () => {
    const read = (body: object) =>
      call(sandbox, "POST", `${base()}/batch/read`, { inputs: [{ id: "1" }], ...body });
    expectRefused(await read({ properties: "email" }), "properties");
    expectRefused(await read({ propertiesWithHistory: "firstname" }), "propertiesWithHistory");
    expectRefused(await read({ idProperty: ["email"] }), "idProperty");
    const search = await call(sandbox, "POST", `${base()}/search`, { properties: "email" });
    expectRefused(search, "properties");
  });
});

/** Each typed field of a shape, with a body carrying a value of the wrong type there. */
function wrongBodies(shape: BodyShape, at = ""): Array<{ field: string; body: unknown }> {
  const wrap = (inner: Array<{ field: string; body: unknown }>, step: (body: unknown) => unknown) =>
    inner.map(({ field, body }) => ({ field, body: step(body) }));
  if (shape === true) return [];
  if (typeof shape === "string") return [{ field: at, body: shape === "values" ? ["x"] : { x: 1 } }];
  if (Array.isArray(shape)) {
    const self = { field: at, body: "x" };
    return [self, ...wrap(wrongBodies(shape[0] as BodyShape, `${at}[]`), (body) => [body])];
  }
  return Object.entries(shape as Record<string, BodyShape>).flatMap(([name, inner]) =>
    wrap(wrongBodies(inner, at ? `${at}.${name}` : name), (body) => ({ [name]: body })),
  );
}

describe("every typed body field of every operation the sandbox serves", () => {
  it("answers HubSpot's invalid-input 400 naming the field when its value has the wrong type", async () => {
    const accepted: string[] = [];
    let checked = 0;
    for (const operation of OPERATIONS) {
      if (operation.body === undefined) continue;
      const path = concretePath((operation.paths[0] as string).replace("{version}", "2026-09"));
      for (const { field, body } of wrongBodies(operation.body)) {
        checked += 1;
        const answer = await call(sandbox, operation.method, path, body);
        const message = String(answer.body.message ?? "");
        const where = field === "" ? "the request body" : field;
        if (answer.status !== 400 || !message.endsWith(`at ${where}`)) {
          accepted.push(`${operation.name} ${field}: ${answer.status} ${message.slice(0, 80)}`);
        }
      }
    }
    expect(accepted).toEqual([]);
    expect(checked).toBeGreaterThan(80);
  });
});
