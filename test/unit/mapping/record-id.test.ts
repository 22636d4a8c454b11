import { describe, expect, it } from "vitest";
import { parseJson } from "../../../src/exact-json.js";
import { parseRecordId } from "../../../src/mapping/record-id.js";

const raw = (literal: string) => (parseJson(`{"id":${literal}}`) as { id: unknown }).id;

describe("parseRecordId", () => {
  it.each([
    ["a string of digits", "1234", "1234"],
    ["a JSON integer", 1234, "1234"],
    ["2^63 − 1, the largest id", "9223372036854775807", "9223372036854775807"],
    ["an integer literal past 2^53, read exactly", raw("9007199254740993"), "9007199254740993"],
  ])("takes %s", (_what, value, id) => {
    expect(parseRecordId(value)).toBe(id);
  });

  it.each([
    ["text", "abc"],
    ["a negative number", -1],
    ["a fraction", 1.5],
    ["zero", 0],
    ["the string zero", "0"],
    ["2^64", "18446744073709551616"],
    ["2^63, one past the largest", "9223372036854775808"],
    ["an integer literal past 2^63", raw("18446744073709551616")],
    ["a literal with an exponent", raw("1e400")],
    ["an empty string", ""],
    ["leading zeros", "007"],
    ["surrounding space", " 12"],
    ["an exponent in a string", "1e3"],
    ["a boolean", true],
    ["an object", { id: 5 }],
    ["a double past 2^53", 2 ** 53 + 2],
  ])("refuses %s, naming INVALID_RECORD_ID", (_what, value) => {
    expect(parseRecordId(value)).toMatchObject({ code: "INVALID_RECORD_ID" });
  });
});
