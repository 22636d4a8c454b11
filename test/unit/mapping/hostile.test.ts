import { describe, expect, it } from "vitest";
import { REJECTION_CODES } from "../../../src/mapping/codes.js";
import { emailSyntaxProblem } from "../../../src/mapping/email.js";
import { mergeCheckboxValue } from "../../../src/mapping/merge.js";
import { compileContacts } from "./fixtures.js";

/** A small seeded generator (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** JSON text of values that break naive conversion: booby-trapped toString/valueOf, __proto__, huge numbers, nesting. */
function hostileValueText(next: () => number): string {
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)] as T;
  return pick([
    '{"toString":1}',
    '{"valueOf":{},"toString":"x"}',
    '{"__proto__":{"toString":1}}',
    '{"__proto__":null}',
    '{"toJSON":1}',
    "[[[1]]]",
    '[{"toString":1}]',
    "12345678901234567890",
    "1e400",
    "-1e400",
    "1e21",
    "0.1",
    "[]",
    "{}",
    "null",
    "true",
    '"\\ud800"',
    `"${"x".repeat(70_000)}"`,
    '"a@b.co"',
    '";a;b"',
  ]);
}

const PROPERTIES = [
  "email",
  "firstname",
  "age",
  "lifecyclestage",
  "hs_buying_role",
  "date_of_birth",
  "last_seen",
];
const KNOWN_CODES = new Set<string>(Object.values(REJECTION_CODES));

describe("mapping hostile values", () => {
  it.each([1, 2, 3, 4, 5])(
    "never throws and answers a known code for every generated record (seed %i)",
    (seed) => {
      const next = random(seed);
      const mapper = compileContacts({ unknownProperties: "drop" });
      for (let i = 0; i < 400; i += 1) {
        const fields = PROPERTIES.filter(() => next() < 0.5).map(
          (name) => `"${name}":${hostileValueText(next)}`,
        );
        const text = `{"email":${next() < 0.7 ? hostileValueText(next) : '"ok@x.co"'}${fields.length ? "," : ""}${fields.join(",")}}`;
        const data = JSON.parse(text) as unknown;
        const mapped = mapper.map(data);
        if (mapped.ok) {
          for (const value of Object.values(mapped.properties)) expect(typeof value).toBe("string");
        } else {
          expect(
            KNOWN_CODES.has(mapped.rejection.code),
            `${mapped.rejection.code} for ${text.slice(0, 200)}`,
          ).toBe(true);
        }
      }
    },
  );

  it.each([
    ['{"email":{"toString":1}}', "INVALID_EMAIL"],
    ['{"email":"a@x.co","firstname":{"toString":1}}', "ok"],
    ['{"email":"a@x.co","age":{"valueOf":1}}', "INVALID_NUMBER"],
    ['{"email":"a@x.co","age":12345678901234567890}', "INVALID_NUMBER"],
    ['{"email":"a@x.co","firstname":12345678901234567890}', "INVALID_NUMBER"],
    ['{"email":"a@x.co","age":"12345678901234567890"}', "ok"],
    ['{"email":"a@x.co","lifecyclestage":[["lead"]]}', "INVALID_OPTION"],
    ['{"email":"a@x.co","__proto__":{"firstname":"x"}}', "UNKNOWN_PROPERTY"],
    ['{"email":["a@x.co"]}', "INVALID_EMAIL"],
    ['{"email":12}', "INVALID_EMAIL"],
  ])("maps %s to %s", (text, expected) => {
    const mapped = compileContacts().map(JSON.parse(text));
    expect(mapped.ok ? "ok" : mapped.rejection.code).toBe(expected);
  });

  it("never lets a __proto__ field reach the properties' prototype", () => {
    const mapped = compileContacts({ unknownProperties: "drop" }).map(
      JSON.parse('{"email":"a@x.co","__proto__":{"polluted":"yes"}}'),
    );
    expect(mapped.ok && Object.getPrototypeOf(mapped.properties)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("local email check", () => {
  it.each([
    ["x-not-an-email", "it has no @"],
    ["@x.co", "nothing comes before the @"],
    ["a@", "nothing comes after the @"],
    ["a b@x.co", "it contains white space or a control character"],
    ["a@x\u0000.co", "it contains white space or a control character"],
    ["a@localhost", "its domain has no dot"],
    ["a@x..co", "its domain has an empty label"],
    ["a@.x.co", "its domain has an empty label"],
    ["a@x.co.", "its domain has an empty label"],
    [`${"a".repeat(250)}@x.co`, "it is longer than 254 characters"],
    ['"quoted"@x.co', "its local part is quoted, which HubSpot does not accept"],
    ["a@b@x.co", "it has more than one @"],
    [".a@x.co", "its local part has a leading, trailing or double dot"],
    ["a..b@x.co", "its local part has a leading, trailing or double dot"],
    ["a,b@x.co", "its local part holds a character RFC 2822 allows only in quotes"],
  ])("refuses %j: %s", (address, why) => {
    expect(emailSyntaxProblem(address)).toBe(why);
  });

  it.each([
    "a@x.co",
    "a.b+tag@sub.example.museum",
    "o'brien@x.ie",
    "ünïcödé@bücher.de",
    "a@x.con",
    "a_b@x_y.co",
    "#!$%&'*+/=?^`{|}~-@x.co",
  ])("leaves %j for HubSpot to judge", (address) => {
    expect(emailSyntaxProblem(address)).toBeUndefined();
  });

  it("rejects a plainly malformed key locally with HubSpot's code, naming the field", () => {
    const mapped = compileContacts().map({ email: "x-not-an-email" });
    expect(mapped).toMatchObject({ ok: false, rejection: { code: "INVALID_EMAIL", field: "email" } });
  });
});

describe("merging two writes of a multiple-checkbox property", () => {
  it.each([
    [undefined, ";a", ";a"],
    [";a", ";b", ";a;b"],
    [";a;b", ";b;c", ";a;b;c"],
    ["a", ";b", "a;b"],
    ["", ";b", "b"],
    [";a", "b", "b"],
    ["a", "", ""],
  ])("%j then %j has the effect of %j", (earlier, later, expected) => {
    expect(mergeCheckboxValue(earlier, later)).toBe(expected);
  });

  it("is what the contacts mapper merges for a checkbox property, and plain text is replaced", () => {
    const mapper = compileContacts();
    const merged = mapper.merge(
      { hs_buying_role: ";CHAMPION", firstname: ";x" },
      { hs_buying_role: ";END_USER", firstname: ";y" },
    );
    expect(merged).toEqual({ hs_buying_role: ";CHAMPION;END_USER", firstname: ";y" });
  });
});
