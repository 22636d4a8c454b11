import { describe, expect, it } from "vitest";
import {
  describeObject,
  isWritable,
  type PropertyJsonSchema,
  propertyJsonSchema,
} from "../../../../src/mapping/json-schema.js";
import { objectOperations } from "../../../../src/targets/crm-object/operations.js";
import type { Property } from "../../../../src/hubspot/types.js";

const property = (name: string, type: string, extra: Partial<Property> = {}): Property => ({
  name,
  type,
  fieldType: "text",
  label: name.toUpperCase(),
  modificationMetadata: { readOnlyValue: false },
  ...extra,
});

describe("propertyJsonSchema", () => {
  const cases: [string, Property, PropertyJsonSchema | undefined][] = [
    ["a string", property("city", "string"), { type: "string", description: "CITY" }],
    ["a phone number", property("phone", "phone_number"), { type: "string", description: "PHONE" }],
    [
      "a number",
      property("amount", "number", { fieldType: "number" }),
      { type: "number", description: "AMOUNT" },
    ],
    ["a bool", property("optout", "bool"), { type: "boolean", description: "OPTOUT" }],
    ["a date", property("birthday", "date"), { type: "string", format: "date", description: "BIRTHDAY" }],
    [
      "a datetime",
      property("closedate", "datetime"),
      {
        type: "string",
        format: "date-time",
        airbyte_type: "timestamp_with_timezone",
        description: "CLOSEDATE",
      },
    ],
    [
      "a single-select enumeration",
      property("stage", "enumeration", {
        fieldType: "select",
        options: [
          { value: "lead", label: "Lead" },
          { value: "customer", label: "Customer" },
        ],
      }),
      { type: "string", enum: ["lead", "customer"], description: "STAGE" },
    ],
    [
      "an enumeration without options (owner ids)",
      property("hubspot_owner_id", "enumeration", {
        fieldType: "select",
        options: [],
        externalOptions: true,
      }),
      { type: "string", description: "HUBSPOT_OWNER_ID" },
    ],
    [
      "a multi-select enumeration",
      property("roles", "enumeration", { fieldType: "checkbox", options: [{ value: "a" }, { value: "b" }] }),
      { type: "string", description: 'ROLES. Several values: option values joined by ";".' },
    ],
    ["a property without a label", property("x", "string", { label: "" }), { type: "string" }],
    ["an unknown type", property("geo", "geo_shape"), undefined],
  ];

  it.each(cases)("maps %s", (_title, input, expected) => {
    expect(propertyJsonSchema(input)).toEqual(expected);
  });
});

describe("isWritable", () => {
  const cases: [string, Property, boolean][] = [
    ["a plain property", property("city", "string"), true],
    [
      "a property without modification metadata",
      property("city", "string", { modificationMetadata: undefined }),
      true,
    ],
    [
      "a read-only value",
      property("createdate", "datetime", { modificationMetadata: { readOnlyValue: true } }),
      false,
    ],
    ["a calculated property", property("days_to_close", "number", { calculated: true }), false],
    ["an object_coordinates property", property("hs_object_coordinates", "object_coordinates"), false],
    ["a json property", property("hs_json", "json"), false],
  ];

  it.each(cases)("says whether %s is writable", (_title, input, expected) => {
    expect(isWritable(input)).toBe(expected);
  });
});

describe("describeObject", () => {
  it("keeps writable properties only, sorted by name", () => {
    const description = describeObject("COMPANY", [
      property("name", "string"),
      property("domain", "string", { hasUniqueValue: true }),
      property("hs_object_id", "number", {
        hasUniqueValue: true,
        modificationMetadata: { readOnlyValue: true },
      }),
      property("total_revenue", "number", { calculated: true }),
    ]);
    expect(Object.keys(description.properties)).toEqual(["domain", "name"]);
  });

  it("offers every writable unique-value property as a matching key, and no read-only one", () => {
    const description = describeObject("COMPANY", [
      property("vat_id", "string", { hasUniqueValue: true }),
      property("domain", "string", { hasUniqueValue: true }),
      property("hs_object_id", "number", {
        hasUniqueValue: true,
        modificationMetadata: { readOnlyValue: true },
      }),
    ]);
    expect(description.matchingKeys).toEqual([["domain"], ["vat_id"]]);
  });

  it("puts the built-in key first, even when it is not a unique-value property", () => {
    const description = describeObject(
      "CONTACT",
      [property("external_id", "string", { hasUniqueValue: true }), property("email", "string")],
      { builtInKey: "email" },
    );
    expect(description.matchingKeys).toEqual([["email"], ["external_id"]]);
  });

  it("adds the built-in key as a string property when HubSpot did not list it", () => {
    const description = describeObject("CONTACT", [property("firstname", "string")], { builtInKey: "email" });
    expect(description.properties.email).toEqual({ type: "string" });
    expect(description.matchingKeys).toEqual([["email"]]);
  });

  it("reports writable properties of unknown types instead of mapping them", () => {
    const description = describeObject("DEAL", [
      property("shape", "geo_shape"),
      property("dealname", "string"),
    ]);
    expect(description.unknownTypes).toEqual([{ name: "shape", type: "geo_shape" }]);
    expect(Object.keys(description.properties)).toEqual(["dealname"]);
  });
});

describe("objectOperations", () => {
  const cars = describeObject("cars", [
    property("vin", "string", { hasUniqueValue: true }),
    property("price", "number"),
    property("color", "enumeration", { fieldType: "radio", options: [{ value: "red" }, { value: "blue" }] }),
  ]);

  it("emits append_dedup, update and soft_delete for an object with a matching key", () => {
    expect(objectOperations(cars).map((operation) => [operation.object_name, operation.sync_mode])).toEqual([
      ["cars", "append_dedup"],
      ["cars", "update"],
      ["cars", "soft_delete"],
    ]);
  });

  it("gives upsert and update the full schema without additional properties", () => {
    const [upsert, update] = objectOperations(cars);
    const expected = {
      type: "object",
      additionalProperties: false,
      properties: {
        color: { type: "string", enum: ["red", "blue"], description: "COLOR" },
        price: { type: "number", description: "PRICE" },
        vin: { type: "string", description: "VIN" },
      },
    };
    expect(upsert?.json_schema).toEqual(expected);
    expect(update?.json_schema).toEqual(expected);
    expect(upsert?.matching_keys).toEqual([["vin"]]);
  });

  it("gives soft_delete a schema of the matching keys only", () => {
    const softDelete = objectOperations(cars).find((operation) => operation.sync_mode === "soft_delete");
    expect(softDelete?.json_schema.properties).toEqual({ vin: { type: "string", description: "VIN" } });
    expect(softDelete?.matching_keys).toEqual([["vin"]]);
  });

  it("leaves out an object that has no matching key", () => {
    const deals = describeObject("DEAL", [property("dealname", "string"), property("amount", "number")]);
    expect(objectOperations(deals)).toEqual([]);
  });
});
