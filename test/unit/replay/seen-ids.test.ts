import { describe, expect, it } from "vitest";
import { SeenIds } from "../../../src/replay/seen-ids.js";

describe("SeenIds", () => {
  it("sees each of 100,000 ids once, through the table's growth, and knows every copy after", () => {
    const seen = new SeenIds();
    const ids = Array.from({ length: 100_000 }, (_, index) => `id-${index}`);
    expect(ids.filter((id) => seen.firstSight(id))).toHaveLength(100_000);
    expect(ids.filter((id) => seen.firstSight(id))).toHaveLength(0);
    expect(seen.full).toBe(false);
  });

  it("keeps recognising the ids it holds once full, and says that newer ones go unremembered", () => {
    const seen = new SeenIds(2);
    expect([seen.firstSight("a"), seen.firstSight("b"), seen.full]).toEqual([true, true, false]);
    expect(seen.firstSight("c")).toBe(true);
    expect(seen.full).toBe(true);
    // "c" was not kept: its copy is not recognised; "a" and "b" still are.
    expect([seen.firstSight("c"), seen.firstSight("a"), seen.firstSight("b")]).toEqual([true, false, false]);
  });
});
