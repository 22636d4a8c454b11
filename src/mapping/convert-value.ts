/**
 * One converter per HubSpot property type: a JSON value in, the string HubSpot accepts out, or the problem.
 * Formats follow https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide ("Update or clear a
 * property's values"). Converters are built once per property (see `index.ts`).
 */
import { isRawNumber, lostInParsing, plainDigits, type RawNumber } from "../exact-json.js";
import type { Property } from "../hubspot/types.js";
import { describeValue, problem, REJECTION_CODES as CODES, type ValueProblem } from "./codes.js";
import { dateInZone, isInRange, parseIso, toIsoDate, toIsoInstant, zonedToInstant } from "./dates.js";

export type Converter = (value: unknown) => string | ValueProblem;

/** HubSpot's limit on a property value (D-PROP: strings are "limited to 65,536 characters"). */
export const MAX_VALUE_LENGTH = 65_536;

/** Options listed in a message, at most. */
const LISTED_OPTIONS = 20;

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const SCIENTIFIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)e[+-]?\d+$/i;
const EPOCH_MS = /^-?\d{1,15}$/;

/**
 * A number as digits with at most one decimal point (no exponent), as HubSpot's number properties want: its
 * shortest text (`1e+21`, `1.5e-7`) written out digit for digit, so a very small or very large number keeps every
 * digit it has (a formatter rounding to some count of decimals wrote 1.5e-300 as 0).
 */
export function formatNumber(value: number): string {
  if (Object.is(value, -0)) return "0";
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, whole = "", fraction = "", exponent] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function normalizeDecimal(text: string): string {
  const unsigned = text.replace(/^\+/, "");
  const negative = unsigned.startsWith("-");
  let body = negative ? unsigned.slice(1) : unsigned;
  if (body.startsWith(".")) body = `0${body}`;
  if (body.endsWith(".")) body = body.slice(0, -1);
  body = body.replace(/^0+(?=\d)/, "");
  return negative && /[1-9]/.test(body) ? `-${body}` : body;
}

/**
 * A JSON number as text, refusing what JSON cannot have carried exactly: an integer beyond 2^53 was rounded by
 * the parser (12345678901234567890 reads as 12345678901234567000), and writing the rounded digits to a CRM would
 * silently change the value. Such values must travel as strings. Input read by this connector keeps such
 * literals as their text (a RawNumber, see exact-json.ts), refused the same way by `rawNumberProblem`.
 */
export function exactNumberText(value: number): string | ValueProblem {
  if (!Number.isFinite(value)) return problem(CODES.INVALID_NUMBER, "is not a finite number");
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return problem(
      CODES.INVALID_NUMBER,
      `is an integer beyond 2^53 (${formatNumber(value)} after JSON parsing), which a JSON number cannot carry exactly; send it as a string`,
    );
  }
  return formatNumber(value);
}

/**
 * Why a number literal no double stands for cannot be written: infinite, read as 0, an integer beyond 2^53, or
 * (where only a double is taken) more significant digits than a double holds.
 */
export const rawNumberProblem = (raw: RawNumber): ValueProblem =>
  unrepresentable(describeValue(raw), Number(raw.rawJSON), "send it as a string of digits");

/**
 * A number literal no double stands for, as HubSpot's text: its exact digits when it only has more significant
 * digits than a double holds (`1.00000000000000001` is sent as written, not as `1`: HubSpot takes a number
 * property's value as a decimal string), else the problem (`rawNumberProblem`).
 */
export function rawNumberText(raw: RawNumber): string | ValueProblem {
  const value = Number(raw.rawJSON);
  if (!Number.isFinite(value) || value === 0 || (Number.isInteger(value) && !Number.isSafeInteger(value)))
    return rawNumberProblem(raw);
  return plainDigits(raw.rawJSON);
}

