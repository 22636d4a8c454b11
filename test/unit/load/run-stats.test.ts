import { describe, expect, it } from "vitest";
import { describeTotals, RunStats } from "../../../src/load/run-stats.js";

describe("RunStats", () => {
  it("counts links made and removed per stream and in all, and says them", () => {
    const stats = new RunStats();
    stats.written("deals", "created");
    stats.links("deals", 3, 0);
    stats.links("deals", 1, 1);
    stats.links("people", 1, 0);
    expect(stats.streams.get("deals")).toMatchObject({ linked: 4, unlinked: 1 });
    expect(stats.all).toMatchObject({ linked: 5, unlinked: 1 });
    expect(describeTotals("deals", stats.streams.get("deals") ?? stats.all)).toBe(
      "deals: read 0, written 1 (created 1, updated 0; linked 4, unlinked 1), rejected 0",
    );
  });
});
