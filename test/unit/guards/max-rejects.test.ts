import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { parseMaxRejects, rejectLimitPassed, WatchedStats } from "../../../src/guards/max-rejects.js";

describe("parseMaxRejects", () => {
  it.each([
    ["10", { kind: "count", max: 10, text: "10" }],
    ["0", { kind: "count", max: 0, text: "0" }],
    ["5%", { kind: "share", share: 0.05, text: "5%" }],
    [" 2.5% ", { kind: "share", share: 0.025, text: "2.5%" }],
  ])("reads %j", (text, expected) => {
    expect(parseMaxRejects(text)).toEqual(expected);
  });

  it.each(["", "ten", "-1", "150%", "1.5", "5 %"])("refuses %j as a usage error", (text) => {
    expect(() => parseMaxRejects(text)).toThrow(UsageError);
  });
});

describe("rejectLimitPassed", () => {
  it("passes a count at the first record over it", () => {
    const limit = parseMaxRejects("3");
    expect(rejectLimitPassed(limit, { read: 10, rejected: 3 }, false)).toBeUndefined();
    expect(rejectLimitPassed(limit, { read: 10, rejected: 4 }, false)).toBe(
      "More than 3 records were rejected (4 of 10 read), the limit set by --max-rejects 3.",
    );
  });

  it("judges a share only once enough records were read, or at the end of input", () => {
    const limit = parseMaxRejects("5%");
    expect(rejectLimitPassed(limit, { read: 20, rejected: 10 }, false)).toBeUndefined();
    expect(rejectLimitPassed(limit, { read: 20, rejected: 10 }, true)).toContain(
      "More than 5% of the records",
    );
    expect(rejectLimitPassed(limit, { read: 200, rejected: 10 }, false)).toBeUndefined();
    expect(rejectLimitPassed(limit, { read: 200, rejected: 11 }, false)).toContain("(11 of 200 read)");
  });
});

describe("WatchedStats", () => {
  it("keeps running totals and says when a record is rejected", () => {
    let told = 0;
    const stats = new WatchedStats(() => {
      told += 1;
    });
    stats.read("a");
    stats.read("b");
    stats.rejected("b", "INVALID_EMAIL");
    expect([stats.readCount, stats.rejectedCount, told]).toEqual([2, 1, 1]);
    expect(stats.all.rejected).toBe(1);
  });
});