function unrepresentable(shown: string, value: number, remedy: string): ValueProblem {
  const why = !Number.isFinite(value)
    ? "is beyond the largest number a JSON number can carry (about 1.8e308)"
    : value === 0
      ? "is too small for a JSON number to carry: it would be read as 0"
      : Number.isInteger(value) && !Number.isSafeInteger(value)
        ? "is an integer beyond 2^53, which a JSON number cannot carry exactly"
        : "has more significant digits than a JSON number carries exactly";
  return problem(CODES.INVALID_NUMBER, `${shown} ${why}; ${remedy}`);
}

export function convertNumber(value: unknown): string | ValueProblem {
  if (typeof value === "number") return exactNumberText(value);
  if (isRawNumber(value)) return rawNumberText(value);
  if (typeof value === "string") {
    const text = value.trim();
    if (DECIMAL.test(text)) return normalizeDecimal(text);
    if (SCIENTIFIC.test(text)) {
      const parsed = Number(text);
      // "1e-400" reads as 0 and "1e400" as Infinity: neither is written as a value it is not.
      if (!Number.isFinite(parsed) || (parsed === 0 && lostInParsing(text, parsed))) {
        return unrepresentable(describeValue(value), parsed, "write it as plain digits");
      }
      // Its own digits, not the nearest double's: "1.00000000000000001e2" keeps every one.
      return plainDigits(text);
    }
  }
  return problem(
    CODES.INVALID_NUMBER,
    `${describeValue(value)} is not a number (expected digits with at most one decimal point)`,
  );
}

export function convertBoolean(value: unknown): string | ValueProblem {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") {
    const text = value.trim().toLowerCase();
    if (text === "true" || text === "false") return text;
  }
  return problem(CODES.INVALID_BOOLEAN, `${describeValue(value)} is not a boolean (expected true or false)`);
}

/** Epoch milliseconds given as a number or a string of digits. */
function epochMs(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? value : undefined;
  if (typeof value === "string" && EPOCH_MS.test(value.trim())) return Number(value.trim());
  return undefined;
}

export function dateConverter(zone: string): Converter {
  const invalid = (value: unknown, why: string) =>
    problem(CODES.INVALID_DATE, `${describeValue(value)} ${why} (expected a date such as 2026-03-01)`);
  const fromInstant = (value: unknown, ms: number) => {
    if (!isInRange(ms)) return invalid(value, "is outside the years 0001–9999");
    const day = dateInZone(ms, zone);
    return day.midnight
      ? day.text
      : invalid(value, `has a time of day, not midnight ${zone}; a date property would lose it`);
  };
  return (value) => {
    const ms = epochMs(value);
    if (ms !== undefined) return fromInstant(value, ms);
    if (typeof value !== "string") return invalid(value, "is not a date");
    const parsed = parseIso(value, zone);
    if (parsed.kind === "date") return toIsoDate(parsed.year, parsed.month, parsed.day);
    if (parsed.kind === "instant") return fromInstant(value, parsed.ms);
    return invalid(value, parsed.reason);
  };
}

export function datetimeConverter(zone: string): Converter {
  const invalid = (value: unknown, why: string) =>
    problem(
      CODES.INVALID_DATETIME,
      `${describeValue(value)} ${why} (expected ISO 8601 such as 2026-03-01T10:00:00Z, or epoch milliseconds)`,
    );
  return (value) => {
    const ms = epochMs(value);
    if (ms !== undefined)
      return isInRange(ms) ? toIsoInstant(ms) : invalid(value, "is outside the years 0001–9999");
    if (typeof value !== "string") return invalid(value, "is not a date-time");
    const parsed = parseIso(value, zone);
    if (parsed.kind === "invalid") return invalid(value, parsed.reason);
    const instant =
      parsed.kind === "date"
        ? zonedToInstant(
            {
              year: parsed.year,
              month: parsed.month,
              day: parsed.day,
              hour: 0,
              minute: 0,
              second: 0,
              millisecond: 0,
            },
            zone,
          )
        : parsed.ms;
    return isInRange(instant) ? toIsoInstant(instant) : invalid(value, "is outside the years 0001–9999");
  };
}

/**
 * Scalars become strings; nested objects and arrays become their JSON text (never their own `toString`, which a
 * record can booby-trap: `{"toString": 1}`).
 */
