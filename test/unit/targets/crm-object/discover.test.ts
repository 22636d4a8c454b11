import { describe, expect, it } from "vitest";
import { ConfigError, TransientError } from "../../../../src/errors.js";
import { HubSpotApiError } from "../../../../src/hubspot/api-errors.js";
import { type CatalogSource, discoverOperations } from "../../../../src/targets/crm-object/discover.js";
import { parseErrorBody } from "../../../../src/hubspot/error-body.js";
import type { ObjectSchema, Property } from "../../../../src/hubspot/types.js";

const prop = (name: string, extra: Partial<Property> = {}): Property => ({
  name,
  type: "string",
  fieldType: "text",
  label: name,
  modificationMetadata: { readOnlyValue: false },
  ...extra,
});

const apiError = (status: number, body: Record<string, unknown> = {}) =>
  new HubSpotApiError({
    method: "GET",
    path: "/crm/v3/properties/x",
    status,
    parsed: parseErrorBody(JSON.stringify(body)),
  });

const PROPERTIES: Record<string, Property[]> = {
  "0-1": [prop("email"), prop("firstname")],
  "0-2": [prop("domain", { hasUniqueValue: true }), prop("name")],
  "0-3": [prop("dealname")],
  "0-7": [prop("hs_sku", { hasUniqueValue: true })],
};
const CARS: ObjectSchema = {
  name: "cars",
  objectTypeId: "2-123",
  properties: [prop("vin", { hasUniqueValue: true }), prop("model")],
};

