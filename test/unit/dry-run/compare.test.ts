import { describe, expect, it } from "vitest";
import type { Property } from "../../../src/hubspot/types.js";
import { changesOf, sameStored, storedAfter } from "../../../src/dry-run/compare.js";

const property = (name: string, type: string, fieldType?: string): Property =>
  ({ name, type, ...(fieldType ? { fieldType } : {}) }) as Property;
const number = property("amount", "number");
const datetime = property("closedate", "datetime");
const date = property("date_of_birth", "date");
const checkboxes = property("hs_buying_role", "enumeration", "checkbox");
const flag = property("vip", "bool");
const email = property("email", "string");
const text = property("firstname", "string");

describe("sameStored", () => {
  it.each([
    [number, "1234.50", "1234.5", true],
    [number, "12", "13", false],
    [datetime, "2026-03-01T09:00:00Z", "2026-03-01T09:00:00.000Z", true],
    [datetime, "1772355600000", "2026-03-01T09:00:00.000Z", true],
    [datetime, "2026-03-01T09:00:00Z", "2026-03-01T09:00:01Z", false],
    [date, "1815-12-10", "1815-12-10", true],
    [date, String(Date.UTC(1815, 11, 10)), "1815-12-10", true],
    [checkboxes, "END_USER;BUDGET_HOLDER", "BUDGET_HOLDER;END_USER", true],
    [checkboxes, "END_USER", "BUDGET_HOLDER;END_USER", false],
    [flag, "TRUE", "true", true],
    [email, "Ada@X.co", "ada@x.co", true],
    [text, "Ada", "ada", false],
    [text, null, "", true],
    [text, undefined, "x", false],
  ] as const)("%# compares %s with %s as same: %s", (definition, a, b, same) => {
    expect(sameStored(definition, a, b)).toBe(same);
  });
});

describe("storedAfter", () => {
  it("adds a value starting with ; to the stored options of a multiple-checkbox property", () => {
    expect(storedAfter(checkboxes, "CHAMPION", ";END_USER")).toBe("CHAMPION;END_USER");
  });

  it("replaces any other value", () => {
    expect(storedAfter(text, "Ada", "Ava")).toBe("Ava");
  });
});

describe("changesOf", () => {
  const definitions = new Map([number, datetime, checkboxes, text].map((p) => [p.name, p]));

  it("lists only the properties whose meaning would change, old → new", () => {
    const changes = changesOf(
      {
        amount: "10.0",
        closedate: "2026-03-01T09:00:00.000Z",
        firstname: "Ava",
        hs_buying_role: ";CHAMPION",
      },
      { amount: "10", closedate: "1772355600000", firstname: "Ada", hs_buying_role: "CHAMPION" },
      definitions,
    );
    expect(changes).toEqual({ firstname: { from: "Ada", to: "Ava" } });
  });

  it("counts every value of a record that does not exist as a change from nothing, but not a clear", () => {
    expect(changesOf({ firstname: "Ada", amount: "" }, undefined, definitions)).toEqual({
      firstname: { from: null, to: "Ada" },
    });
  });
});
