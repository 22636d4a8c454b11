import { describe, expect, it } from "vitest";
import { LOGGED_REJECTIONS_PER_CODE, NoneSink } from "../../../src/rejects/none-sink.js";

describe("NoneSink", () => {
  it("counts every rejection, logs the first few of each code, and settles each at once", () => {
    const warnings: string[] = [];
    const sink = new NoneSink((message) => warnings.push(message));
    let settled = 0;
    const reject = (code: string, lineNumber: number) =>
      sink.add({ stream: "people", lineNumber, rejection: { code, message: "why", field: "email" } }, () => {
        settled += 1;
      });
    for (let i = 1; i <= 8; i += 1) reject("INVALID_EMAIL", i);
    reject("MISSING_MATCHING_KEY", 9);
    expect(settled).toBe(9);
    expect(sink.countsByCode).toEqual(
      new Map([
        ["INVALID_EMAIL", 8],
        ["MISSING_MATCHING_KEY", 1],
      ]),
    );
    expect(warnings).toHaveLength(LOGGED_REJECTIONS_PER_CODE + 1);
    expect(warnings[0]).toBe(
      "Rejected a record of stream people (input line 1): INVALID_EMAIL field email: why",
    );
  });
});
