import { describe, expect, it } from "vitest";
import { isRefusedValue, refusedValue } from "../../../src/hubspot/batch-errors.js";

describe("refusedValue", () => {
  it("reads the value at the head of each of HubSpot's own value checks", () => {
    expect(refusedValue("INVALID_EMAIL", "Email address ann@x.con is invalid")).toBe("ann@x.con");
    expect(refusedValue("INVALID_OPTION", "gone was not one of the allowed options: [one, two]")).toBe(
      "gone",
    );
    expect(refusedValue("INVALID_INTEGER", "12.5x was not a valid number")).toBe("12.5x");
    expect(refusedValue("INVALID_BOOLEAN", "yes is not a valid boolean; use true or false")).toBe("yes");
    expect(refusedValue("INVALID_DATE", "1521225089103 is at 18:31:29.103 UTC, not midnight!")).toBe(
      "1521225089103",
    );
    expect(
      refusedValue("LEADING_TRAILING_WHITESPACE", '" x " includes leading or trailing whitespace.'),
    ).toBe(" x ");
  });

  it("trusts no message of an admin's rule or of a code it does not know", () => {
    expect(refusedValue("INVALID_REGEX", "Use a two-letter code such as US or DE")).toBeUndefined();
    expect(refusedValue(undefined, "Email address ann@x.con is invalid")).toBeUndefined();
  });
});

describe("isRefusedValue", () => {
  it("matches the whole value, never a word of the check's own text or a longer address", () => {
    const option = refusedValue(
      "INVALID_OPTION",
      "gone was not one of the allowed options: [one, two]",
    ) as string;
    expect(isRefusedValue(option, "gone")).toBe(true);
    expect(isRefusedValue(option, "one")).toBe(false);
    const bool = refusedValue("INVALID_BOOLEAN", "yes is not a valid boolean; use true or false") as string;
    expect(isRefusedValue(bool, "true")).toBe(false);
    expect(isRefusedValue("ann@x.con", "ann@x.conz.co")).toBe(false);
    expect(isRefusedValue("ann@x.con", "Ann@X.con")).toBe(true);
  });

  it("takes the last part of a prefixed value, as in HubSpot's 'confirmed: Veza was not one of…'", () => {
    const refused = refusedValue(
      "INVALID_OPTION",
      "confirmed: Veza was not one of the allowed options: [none, possible, confirmed]",
    ) as string;
    expect(isRefusedValue(refused, "Veza")).toBe(true);
    expect(isRefusedValue(refused, "confirmed")).toBe(false);
    expect(isRefusedValue(refused, "none")).toBe(false);
  });
});