export function convertString(value: unknown): string | ValueProblem {
  if (typeof value === "string") return checkString(value);
  if (typeof value === "number") return exactNumberText(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (isRawNumber(value)) return rawNumberText(value);
  // A nested value is sent as its JSON text, numbers as the source wrote them; its strings are checked as any.
  const illFormed = findIllFormedText(value);
  return illFormed !== undefined ? checkString(illFormed) : checkString(JSON.stringify(value) ?? "null");
}

// Bytes of input that were not UTF-8 are kept as U+DC80–U+DCFF (protocol/utf8.ts).
const UNDECODED_BYTE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

export function checkString(text: string): string | ValueProblem {
  if (text.length > MAX_VALUE_LENGTH) {
    return problem(
      CODES.VALUE_TOO_LONG,
      `is ${text.length} characters long, over HubSpot's limit of ${MAX_VALUE_LENGTH}`,
    );
  }
  if (!text.isWellFormed()) {
    return problem(
      CODES.INVALID_STRING,
      UNDECODED_BYTE.test(text)
        ? "holds bytes that are not valid UTF-8 (or an unpaired UTF-16 surrogate), which is not valid Unicode text"
        : "holds an unpaired UTF-16 surrogate, which is not valid Unicode text",
    );
  }
  return text;
}

/** The first string (a key or a value) in a nested value that is not well-formed Unicode, if any; no recursion. */
function findIllFormedText(value: unknown): string | undefined {
  const stack = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === "string" && !current.isWellFormed()) return current;
    if (typeof current !== "object" || current === null || isRawNumber(current)) continue;
    for (const [key, child] of Object.entries(current)) {
      if (!key.isWellFormed()) return key;
      stack.push(child);
    }
  }
  return undefined;
}

export function enumerationConverter(property: Property): Converter {
  const options = (property.options ?? []).map((option) => option.value);
  if (options.length === 0) return convertString; // external options (owners, …): HubSpot checks them
  const allowed = new Set(options);
  const listed = options.slice(0, LISTED_OPTIONS).join(", ") + (options.length > LISTED_OPTIONS ? ", …" : "");
  const check = (part: string): ValueProblem | undefined =>
    allowed.has(part)
      ? undefined
      : problem(CODES.INVALID_OPTION, `${describeValue(part)} is not one of the allowed options: ${listed}`);
  const scalar = (value: unknown): string | ValueProblem => {
    if (typeof value === "string") return value;
    if (typeof value === "number") return exactNumberText(value);
    if (isRawNumber(value)) return rawNumberText(value);
    if (typeof value === "boolean") return value ? "true" : "false";
    return problem(CODES.INVALID_OPTION, `${describeValue(value)} is not an option value`);
  };

  if (property.fieldType === "checkbox") {
    // Multiple checkboxes: `a;b`; a leading `;` asks HubSpot to add to the stored values rather than replace them.
    return (value) => {
      let parts: string[];
      let prefix = "";
      if (Array.isArray(value)) {
        parts = [];
        for (const item of value) {
          const part = scalar(item);
          if (typeof part !== "string") return part;
          parts.push(part);
        }
      } else {
        const text = scalar(value);
        if (typeof text !== "string") return text;
        if (text.startsWith(";")) prefix = ";";
        parts = text.split(";").filter((_part, index) => !(index === 0 && prefix));
      }
      for (const part of parts) {
        const bad = check(part);
        if (bad) return bad;
      }
      return checkString(prefix + parts.join(";"));
    };
  }
  return (value) => {
    const text = scalar(value);
    if (typeof text !== "string") return text;
    if (text === "") return text; // clears the value
    return check(text) ?? text;
  };
}

/** The converter for a property's type; unknown types are treated as text, as HubSpot stores them. */
export function converterFor(property: Property, zone: string): Converter {
  switch (property.type) {
    case "number":
      return convertNumber;
    case "bool":
      return convertBoolean;
    case "date":
      return dateConverter(zone);
    case "datetime":
      return datetimeConverter(zone);
    case "enumeration":
      return enumerationConverter(property);
    default:
      return convertString;
  }
}
