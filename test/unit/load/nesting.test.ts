import { describe, expect, it } from "vitest";
import { nestsDeeperThan } from "../../../src/load/nesting.js";

const nested = (depth: number) => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`);

describe("nestsDeeperThan", () => {
  it.each([
    [1, 3, false],
    [3, 3, false],
    [4, 3, true],
    [20_000, 500, true],
  ])("a value nested %i deep, against a limit of %i: %s", (depth, limit, deeper) => {
    expect(nestsDeeperThan(nested(depth), limit)).toBe(deeper);
  });

  it("looks into objects as well as arrays, and ignores scalars", () => {
    expect(nestsDeeperThan({ a: { b: { c: 1 } } }, 2)).toBe(true);
    expect(nestsDeeperThan({ a: 1, b: "x" }, 0)).toBe(true);
    expect(nestsDeeperThan("text", 0)).toBe(false);
  });
});
