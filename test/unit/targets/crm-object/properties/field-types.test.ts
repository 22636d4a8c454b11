import { describe, expect, it } from "vitest";
import {
  declaredFields,
  shapeOfField,
} from "../../../../../src/targets/crm-object/properties/field-types.js";
import {
  propertyLabel,
  propertyNameProblem,
} from "../../../../../src/targets/crm-object/properties/names.js";

const shape = (schema: unknown) => {
  const { type, fieldType } = shapeOfField(schema);
  return `${type}/${fieldType}`;
};

describe("the property a field's JSON schema becomes", () => {
  it.each([
    [{ type: "string" }, "string/text"],
    [{ type: ["null", "string"] }, "string/text"],
    [{ type: "string", format: "date" }, "date/date"],
    [{ type: "string", format: "date-time" }, "datetime/date"],
    [
      { type: ["string", "null"], format: "date-time", airbyte_type: "timestamp_without_timezone" },
      "datetime/date",
    ],
    [{ type: "string", format: "time" }, "string/text"],
    [{ type: "number" }, "number/number"],
    [{ type: "integer" }, "number/number"],
    [{ type: ["null", "integer"] }, "number/number"],
    [{ type: "boolean" }, "bool/booleancheckbox"],
    [{ type: "array", items: { type: "string" } }, "string/textarea"],
    [{ type: "object", properties: {} }, "string/textarea"],
    [{ type: ["string", "number"] }, "string/textarea"],
    [{ anyOf: [{ type: "string" }, { type: "number" }] }, "string/textarea"],
    [{}, "string/textarea"],
    [{ type: "null" }, "string/textarea"],
    [true, "string/textarea"],
    [{ $ref: "WellKnownTypes.json#/definitions/Integer" }, "number/number"],
    [{ $ref: "WellKnownTypes.json#/definitions/Boolean" }, "bool/booleancheckbox"],
    [{ $ref: "WellKnownTypes.json#/definitions/Date" }, "date/date"],
    [{ $ref: "WellKnownTypes.json#/definitions/TimestampWithTimezone" }, "datetime/date"],
    [{ $ref: "WellKnownTypes.json#/definitions/TimeWithoutTimezone" }, "string/text"],
    [{ $ref: "WellKnownTypes.json#/definitions/String" }, "string/text"],
    [{ $ref: "#/definitions/Something" }, "string/textarea"],
  ])("%j → %s", (schema, expected) => {
    expect(shape(schema)).toBe(expected);
  });

  it("gives a boolean HubSpot's two options, true (Yes) and false (No), each with an order and shown", () => {
    expect(shapeOfField({ type: "boolean" }).options).toEqual([
      { label: "Yes", value: "true", displayOrder: 0, hidden: false },
      { label: "No", value: "false", displayOrder: 1, hidden: false },
    ]);
    expect(shapeOfField({ type: "string" }).options).toBeUndefined();
  });

  it("reads the fields a stream's schema declares, and none from a schema without properties", () => {
    expect(declaredFields({ properties: { a: { type: "string" }, b: {} } }).map(([name]) => name)).toEqual([
      "a",
      "b",
    ]);
    expect(declaredFields({})).toEqual([]);
    expect(declaredFields(undefined)).toEqual([]);
    expect(declaredFields({ properties: ["a"] })).toEqual([]);
  });
});

describe("HubSpot's property name rule", () => {
  it.each([
    ["order_total", undefined],
    ["a", undefined],
    ["x".repeat(100), undefined],
    ["x".repeat(101), "is 101 characters long, over HubSpot's 100"],
    ["", "is empty"],
    ["Order_total", "does not start with a lowercase letter"],
    ["2fa", "does not start with a lowercase letter"],
    ["_private", "does not start with a lowercase letter"],
    ["orderTotal", "holds characters other than lowercase letters, digits and _"],
    ["order-total", "holds characters other than lowercase letters, digits and _"],
    ["order total", "holds characters other than lowercase letters, digits and _"],
    ["ordér", "holds characters other than lowercase letters, digits and _"],
  ])("%j: %s", (name, problem) => {
    expect(propertyNameProblem(name)).toBe(problem);
  });

  it("holds event property names to 50 characters", () => {
    expect(propertyNameProblem("x".repeat(50), 50)).toBeUndefined();
    expect(propertyNameProblem("x".repeat(51), 50)).toMatch(/over HubSpot's 50/);
  });

  it("labels a created property by its name, underscores as spaces, within the length", () => {
    expect(propertyLabel("order_total")).toBe("order total");
    expect(propertyLabel("a_b".repeat(30), 50)).toHaveLength(50);
  });
});
