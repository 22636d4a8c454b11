import { describe, expect, it } from "vitest";
import type { WriteTarget } from "../../../../src/contract.js";
import type { Property } from "../../../../src/hubspot/types.js";
import { createRefusal, listRecordMapper } from "../../../../src/targets/list/mapper.js";
import { RefusedValues } from "../../../../src/load/refused-values.js";
import { compileObjectMapping } from "../../../../src/mapping/index.js";
import { CRM_OBJECT_TARGET } from "../../../../src/targets/crm-object/target.js";
import { LIST_TARGET } from "../../../../src/targets/list/target.js";

const properties: Property[] = [
  { name: "email", type: "string" },
  { name: "firstname", type: "string" },
  { name: "num_employees", type: "number" },
];
const compile = (mode: "upsert" | "archive") =>
  compileObjectMapping({
    objectName: "CONTACT",
    properties,
    matchingKey: "email",
    mode,
    unknownProperties: "reject",
    nullValues: "clear",
    dateTimeZone: "UTC",
  });

describe("listRecordMapper", () => {
  it("refuses a record only for its key, which can name no member", () => {
    const mapper = listRecordMapper(compile("archive"), compile("upsert"));
    expect(mapper.map({ firstname: "No key" })).toMatchObject({
      ok: false,
      rejection: { code: "MISSING_MATCHING_KEY" },
    });
    expect(mapper.map({ email: "not an address" })).toMatchObject({
      ok: false,
      rejection: { code: "INVALID_EMAIL" },
    });
  });

  it("keeps a record whose other fields could not be converted, carrying why its record cannot be created", () => {
    const mapper = listRecordMapper(compile("archive"), compile("upsert"));
    const mapped = mapper.map({ email: "Ann@x.co", num_employees: "many", shoe_size: 9 });
    expect(mapped).toMatchObject({ ok: true, id: "ann@x.co" });
    const refusal = mapped.ok && !mapped.skip ? createRefusal(mapped.properties) : undefined;
    expect(refusal?.code).toBe("INVALID_NUMBER");
    expect(refusal?.message).toContain("num_employees");
    // Without the field: merged records are then tried one by one, each getting its own verdict.
    expect(refusal?.field).toBeUndefined();
  });

  it("converts the properties a record may be created with, and reads only the key without create_missing_records", () => {
    const creating = listRecordMapper(compile("archive"), compile("upsert"));
    expect(creating.map({ email: "ann@x.co", firstname: "Ann" })).toEqual({
      ok: true,
      id: "ann@x.co",
      properties: { email: "ann@x.co", firstname: "Ann" },
    });
    const keysOnly = listRecordMapper(compile("archive"), undefined);
    expect(keysOnly.map({ email: "ann@x.co", shoe_size: 9 })).toEqual({
      ok: true,
      id: "ann@x.co",
      properties: {},
    });
  });
});

describe("values HubSpot refused, for list members", () => {
  it("never keep a member out: a list writes members whatever their properties hold", () => {
    const crm: WriteTarget = {
      key: "people",
      streamName: "people",
      namespace: undefined,
      objectName: "CONTACT",
      objectType: "0-1",
      mode: "upsert",
      idProperty: "email",
      ...CRM_OBJECT_TARGET,
    };
    const refused = new RefusedValues();
    const rejection = {
      code: "INVALID_PHONE",
      message: "no",
      field: "phone",
      httpStatus: 400,
      category: "VALIDATION_ERROR",
    };
    refused.learn(crm, rejection, { phone: "12" });
    expect(refused.check(crm, { phone: "12" })?.code).toBe("INVALID_PHONE");
    expect(
      refused.check({ ...crm, key: "audience", ...LIST_TARGET, mode: "add" }, { phone: "12" }),
    ).toBeUndefined();
  });
});
