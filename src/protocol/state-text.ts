/**
 * A STATE's `state` echoed as it came in, byte for byte. The platform hands the state back to the source on the
 * next sync, and the source resumes from it: a cursor re-serialized through doubles (`1701234567.123456789` read
 * and written back as `1701234567.1234567`, `123456789.98765432101` as the larger `123456789.98765433`) can make
 * a source skip records, and a byte that is not UTF-8 written back as `\udcff` is not what the source wrote.
 * Airbyte: "the destination should emit the state message … exactly as it was received"
 * (https://docs.airbyte.com/understanding-airbyte/airbyte-protocol#state--checkpointing).
 *
 * So the reader keeps the text of the line's `state` value with the parsed state (under STATE_TEXT), and the
 * writer echoes that text with the destination's stats added as its last member, rather than serializing the
 * parsed value. The text is the decoded line (protocol/utf8.ts keeps each byte of an ill-formed sequence as a
 * lone surrogate U+DC80–U+DCFF), so encoding it back (`encodeLine`) gives those bytes back unchanged.
 */

/** Where the reader keeps the raw text of a STATE's `state` on the parsed object (copied by `{ ...state }`). */
export const STATE_TEXT: unique symbol = Symbol("the state's text as received");

/** The members of a JSON object's text, each as the span of its key and of its value; undefined if not an object. */
function objectMembers(
  text: string,
): { key: string; start: number; valueStart: number; end: number }[] | undefined {
  let index = skipSpace(text, 0);
  if (text[index] !== "{") return undefined;
  index = skipSpace(text, index + 1);
  const members: { key: string; start: number; valueStart: number; end: number }[] = [];
  if (text[index] === "}") return members;
  for (;;) {
    const start = index;
    const keyEnd = stringEnd(text, index);
    const key = JSON.parse(text.slice(index, keyEnd)) as string;
    index = skipSpace(text, keyEnd);
    index = skipSpace(text, index + 1); // the colon
    const valueStart = index;
    index = valueEnd(text, index);
    members.push({ key, start, valueStart, end: index });
    index = skipSpace(text, index);
    if (text[index] !== ",") return members;
    index = skipSpace(text, index + 1);
  }
}

const skipSpace = (text: string, index: number) => {
  while (index < text.length && " \t\n\r".includes(text[index] as string)) index += 1;
  return index;
};

/** The index after the string starting at `index` (a `"`). */
function stringEnd(text: string, index: number): number {
  for (let at = index + 1; at < text.length; at += 1) {
    if (text[at] === "\\") at += 1;
    else if (text[at] === '"') return at + 1;
  }
  return text.length;
}

/** The index after the JSON value starting at `index`; the text is valid JSON (it parsed), so brackets balance. */
function valueEnd(text: string, index: number): number {
  const first = text[index];
  if (first === '"') return stringEnd(text, index);
  if (first !== "{" && first !== "[") {
    let at = index;
    while (at < text.length && !",}] \t\n\r".includes(text[at] as string)) at += 1;
    return at;
  }
  let depth = 0;
  for (let at = index; at < text.length; at += 1) {
    const char = text[at];
    if (char === '"') at = stringEnd(text, at) - 1;
    else if (char === "{" || char === "[") depth += 1;
    else if (char === "}" || char === "]") {
      depth -= 1;
      if (depth === 0) return at + 1;
    }
  }
  return text.length;
}

/** The text of the value of the object's member `key` (the last one, as JSON.parse keeps), if any. */
export function memberText(objectText: string, key: string): string | undefined {
  const member = objectMembers(objectText)?.findLast((each) => each.key === key);
  return member && objectText.slice(member.valueStart, member.end);
}

/**
 * The object's text with `key: valueText` as its last member, any member of that name removed (as a spread with
 * the key would replace it); everything else as it was.
 */
export function withLastMember(objectText: string, key: string, valueText: string): string {
  const members = objectMembers(objectText) ?? [];
  let text = objectText;
  for (const member of members.toReversed()) {
    if (member.key !== key) continue;
    // Remove the member and the comma joining it to a neighbour.
    const index = members.indexOf(member);
    const next = members[index + 1];
    const previous = members[index - 1];
    const [from, to] = next
      ? [member.start, next.start]
      : previous
        ? [previous.end, member.end]
        : [member.start, member.end];
    text = text.slice(0, from) + text.slice(to);
  }
  const close = text.lastIndexOf("}");
  const body = text.slice(0, close);
  const empty = /\{\s*$/.test(body);
  return `${body}${empty ? "" : ","}${JSON.stringify(key)}:${valueText}${text.slice(close)}`;
}

/** Bytes that were not UTF-8, as the reader kept them (protocol/utf8.ts): a lone surrogate U+DC80–U+DCFF each. */
const KEPT_BYTE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g;

/** The line as bytes: UTF-8, with each byte the reader could not decode given back as that byte. */
export function encodeLine(text: string): string | Buffer {
  if (text.isWellFormed()) return text;
  const parts: Buffer[] = [];
  let start = 0;
  for (const match of text.matchAll(KEPT_BYTE)) {
    parts.push(Buffer.from(text.slice(start, match.index), "utf8"));
    parts.push(Buffer.of((match[0].charCodeAt(0) - 0xdc00) & 0xff));
    start = match.index + 1;
  }
  parts.push(Buffer.from(text.slice(start), "utf8"));
  return Buffer.concat(parts);
}
