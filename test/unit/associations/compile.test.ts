import { describe, expect, it } from "vitest";
import { compileAssociations, type CompileContext } from "../../../src/associations/compile.js";
import { AssociationEntry } from "../../../src/config/associations.js";
import { linkKeys } from "../../../src/associations/keys.js";
import { findLabel, type PairTypes } from "../../../src/associations/labels.js";
import type { WriteTarget } from "../../../src/contract.js";
import type { Property } from "../../../src/hubspot/types.js";
import { CRM_OBJECT_TARGET } from "../../../src/targets/crm-object/target.js";
import { EVENT_TARGET } from "../../../src/targets/event/target.js";

const property = (name: string, hasUniqueValue = false, type = "string"): Property =>
  ({ name, label: name, type, fieldType: "text", hasUniqueValue }) as Property;

const target = (
  key: string,
  objectName: string,
  objectType: string,
  extra: Partial<WriteTarget> = {},
): WriteTarget => ({
  key,
  streamName: key,
  namespace: undefined,
  objectName,
  objectType,
  mode: "upsert",
  idProperty: "email",
  ...CRM_OBJECT_TARGET,
  ...extra,
});

const CONTACT_COMPANY: PairTypes = {
  unlabeled: { category: "HUBSPOT_DEFINED", typeId: 279 },
  labels: [
    { category: "HUBSPOT_DEFINED", typeId: 1, label: "Primary" },
    { category: "USER_DEFINED", typeId: 1405, label: "Employee" },
  ],
};

function context(
  overrides: Partial<CompileContext> = {},
): CompileContext & { warnings: string[]; pairReads: number } {
  const self = {
    warnings: [] as string[],
    pairReads: 0,
    targets: new Map([
      ["people", target("people", "CONTACT", "0-1")],
      ["gone", target("gone", "CONTACT", "0-1", { mode: "archive" })],
      ["events", target("events", "EVENTS", "EVENTS", { ...EVENT_TARGET, mode: "send" })],
    ]),
    objects: new Map([
      [
        "COMPANY",
        { objectType: "0-2", properties: [property("company_external_id", true), property("name")] },
      ],
      [
        "CONTACT",
        { objectType: "0-1", properties: [property("email"), property("external_id", true, "number")] },
      ],
    ]),
    dateTimeZone: "UTC",
    readPairTypes: async (from: string, to: string): Promise<PairTypes> => {
      self.pairReads += 1;
      return from === "0-1" && to === "0-2" ? CONTACT_COMPANY : { unlabeled: undefined, labels: [] };
    },
    warn: (message: string) => self.warnings.push(message),
    ...overrides,
  };
  return self;
}

const entry = (fields: Record<string, unknown>) =>
  AssociationEntry.parse({
    stream: "people",
    field: "employer",
    to_object: "COMPANY",
    to_key: "company_external_id",
    ...fields,
  });

describe("compileAssociations", () => {
  it("compiles a labelled entry by the label's text and an unlabeled one, reading each pair's types once", async () => {
    const ctx = context();
    const specs = await compileAssociations(
      [entry({ label: "Employee" }), entry({ field: "companies" })],
      ctx,
    );
    const [labelled, plain] = specs.get("people") ?? [];
    expect(labelled).toMatchObject({
      labelled: true,
      type: { typeId: 1405, category: "USER_DEFINED" },
      toObjectType: "0-2",
    });
    expect(plain).toMatchObject({ labelled: false, type: { typeId: 279 }, replace: false });
    expect(ctx.pairReads).toBe(1);
  });

  it("takes a label's numeric type id, and its text ignoring case when only one label matches", async () => {
    const specs = await compileAssociations(
      [entry({ label: 1 }), entry({ label: "1405" }), entry({ label: " employee " })],
      context(),
    );
    expect(specs.get("people")?.map((spec) => spec.type.typeId)).toEqual([1, 1405, 1405]);
  });

  it.each([
    [
      { label: "Landlord" },
      /associations\[0\] \(people\.employer → COMPANY\): "Landlord" is not an association label from CONTACT to COMPANY; its labels are Primary \(1\), Employee \(1405\)\./,
    ],
    [{ stream: "staff" }, /no configured stream is staff/],
    [{ stream: "events" }, /sends EVENTS, not CRM records/],
    [{ field: "email" }, /email is the stream's matching key/],
    [{ to_key: "name" }, /name is not a unique-value property of COMPANY.*company_external_id/],
    [{ to_object: "CONTACT", to_key: "external_id" }, /HubSpot cannot associate CONTACT with CONTACT/],
    [{ to_object: "TICKET" }, /HubSpot has no object TICKET/],
  ])("refuses %j as a config error naming the entry", async (fields, message) => {
    await expect(compileAssociations([entry(fields)], context())).rejects.toThrow(message);
  });

  it("skips an entry of a soft_delete stream with a warning: HubSpot removes an archived record's links", async () => {
    const ctx = context();
    const specs = await compileAssociations([entry({ stream: "gone" })], ctx);
    expect(specs.size).toBe(0);
    expect(ctx.warnings[0]).toMatch(/skipped: stream gone archives its records/);
  });

  it("converts key values as the target's key property does: emails lower-cased, numbers as exact text", async () => {
    const specs = await compileAssociations(
      [entry({ to_object: "CONTACT", to_key: "email", field: "who" })],
      context({ readPairTypes: async () => CONTACT_COMPANY }),
    );
    const spec = specs.get("people")?.[0];
    expect(linkKeys({ who: [" Ann@X.co", "", null, "ann@x.co"] }, spec!)).toEqual({
      ok: true,
      keys: ["ann@x.co"],
    });
    expect(linkKeys({ who: "not an email" }, spec!)).toMatchObject({
      ok: false,
      rejection: { code: "INVALID_EMAIL", field: "who" },
    });
    expect(linkKeys({ who: { nested: 1 } }, spec!)).toMatchObject({
      ok: false,
      rejection: { code: "INVALID_ASSOCIATION_KEY" },
    });
    expect(linkKeys({}, spec!)).toEqual({ ok: true, keys: [] });
  });
});

describe("findLabel", () => {
  it("refuses a label two labels match only loosely", () => {
    const types: PairTypes = {
      unlabeled: { category: "HUBSPOT_DEFINED", typeId: 279 },
      labels: [
        { category: "USER_DEFINED", typeId: 2, label: "Owner" },
        { category: "USER_DEFINED", typeId: 3, label: "owner" },
      ],
    };
    expect(findLabel(types, "OWNER")).toBeUndefined();
    expect(findLabel(types, "owner")?.typeId).toBe(3);
  });
});
