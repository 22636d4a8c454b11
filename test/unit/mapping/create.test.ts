import { describe, expect, it } from "vitest";
import type { Property } from "../../../src/hubspot/types.js";
import { compileObjectMapping } from "../../../src/mapping/index.js";

const prop = (name: string, type = "string"): Property => ({ name, type, fieldType: "text" });
const PROPERTIES = [prop("hs_timestamp", "datetime"), prop("hs_note_body"), prop("domain"), prop("name")];

const compile = (required: { all: string[]; oneOf?: string[] }) =>
  compileObjectMapping({
    objectName: "NOTE",
    properties: PROPERTIES,
    matchingKey: "",
    mode: "create",
    required,
    unknownProperties: "reject",
    nullValues: "clear",
    dateTimeZone: "UTC",
  });

describe("mapping a create", () => {
  it("gives each record an input of its own, with no key", () => {
    const mapper = compile({ all: ["hs_timestamp"] });
    const one = mapper.map({ hs_timestamp: "2026-03-02T10:00:00Z", hs_note_body: "a" });
    const two = mapper.map({ hs_timestamp: "2026-03-02T10:00:00Z", hs_note_body: "a" });
    expect(one.ok && two.ok && one.id !== two.id).toBe(true);
  });

  it.each([
    ["absent", { hs_note_body: "a" }],
    ["null (which clears)", { hs_timestamp: null }],
  ])("rejects a record whose required property is %s as REQUIRED_PROPERTY naming it", (_name, data) => {
    const mapped = compile({ all: ["hs_timestamp"] }).map(data);
    expect(mapped).toMatchObject({
      ok: false,
      rejection: { code: "REQUIRED_PROPERTY", field: "hs_timestamp" },
    });
  });

  it("rejects a blank string for a required text property", () => {
    const mapped = compile({ all: ["hs_note_body"] }).map({ hs_note_body: "  " });
    expect(mapped).toMatchObject({
      ok: false,
      rejection: { code: "REQUIRED_PROPERTY", field: "hs_note_body" },
    });
  });

  it("takes either property of a one-of, and names both when neither is there", () => {
    const mapper = compile({ all: [], oneOf: ["domain", "name"] });
    expect(mapper.map({ name: "Acme" }).ok).toBe(true);
    const mapped = mapper.map({ hs_note_body: "x" });
    expect(mapped.ok).toBe(false);
    if (!mapped.ok) expect(mapped.rejection.message).toContain("domain or name");
  });
});
