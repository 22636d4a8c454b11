import { describe, expect, it } from "vitest";
import type { Rejection, WriteTarget } from "../../../src/contract.js";
import { RefusedValues } from "../../../src/load/refused-values.js";
import { CRM_OBJECT_TARGET } from "../../../src/targets/crm-object/target.js";

const contacts: WriteTarget = {
  key: "people",
  streamName: "people",
  namespace: undefined,
  objectName: "CONTACT",
  objectType: "0-1",
  mode: "upsert",
  idProperty: "email",
  ...CRM_OBJECT_TARGET,
};
const companies: WriteTarget = { ...contacts, key: "orgs", objectName: "COMPANY", objectType: "0-2" };

const refusal = (code: string, field: string, message = "refused"): Rejection => ({
  code,
  field,
  message,
  httpStatus: 400,
  category: "VALIDATION_ERROR",
});

describe("RefusedValues", () => {
  it("rejects the same value of the same property of the same object again, with HubSpot's code and no status", () => {
    const refused = new RefusedValues();
    refused.learn(contacts, refusal("INVALID_OPTION", "lifecyclestage", "astronaut is not allowed"), {
      lifecyclestage: "astronaut",
    });
    expect(refused.check(contacts, { lifecyclestage: "astronaut" })).toMatchObject({
      code: "INVALID_OPTION",
      field: "lifecyclestage",
      category: "VALIDATION_ERROR",
    });
    expect(refused.check(contacts, { lifecyclestage: "astronaut" })?.httpStatus).toBeUndefined();
    expect(refused.check(contacts, { lifecyclestage: "lead" })).toBeUndefined();
    expect(refused.check(companies, { lifecyclestage: "astronaut" })).toBeUndefined();
  });

  it("learns nothing from a refusal that is not about a value", () => {
    const refused = new RefusedValues();
    refused.learn(
      contacts,
      { code: "CONTACT_EXISTS", message: "x", field: "email", httpStatus: 409, category: "CONFLICT" },
      { email: "a@x.co" },
    );
    refused.learn(
      contacts,
      { code: "INVALID_OPTION", message: "local", field: "lifecyclestage" },
      { lifecyclestage: "x" },
    );
    expect(refused.check(contacts, { email: "a@x.co", lifecyclestage: "x" })).toBeUndefined();
  });

  it("refuses other addresses at a domain HubSpot refused a syntactically plain address for", () => {
    const refused = new RefusedValues();
    refused.learn(contacts, refusal("INVALID_EMAIL", "email"), { email: "ann@gmail.con" });
    expect(refused.check(contacts, { email: "bob@gmail.con" })?.code).toBe("INVALID_EMAIL");
    expect(refused.check(contacts, { email: "bob@gmail.com" })).toBeUndefined();
  });

  it("does not blame the domain when the local part itself could be what HubSpot refused", () => {
    const refused = new RefusedValues();
    refused.learn(contacts, refusal("INVALID_EMAIL", "email"), { email: "zoë@gmail.com" });
    expect(refused.check(contacts, { email: "bob@gmail.com" })).toBeUndefined();
    expect(refused.check(contacts, { email: "zoë@gmail.com" })?.code).toBe("INVALID_EMAIL");
  });

  it("forgets the oldest values past its capacity", () => {
    const refused = new RefusedValues(2);
    for (const value of ["a", "b", "c"])
      refused.learn(contacts, refusal("INVALID_OPTION", "role"), { role: value });
    expect(refused.check(contacts, { role: "a" })).toBeUndefined();
    expect(refused.check(contacts, { role: "c" })).toBeDefined();
  });
});
