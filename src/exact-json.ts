/**
 * JSON read without losing a number. `JSON.parse` reads every number as a double, and some number literals have no
 * double that stands for them: `1e400` reads as Infinity (and is written back as `null`), `1e-400` as 0, and
 * `9223372036854775808` as 9223372036854775808 rounded to 9223372036854776000. Read that way, a rejected record
 * would be stored with other values than the source sent, a replay would send those, and a value converter would
 * see a 0 where the source sent something else.
 *
 * So such a literal is kept as its own text, a `JSON.rawJSON` value (ECMAScript's "JSON.parse source text access"):
 * `JSON.stringify` writes it back as the very same literal (the rejects store, a replay, a STATE echoed), and the
 * value converters see a number they cannot represent, which they refuse, naming the field (mapping/).
 *
 * Every other number stays a double: a decimal is read to the nearest double, as any JSON reader does.
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

/** Whether no double stands for the literal: read as infinite, as 0 though it is not zero, or as an integer beyond 2^53. */
export function lostInParsing(source: string, value: number): boolean {
  if (!Number.isFinite(value)) return true;
  if (value === 0) return /[1-9]/.test(source.split(/[eE]/)[0] as string);
  return Number.isInteger(value) && !Number.isSafeInteger(value);
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
