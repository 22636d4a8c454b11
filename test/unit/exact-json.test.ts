import { describe, expect, it } from "vitest";
import { isRawNumber, lostInParsing, parseJson } from "../../src/exact-json.js";

describe("parseJson", () => {
  it.each([
    ["1e400", "read as Infinity"],
    ["-1e400", "read as -Infinity"],
    ["1e-400", "read as 0"],
    [`-0.${"0".repeat(400)}1`, "read as -0"],
    ["9223372036854775808", "rounded to 9223372036854776000"],
    ["9007199254740993", "rounded to 9007199254740992"],
    ["12345678901234567890.5", "an integer beyond 2^53 once read"],
    ["1.5E300", "an integer beyond 2^53 once read"],
    ["1.7976931348623157e308", "an integer beyond 2^53 once read"],
    ["3.14159265358979323846", "more digits than a double holds"],
    ["1.00000000000000001", "read as 1"],
    ["123456789.98765432101", "read as 123456789.98765433"],
  ])("keeps %s as its text (%s), and writes it back the same", (literal) => {
    const text = `{"a":${literal},"b":[1, ${literal}]}`;
    const value = parseJson(text) as { a: unknown; b: unknown[] };
    expect(isRawNumber(value.a)).toBe(true);
    expect(isRawNumber(value.b[1])).toBe(true);
    expect(JSON.stringify(value)).toBe(`{"a":${literal},"b":[1,${literal}]}`);
  });

  it.each([
    "0",
    "-0",
    "0e5",
    "0.000e-400",
    "1.5",
    "0.1",
    "123456789012345",
    "9007199254740991",
    "1e-7",
    "5e-324",
    "3.141592653589793",
    "0.30000000000000004",
    "1234567890.1234567",
  ])("reads %s as a double, as JSON.parse does", (literal) => {
    const value = (parseJson(`{"a":${literal}}`) as { a: unknown }).a;
    expect(value).toBe(JSON.parse(literal));
  });

  it("leaves number-like text in strings and keys alone", () => {
    const text = '{"1e400":"1e400","id":"123e4567-e89b-12d3-a456-426614174000","n":"9223372036854775808"}';
    expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  it("keeps the last of duplicate keys, as JSON.parse does, whichever holds the lost number", () => {
    expect(JSON.stringify(parseJson('{"a":1e400,"a":5}'))).toBe('{"a":5}');
    expect(JSON.stringify(parseJson('{"a":5,"a":1e400}'))).toBe('{"a":1e400}');
  });

  it("reads a value nested too deep for a reviver plainly, leaving the depth check to refuse it", () => {
    const text = `${"[".repeat(200_000)}1e400${"]".repeat(200_000)}`;
    expect(Array.isArray(parseJson(text))).toBe(true);
  });

  it("throws a SyntaxError for text that is not JSON, with or without a lost number", () => {
    expect(() => parseJson('{"a":1e400')).toThrow(SyntaxError);
    expect(() => parseJson("{nope")).toThrow(SyntaxError);
  });
});

describe("lostInParsing", () => {
  it.each([
    ["1e400", Infinity, true],
    ["1e-400", 0, true],
    ["0.0e-400", 0, false],
    ["9007199254740992", 2 ** 53, true],
    ["9007199254740991", 2 ** 53 - 1, false],
    ["0.30000000000000004", 0.30000000000000004, false],
  ])("%s read as %d: %s", (source, value, lost) => {
    expect(lostInParsing(source, value)).toBe(lost);
  });
});
