import { describe, expect, it } from "vitest";
import { parseJson } from "../../../src/exact-json.js";
import { formatNumber } from "../../../src/mapping/convert-value.js";
import { decodeUtf8 } from "../../../src/protocol/utf8.js";
import { CAR_PROPERTIES, compileContacts } from "./fixtures.js";

const contacts = compileContacts;

/** The converted value of one property, or the rejection code. */
function convert(property: string, value: unknown, zone = "UTC"): string | undefined {
  const mapped = contacts({ dateTimeZone: zone }).map({ email: "a@x.co", [property]: value });
  return mapped.ok ? mapped.properties[property] : `!${mapped.rejection.code}`;
}

describe("value conversion", () => {
  it.each([
    ["age", 42, "42"],
    ["age", 0.1 + 0.2, "0.30000000000000004"],
    ["age", -0, "0"],
    // Integers past 2^53 may have been rounded by the JSON parser: refused rather than written changed.
    ["age", 1e21, "!INVALID_NUMBER"],
    ["age", 2 ** 53 - 1, "9007199254740991"],
    ["age", 1e-7, "0.0000001"],
    ["age", " 12 ", "12"],
    ["age", "007", "7"],
    ["age", "-0.50", "-0.50"],
    ["age", "+3.", "3"],
    ["age", "1e3", "1000"],
    ["age", "12345678901234567890.123", "12345678901234567890.123"],
    ["age", "twelve", "!INVALID_NUMBER"],
    ["age", "1.2.3", "!INVALID_NUMBER"],
    ["age", true, "!INVALID_NUMBER"],
    ["age", [1], "!INVALID_NUMBER"],
    ["hs_email_optout", true, "true"],
    ["hs_email_optout", " FALSE ", "false"],
    ["hs_email_optout", "yes", "!INVALID_BOOLEAN"],
    ["hs_email_optout", 1, "!INVALID_BOOLEAN"],
  ])("%s: %j → %s", (property, value, expected) => {
    expect(convert(property, value)).toBe(expected);
  });

  it.each([
    ["date_of_birth", "1815-12-10", "UTC", "1815-12-10"],
    ["date_of_birth", "2024-02-29", "UTC", "2024-02-29"],
    ["date_of_birth", "2023-02-29", "UTC", "!INVALID_DATE"],
    ["date_of_birth", "2026-02-30", "UTC", "!INVALID_DATE"],
    ["date_of_birth", -4_826_908_800_000, "UTC", "1817-01-16"],
    ["date_of_birth", "1430438400000", "UTC", "2015-05-01"],
    ["date_of_birth", 1_430_438_400_001, "UTC", "!INVALID_DATE"],
    ["date_of_birth", "2020-01-01T00:00:00Z", "UTC", "2020-01-01"],
    ["date_of_birth", "2020-01-01T10:30:00Z", "UTC", "!INVALID_DATE"],
    ["date_of_birth", "2020-01-01T00:00:00+02:00", "UTC", "!INVALID_DATE"],
    ["date_of_birth", "2020-01-01T00:00:00", "Europe/Paris", "2020-01-01"],
    ["date_of_birth", "2019-12-31T23:00:00Z", "Europe/Paris", "2020-01-01"],
    ["date_of_birth", "01/02/2020", "UTC", "!INVALID_DATE"],
    ["date_of_birth", 20200101.5, "UTC", "!INVALID_DATE"],
    ["last_seen", "2026-03-01T10:00:00+01:00", "UTC", "2026-03-01T09:00:00.000Z"],
    ["last_seen", "2026-03-01T10:00:00+05:45", "UTC", "2026-03-01T04:15:00.000Z"],
    ["last_seen", "2026-03-01 10:00:00", "UTC", "2026-03-01T10:00:00.000Z"],
    ["last_seen", "2026-07-01T10:00:00", "America/New_York", "2026-07-01T14:00:00.000Z"],
    ["last_seen", "2026-01-01T10:00:00", "America/New_York", "2026-01-01T15:00:00.000Z"],
    // 02:30 does not exist on 2026-03-08 in New York (clocks jump 02:00 → 03:00): it moves forward by the gap.
    ["last_seen", "2026-03-08T02:30:00", "America/New_York", "2026-03-08T07:30:00.000Z"],
    ["last_seen", "2026-03-01", "Asia/Tokyo", "2026-02-28T15:00:00.000Z"],
    ["last_seen", 0, "UTC", "1970-01-01T00:00:00.000Z"],
    ["last_seen", "1700000000000", "UTC", "2023-11-14T22:13:20.000Z"],
    ["last_seen", "2026-03-01T25:00:00Z", "UTC", "!INVALID_DATETIME"],
    ["last_seen", "yesterday", "UTC", "!INVALID_DATETIME"],
    ["last_seen", 1e17, "UTC", "!INVALID_DATETIME"],
  ])("%s: %j in %s → %s", (property, value, zone, expected) => {
    expect(convert(property, value, zone)).toBe(expected);
  });

  it.each([
    ["lifecyclestage", "lead", "lead"],
    ["lifecyclestage", "Lead", "!INVALID_OPTION"],
    ["lifecyclestage", "astronaut", "!INVALID_OPTION"],
    ["lifecyclestage", "", ""],
    ["hs_buying_role", ["BUDGET_HOLDER", "END_USER"], "BUDGET_HOLDER;END_USER"],
    ["hs_buying_role", "CHAMPION;END_USER", "CHAMPION;END_USER"],
    ["hs_buying_role", ";CHAMPION", ";CHAMPION"],
    ["hs_buying_role", ["BUDGET_HOLDER", "ASTRONAUT"], "!INVALID_OPTION"],
    ["hs_buying_role", [{ role: "x" }], "!INVALID_OPTION"],
    ["hubspot_owner_id", "12345", "12345"],
    ["firstname", "Zoë 😀", "Zoë 😀"],
    ["firstname", 12, "12"],
    ["firstname", { nested: [1, 2] }, '{"nested":[1,2]}'],
    ["firstname", "x".repeat(65_536), "x".repeat(65_536)],
    ["firstname", "x".repeat(65_537), "!VALUE_TOO_LONG"],
    ["firstname", "bad \ud800 half", "!INVALID_STRING"],
  ])("%s: %j → %s", (property, value, expected) => {
    expect(convert(property, value)).toBe(expected);
  });

  it("names the property and the allowed options in an INVALID_OPTION rejection", () => {
    const mapped = contacts().map({ email: "a@x.co", lifecyclestage: "astronaut" });
    expect(mapped).toMatchObject({
      ok: false,
      rejection: { code: "INVALID_OPTION", field: "lifecyclestage" },
    });
    expect(mapped.ok ? "" : mapped.rejection.message).toContain("subscriber, lead, customer");
  });

  it("never quotes more than a short head of a long bad value", () => {
    const mapped = contacts().map({ email: "a@x.co", age: "9".repeat(500) + "x" });
    expect(mapped.ok ? "" : mapped.rejection.message.length).toBeLessThan(300);
  });
});

