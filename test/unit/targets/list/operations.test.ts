import { describe, expect, it } from "vitest";
import { describeObject } from "../../../../src/mapping/json-schema.js";
import type { Property } from "../../../../src/hubspot/types.js";
import { listOperations } from "../../../../src/targets/list/operations.js";

const properties: Property[] = [
  { name: "email", type: "string", label: "Email" },
  { name: "firstname", type: "string", label: "First name" },
  { name: "external_id", type: "string", hasUniqueValue: true },
  {
    name: "hs_object_id",
    type: "number",
    hasUniqueValue: true,
    modificationMetadata: { readOnlyValue: true },
  },
];
const contacts = describeObject("CONTACT", properties, { builtInKey: "email" });

describe("listOperations", () => {
  it("offers a list as list:<name> for append, overwrite and soft_delete, with its object's matching keys", () => {
    const operations = listOperations({ name: "Q3: churn risk" }, contacts, false);
    expect(operations.map((operation) => [operation.object_name, operation.sync_mode])).toEqual([
      ["list:Q3: churn risk", "append"],
      ["list:Q3: churn risk", "overwrite"],
      ["list:Q3: churn risk", "soft_delete"],
    ]);
    for (const operation of operations) {
      expect(operation.matching_keys).toEqual([["email"], ["external_id"]]);
      expect(Object.keys(operation.json_schema.properties).sort()).toEqual(["email", "external_id"]);
    }
  });

  it("adds the writable properties to append and overwrite when missing records may be created", () => {
    const [append, overwrite, softDelete] = listOperations({ name: "Newsletter" }, contacts, true);
    expect(Object.keys(append?.json_schema.properties ?? {}).sort()).toEqual([
      "email",
      "external_id",
      "firstname",
    ]);
    expect(overwrite?.json_schema.properties).toEqual(append?.json_schema.properties);
    expect(Object.keys(softDelete?.json_schema.properties ?? {}).sort()).toEqual(["email", "external_id"]);
  });
});
