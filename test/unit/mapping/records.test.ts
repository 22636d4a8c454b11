import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { CAR_PROPERTIES, compileContacts } from "./fixtures.js";

const compile = compileContacts;

const codeOf = (result: ReturnType<ReturnType<typeof compile>["map"]>) =>
  result.ok ? "ok" : `${result.rejection.code}${result.rejection.field ? `:${result.rejection.field}` : ""}`;

describe("record mapping", () => {
  it("trims and lower-cases the email key and sends it as both id and property", () => {
    expect(compile().map({ email: "  Ada@Example.COM ", firstname: "Ada" })).toEqual({
      ok: true,
      id: "ada@example.com",
      properties: { email: "ada@example.com", firstname: "Ada" },
    });
  });

  it.each([
    [[1, 2], "DATA_NOT_OBJECT"],
    ["text", "DATA_NOT_OBJECT"],
    [null, "DATA_NOT_OBJECT"],
    [{ firstname: "x" }, "MISSING_MATCHING_KEY:email"],
    [{ email: null }, "MISSING_MATCHING_KEY:email"],
    [{ email: "   " }, "MISSING_MATCHING_KEY:email"],
    [{ email: "a@x.co", no_such: 1 }, "UNKNOWN_PROPERTY:no_such"],
    [{ email: "a@x.co", createdate: "2020-01-01T00:00:00Z" }, "READ_ONLY_PROPERTY:createdate"],
    [{ email: "a@x.co", num_notes: 3 }, "READ_ONLY_PROPERTY:num_notes"],
    [{ email: "a@x.co", age: "x", lifecyclestage: "astronaut" }, "INVALID_NUMBER:age"],
    [{ email: "a@x.co", lifecyclestage: "astronaut", age: "x" }, "INVALID_OPTION:lifecyclestage"],
  ])("maps %j to %s", (data, expected) => {
    expect(codeOf(compile().map(data))).toBe(expected);
  });

  it("drops unknown fields when told to, and always ignores Airbyte's own columns", () => {
    const mapped = compile({ unknownProperties: "drop" }).map({
      email: "a@x.co",
      no_such: 1,
      _airbyte_raw_id: "r",
      _airbyte_extracted_at: 1,
    });
    expect(mapped).toEqual({ ok: true, id: "a@x.co", properties: { email: "a@x.co" } });
    expect(codeOf(compile().map({ email: "a@x.co", _airbyte_meta: {} }))).toBe("ok");
  });

  it.each([
    ["clear", { email: "a@x.co", firstname: "" }],
    ["ignore", { email: "a@x.co" }],
  ] as const)("with null_values %s, a null property becomes %j", (nullValues, properties) => {
    const mapped = compile({ nullValues }).map({ email: "a@x.co", firstname: null });
    expect(mapped.ok && mapped.properties).toEqual(properties);
  });

  it("keeps only the key when archiving, whatever else the record holds", () => {
    expect(compile({ mode: "archive" }).map({ email: "A@x.co", no_such: 1, age: "x" })).toEqual({
      ok: true,
      id: "a@x.co",
      properties: {},
    });
  });

  it("matches a custom object on a unique number property, converting the key", () => {
    const cars = compile({ objectName: "cars", properties: CAR_PROPERTIES, matchingKey: "vin_number" });
    expect(cars.map({ vin_number: 1234, make: "Saab" })).toEqual({
      ok: true,
      id: "1234",
      properties: { vin_number: "1234", make: "Saab" },
    });
    expect(codeOf(cars.map({ vin_number: "abc" }))).toBe("INVALID_NUMBER:vin_number");
  });

  it("matches contacts on a custom unique property", () => {
    expect(compile({ matchingKey: "external_id" }).map({ external_id: "E-1", email: "B@x.co" })).toEqual({
      ok: true,
      id: "E-1",
      properties: { external_id: "E-1", email: "b@x.co" },
    });
  });

  it("refuses a matching key that is not unique, listing the keys that would work", () => {
    expect(() => compile({ objectName: "cars", properties: CAR_PROPERTIES, matchingKey: "make" })).toThrow(
      ConfigError,
    );
    expect(() => compile({ objectName: "cars", properties: CAR_PROPERTIES, matchingKey: "make" })).toThrow(
      /make is not a unique-value property of cars.*car_id, vin_number/,
    );
  });

  it("refuses a matching key that is not a property at all", () => {
    expect(() => compile({ matchingKey: "ssn" })).toThrow(
      /ssn is not a property of CONTACT.*email, external_id/,
    );
  });
});
