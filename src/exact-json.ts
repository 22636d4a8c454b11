/**
 * JSON read without losing a number. `JSON.parse` reads every number as a double, and many number literals have no
 * double that stands for them: `1e400` reads as Infinity (and is written back as `null`), `1e-400` as 0,
 * `9223372036854775808` as 9223372036854775808 rounded to 9223372036854776000, and a decimal with more significant
 * digits than a double holds as the nearest double (`1.00000000000000001` as 1, `123456789.98765432101` as
 * 123456789.98765433). Read that way, a value would be written to HubSpot changed, a rejected record stored with
 * other values than the source sent, and a replay would send those.
 *
 * So such a literal is kept as its own text, a `JSON.rawJSON` value (ECMAScript's "JSON.parse source text access"):
 * `JSON.stringify` writes it back as the very same literal (the rejects store, a replay, a nested value sent as
 * text), and the value converters (mapping/) send its exact digits, or refuse what no HubSpot value can be
 * (infinite, read as 0, an integer beyond 2^53), naming the field.
 *
 * Every other number stays a double: one whose shortest text is the literal's value, digit for digit.
 */
/** A number literal kept as its text, because no double stands for it. */
export interface RawNumber {
  readonly rawJSON: string;
}

/** Node 24's JSON, with the parts of "JSON.parse source text access" TypeScript's lib does not declare yet. */
const json = JSON as JSON & {
  parse(
    text: string,
    reviver: (key: string, value: unknown, context: { source?: string }) => unknown,
  ): unknown;
  rawJSON(text: string): RawNumber;
  isRawJSON(value: unknown): boolean;
};

export const isRawNumber = (value: unknown): value is RawNumber => json.isRawJSON(value);

/**
 * Whether the text may hold a number literal no double stands for: one with an exponent, or with 16 digits or
 * more. Every literal of at most 15 digits and no exponent has a double that reads back as the same decimal
 * (IEEE 754's 15 significant decimal digits), so lines without either skip the slower exact parse.
 */
const MAY_LOSE_A_NUMBER = /(?:^|[:,[])\s*-?\d(?:[\d.]{15}|[\d.]*[eE])/;

/**
 * Whether no double stands for the literal: read as infinite, as 0 though it is not zero, as an integer beyond
 * 2^53, or as a double whose shortest text is another decimal than the literal's (digits a double does not hold).
 */
export function lostInParsing(source: string, value: number): boolean {
  if (!Number.isFinite(value)) return true;
  if (value === 0) return /[1-9]/.test(source.split(/[eE]/)[0] as string);
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return true;
  return decimalOf(source) !== decimalOf(String(value));
}

/** A number literal's value as its significant digits times a power of ten (`12.50e1` → `125e0`). */
function decimalOf(literal: string): string | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!match) return undefined;
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = match;
  const digits = (whole + fraction).replace(/^0+/, "");
  if (digits === "") return "0";
  const significant = digits.replace(/0+$/, "");
  const power = BigInt(exponent) - BigInt(fraction.length) + BigInt(digits.length - significant.length);
  return `${sign === "-" ? "-" : ""}${significant}e${power}`;
}

/**
 * A number literal written out as plain digits with at most one decimal point (no exponent), exactly:
 * `1.00000000000000001e2` → `100.000000000000001`. Its value is finite and not read as 0 (`lostInParsing` says
 * which literals are not), so the text is as long as the literal's digits and its exponent make it.
 */
export function plainDigits(literal: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(literal.trim());
  if (!match) return literal;
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  let text: string;
  if (point <= 0) text = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) text = digits + "0".repeat(point - digits.length);
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  text = text.replace(/^0+(?=\d)/, "");
  return (sign === "-" && /[1-9]/.test(text) ? "-" : "") + text;
}

const keepLostNumbers = (_key: string, value: unknown, context: { source?: string }) =>
  typeof value === "number" && context.source !== undefined && lostInParsing(context.source, value)
    ? json.rawJSON(context.source)
    : value;

/** `JSON.parse`, keeping the number literals it would lose as RawNumbers. Throws a SyntaxError as it does. */
export function parseJson(text: string): unknown {
  if (!MAY_LOSE_A_NUMBER.test(text)) return JSON.parse(text);
  try {
    return json.parse(text, keepLostNumbers);
  } catch (error) {
    // A reviver walks the value recursively: data nested deep enough to exhaust the stack is read plainly, and
    // refused for its depth by the caller (load/nesting.ts).
    if (error instanceof RangeError) return JSON.parse(text);
    throw error;
  }
}