/** A CatalogSource answering from tables; an Error value is thrown instead. */
function source(
  properties: Record<string, Property[] | Error> = PROPERTIES,
  schemas: ObjectSchema[] | Error = [CARS],
): CatalogSource {
  return {
    async listProperties(objectType) {
      const answer = properties[objectType];
      if (answer === undefined) throw apiError(404);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    async listSchemas() {
      if (schemas instanceof Error) throw schemas;
      return schemas;
    },
  };
}

function logger() {
  const lines: string[] = [];
  return { lines, log: (level: "INFO" | "WARN", message: string) => lines.push(`${level} ${message}`) };
}

const summary = (operations: { object_name: string; sync_mode: string }[]) =>
  operations.map((operation) => `${operation.object_name}:${operation.sync_mode}`);

describe("discoverOperations", () => {
  it("offers three operations by key for each object with a matching key, and a create for every object", async () => {
    const { log } = logger();
    const operations = await discoverOperations(source(), log);
    expect(summary(operations)).toEqual([
      "CONTACT:append_dedup",
      "CONTACT:update",
      "CONTACT:soft_delete",
      "CONTACT:append",
      "COMPANY:append_dedup",
      "COMPANY:update",
      "COMPANY:soft_delete",
      "COMPANY:append",
      "DEAL:update",
      "DEAL:soft_delete",
      "DEAL:append",
      "PRODUCT:append_dedup",
      "PRODUCT:update",
      "PRODUCT:soft_delete",
      "PRODUCT:append",
      "cars:append_dedup",
      "cars:update",
      "cars:soft_delete",
      "cars:append",
    ]);
    expect(operations[0]?.matching_keys).toEqual([["email"]]);
    expect(operations.find((operation) => operation.object_name === "cars")?.matching_keys).toEqual([
      ["vin"],
    ]);
  });

  it("offers update and soft_delete keyed by hs_object_id for every object, beside its unique keys", async () => {
    const { log } = logger();
    const operations = await discoverOperations(source(), log);
    const keysOf = (object: string, mode: string) =>
      operations.find((operation) => operation.object_name === object && operation.sync_mode === mode);
    for (const object of ["CONTACT", "COMPANY", "DEAL", "PRODUCT", "cars"]) {
      expect(keysOf(object, "update")?.matching_keys).toContainEqual(["hs_object_id"]);
      expect(keysOf(object, "soft_delete")?.matching_keys).toContainEqual(["hs_object_id"]);
      expect(keysOf(object, "append_dedup")?.matching_keys ?? []).not.toContainEqual(["hs_object_id"]);
      expect(keysOf(object, "soft_delete")?.json_schema.properties.hs_object_id).toMatchObject({
        type: "string",
      });
    }
    expect(keysOf("CONTACT", "update")?.matching_keys).toEqual([["email"], ["hs_object_id"]]);
  });

  it("offers an object without a unique-value key by record id and as a create, and says how to upsert it", async () => {
    const { lines, log } = logger();
    const operations = await discoverOperations(source(), log);
    const deal = operations.filter((operation) => operation.object_name === "DEAL");
    expect(deal.map((operation) => [operation.sync_mode, operation.matching_keys])).toEqual([
      ["update", [["hs_object_id"]]],
      ["soft_delete", [["hs_object_id"]]],
      ["append", []],
    ]);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^INFO Discover offers no upsert of DEAL, only creates, and updates and archives by record id \(hs_object_id\)/,
      ),
    );
  });

  it("offers an object without a matching key a create, its required properties those it has", async () => {
    const { log } = logger();
    const operations = await discoverOperations(source(), log);
    const create = operations.find((one) => one.object_name === "DEAL" && one.sync_mode === "append");
    // DEAL requires dealname, dealstage and pipeline to be created; this portal's DEAL has only dealname.
    expect(create?.json_schema.required).toEqual(["dealname"]);
    expect(create?.matching_keys).toEqual([]);
  });

  it("marks a custom object's required properties as its schema in the portal gives them", async () => {
    const { log } = logger();
    const cars = { ...CARS, requiredProperties: ["model"] };
    const operations = await discoverOperations(source(PROPERTIES, [cars]), log);
    const create = operations.find((one) => one.object_name === "cars" && one.sync_mode === "append");
    expect(create?.json_schema.required).toEqual(["model"]);
    const upsert = operations.find((one) => one.object_name === "cars" && one.sync_mode === "append_dedup");
    expect(upsert?.json_schema.required).toBeUndefined();
  });

  it("skips an object HubSpot refuses for a missing scope and names the object and the scope", async () => {
    const { lines, log } = logger();
    const missing = apiError(403, {
      category: "MISSING_SCOPES",
      errors: [{ context: { requiredGranularScopes: ["crm.objects.products.read"] } }],
    });
    const operations = await discoverOperations(source({ ...PROPERTIES, "0-7": missing }), log);
    expect(operations.some((operation) => operation.object_name === "PRODUCT")).toBe(false);
    expect(operations.some((operation) => operation.object_name === "CONTACT")).toBe(true);
    expect(lines).toContainEqual(
      expect.stringMatching(/^WARN Discover left out PRODUCT: .*crm\.objects\.products\.read/),
    );
  });

  it("skips the custom objects when the schemas cannot be listed", async () => {
    const { lines, log } = logger();
    const operations = await discoverOperations(
      source(PROPERTIES, apiError(403, { category: "FORBIDDEN" })),
      log,
    );
    expect(operations.some((operation) => operation.object_name === "cars")).toBe(false);
    expect(operations).toHaveLength(15);
    expect(lines).toContainEqual(
      expect.stringMatching(/^WARN Discover left out custom objects: .*403 FORBIDDEN/),
    );
  });

  it("skips an object whose read still fails with 5xx after retries", async () => {
    const { lines, log } = logger();
    const operations = await discoverOperations(source({ ...PROPERTIES, "0-2": apiError(503) }), log);
    expect(operations.some((operation) => operation.object_name === "COMPANY")).toBe(false);
    expect(lines).toContainEqual(
      expect.stringMatching(/^WARN Discover left out COMPANY: HubSpot answered 503/),
    );
  });

  it("fails discover when HubSpot rejects the token", async () => {
    const rejected = apiError(401, { category: "INVALID_AUTHENTICATION" });
    const error = await discoverOperations(source({ ...PROPERTIES, "0-1": rejected }), () => {}).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).cause).toBe(rejected);
  });

  it("fails discover with the refresh error when the OAuth refresh token is rejected", async () => {
    const refused = new ConfigError("HubSpot rejected the OAuth refresh token");
    const error = await discoverOperations(source({ ...PROPERTIES, "0-3": refused }), () => {}).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBe(refused);
  });

  it("fails with the first failure when no object could be read at all", async () => {
    const down = apiError(502);
    const all = { "0-1": down, "0-2": down, "0-3": down, "0-7": down };
    const error = await discoverOperations(source(all, down), () => {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/while reading the properties of CONTACT/);
  });

  it("warns about a property of an unknown type and keeps the rest of the object", async () => {
    const { lines, log } = logger();
    const properties = {
      ...PROPERTIES,
      "0-2": [...(PROPERTIES["0-2"] ?? []), prop("area", { type: "geo_shape" })],
    };
    const operations = await discoverOperations(source(properties), log);
    expect(operations.some((operation) => operation.object_name === "COMPANY")).toBe(true);
    expect(lines).toContain(
      "WARN Discover left out property area of COMPANY: its HubSpot type geo_shape is not supported.",
    );
  });

  it("keeps the first of two objects with the same name", async () => {
    const { lines, log } = logger();
    const duplicate: ObjectSchema = {
      name: "cars",
      objectTypeId: "2-999",
      properties: [prop("plate", { hasUniqueValue: true })],
    };
    const operations = await discoverOperations(source(PROPERTIES, [CARS, duplicate]), log);
    const cars = operations.filter((operation) => operation.object_name === "cars");
    expect(cars).toHaveLength(4);
    expect(cars[0]?.matching_keys).toEqual([["vin"]]);
    expect(lines).toContainEqual(expect.stringMatching(/second object named cars/));
  });
});
