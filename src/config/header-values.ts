/**
 * What an HTTP header value may hold: RFC 9110 §5.5 (https://www.rfc-editor.org/rfc/rfc9110#section-5.5) allows
 * visible ASCII, space, tab and obs-text (0x80–0xFF), and Node's http module refuses anything else. The
 * config checks its credentials by these rules when it is read (checks.ts), and the HTTP layer every request's
 * headers before it is sent (hubspot/header-values.ts), so both take them from here, below both.
 */

const NOT_IN_HEADER = /[^\t\x20-\x7e\x80-\xff]/;

/** Where a value holds a character a header cannot carry, and which (described, never quoted); else undefined. */
export function headerValueProblem(value: string): { position: number; character: string } | undefined {
  const match = NOT_IN_HEADER.exec(value);
  if (match === null) return undefined;
  return { position: match.index + 1, character: describeCharacter(match[0].codePointAt(0) ?? 0) };
}

/** A character named so a person can find it, without printing it (it may be part of a secret). */
export function describeCharacter(code: number): string {
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  if (code === 0x0a) return "a line break (\\n)";
  if (code === 0x0d) return "a carriage return (\\r)";
  if (code === 0x09) return "a tab";
  if (code === 0x20) return "a space";
  if (code < 0x20 || code === 0x7f) return `a control character (${hex})`;
  return `a character outside Latin-1 (${hex})`;
}

/** Whitespace a header value may not start or end with in practice: what `$(cat token.txt)` leaves behind. */
export function surroundingWhitespace(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === value) return undefined;
  const edge = value.length - value.trimEnd().length > 0 ? value.at(-1) : value[0];
  return describeCharacter(edge?.codePointAt(0) ?? 0x20);
}