/** A record line as the connector reads it: its bytes decoded (protocol/utf8.ts) and parsed (exact-json.ts). */
const read = (line: string | Buffer) =>
  contacts().map(parseJson(decodeUtf8(Buffer.isBuffer(line) ? line : Buffer.from(line))));

describe("no value is silently changed", () => {
  it.each([
    ["age", "1e-400", "too small for a JSON number to carry: it would be read as 0"],
    ["age", "-1e-400", "too small for a JSON number to carry"],
    ["age", "1e400", "beyond the largest number a JSON number can carry"],
    ["age", "9223372036854775808", "an integer beyond 2^53"],
    ["firstname", "9223372036854775808", "an integer beyond 2^53"],
    ["firstname", "1e-400", "too small"],
    ["hs_buying_role", "[1e400]", "beyond the largest number"],
    ["lifecyclestage", "1e-400", "too small"],
  ])("refuses %s: %s as INVALID_NUMBER, naming the field and the literal", (property, literal, why) => {
    const mapped = read(`{"email":"a@x.co","${property}":${literal}}`);
    expect(mapped).toMatchObject({ ok: false, rejection: { code: "INVALID_NUMBER", field: property } });
    const message = mapped.ok ? "" : mapped.rejection.message;
    expect(message).toContain(why);
    expect(message).toContain(literal.replace(/^\[|\]$/g, ""));
  });

  it("refuses a matching key no double stands for rather than match another record", () => {
    const cars = { matchingKey: "vin_number", objectName: "CAR", properties: CAR_PROPERTIES };
    const mapped = compileContacts(cars).map(parseJson('{"vin_number":12345678901234567890,"make":"x"}'));
    expect(mapped).toMatchObject({ ok: false, rejection: { code: "INVALID_NUMBER", field: "vin_number" } });
  });

  it.each([
    ["age", "1.00000000000000001", "1.00000000000000001"],
    ["age", "123456789.98765432101", "123456789.98765432101"],
    ["age", "-0.1000000000000000000000001", "-0.1000000000000000000000001"],
    ["age", "1.00000000000000001e2", "100.000000000000001"],
    ["age", '"1.00000000000000001e2"', "100.000000000000001"],
    ["firstname", "1.00000000000000001", "1.00000000000000001"],
    ["firstname", "1.00000000000000001E-3", "0.00100000000000000001"],
  ])("sends %s: %s with every digit the source wrote, as %s", (property, literal, sent) => {
    expect(read(`{"email":"a@x.co","${property}":${literal}}`)).toMatchObject({
      ok: true,
      properties: { [property]: sent },
    });
  });

  it("keeps a nested value's decimals with more digits than a double holds", () => {
    expect(read('{"email":"a@x.co","firstname":{"x":1e400,"y":1.00000000000000001}}')).toMatchObject({
      ok: true,
      properties: { firstname: '{"x":1e400,"y":1.00000000000000001}' },
    });
  });

  it("writes a nested value's numbers as the source wrote them", () => {
    expect(read('{"email":"a@x.co","firstname":{"big":1e400,"n":[9223372036854775808]}}')).toMatchObject({
      ok: true,
      properties: { firstname: '{"big":1e400,"n":[9223372036854775808]}' },
    });
  });

  it.each([
    ["1e-400", "write it as plain digits"],
    ["1E400", "write it as plain digits"],
  ])("refuses the string %j for a number property rather than write 0 or nothing", (text, remedy) => {
    const mapped = read(`{"email":"a@x.co","age":"${text}"}`);
    expect(mapped).toMatchObject({ ok: false, rejection: { code: "INVALID_NUMBER", field: "age" } });
    expect(mapped.ok ? "" : mapped.rejection.message).toContain(remedy);
  });

  it.each([
    [1.5e-300, `0.${"0".repeat(299)}15`],
    [1.234e-18, "0.000000000000000001234"],
    [5e-324, `0.${"0".repeat(323)}5`],
    [-2.5e-7, "-0.00000025"],
    [1e21, "1000000000000000000000"],
    [0.30000000000000004, "0.30000000000000004"],
  ])("writes the double %d with every digit it has: %s", (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it.each([
    ["in a string value", Buffer.from([0x41, 0xff, 0xfe, 0x42])],
    ["cut in the middle of a character", Buffer.from([0x41, 0xe2, 0x82])],
  ])("refuses bytes that are not UTF-8 %s as INVALID_STRING, naming the field", (_name, bad) => {
    const line = Buffer.concat([Buffer.from('{"email":"a@x.co","firstname":"'), bad, Buffer.from('"}')]);
    const mapped = read(line);
    expect(mapped).toMatchObject({ ok: false, rejection: { code: "INVALID_STRING", field: "firstname" } });
    expect(mapped.ok ? "" : mapped.rejection.message).toContain("not valid UTF-8");
  });

  it("refuses such bytes inside a nested value too", () => {
    const line = Buffer.concat([
      Buffer.from('{"email":"a@x.co","firstname":{"k":["'),
      Buffer.from([0xc3]),
      Buffer.from('"]}}'),
    ]);
    expect(read(line)).toMatchObject({
      ok: false,
      rejection: { code: "INVALID_STRING", field: "firstname" },
    });
  });

  it("writes a genuine U+FFFD, sent as valid UTF-8, as it is", () => {
    expect(read('{"email":"a@x.co","firstname":"A\uFFFDB \uFFFD"}')).toMatchObject({
      ok: true,
      properties: { firstname: "A\uFFFDB \uFFFD" },
    });
    expect(read(Buffer.from('{"email":"a@x.co","firstname":"A\uFFFDB"}', "utf8"))).toMatchObject({
      ok: true,
    });
  });
});
