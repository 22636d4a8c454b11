/**
 * Reads stdin as lines without ever holding more than one line (up to a limit) in memory.
 *
 * 1. Bytes are split on `\n`; a trailing `\r` is dropped (CRLF input), blank lines are skipped but counted.
 * 2. A line is decoded as UTF-8 only once complete, so a character split across chunks decodes correctly; bytes
 *    that are not UTF-8 are kept as unpaired surrogates (utf8.ts), which the value checks refuse. A byte order
 *    mark at the start of the input (a file saved by a Windows editor) is dropped.
 * 3. A line over `maxLineBytes` is not buffered: its first `keepBytes` are kept, the rest only counted, and it is
 *    yielded as `tooLong` so the caller can reject it with its line number.
 */
import type { Readable } from "node:stream";
import { parseJson } from "../exact-json.js";
import { InputMessageSchema, type InputMessage } from "./messages.js";
import { memberText, STATE_TEXT } from "./state-text.js";
import { decodeUtf8 } from "./utf8.js";

export type InputLine =
  | { lineNumber: number; text: string }
  | { lineNumber: number; tooLong: true; bytes: number; head: string };

export const LINE_LIMITS = {
  /**
   * Longest line read as a message. Airbyte caps records far lower in practice; a line this long is refused
   * rather than risking memory.
   * @default 67_108_864 (64 MiB)
   */
  maxLineBytes: 64 * 1024 * 1024,
  /**
   * How much of a refused line is kept for the rejected-records store.
   * @default 1_048_576 (1 MiB)
   */
  keepBytes: 1024 * 1024,
} as const;

/** What editors on Windows put at the start of a "UTF-8" file; no JSON line starts with it. */
const BYTE_ORDER_MARK = "\uFEFF";
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export async function* readLines(
  input: AsyncIterable<Buffer | string> | Readable,
  limits: { maxLineBytes: number; keepBytes: number } = LINE_LIMITS,
): AsyncGenerator<InputLine> {
  const line = new LineAssembler(limits);
  for await (const chunk of input) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let start = 0;
    for (let index = buffer.indexOf(NEWLINE, start); index >= 0; index = buffer.indexOf(NEWLINE, start)) {
      line.append(buffer.subarray(start, index));
      const complete = line.finish();
      if (complete) yield complete;
      start = index + 1;
    }
    if (start < buffer.length) line.append(buffer.subarray(start));
  }
  if (line.started) {
    const complete = line.finish();
    if (complete) yield complete;
  }
}

/** The line being read: its pieces up to the limit (step 3), then only its head and its size. */
class LineAssembler {
  private parts: Buffer[] = [];
  private size = 0;
  private overflow = false;
  private lineNumber = 0;

  constructor(private readonly limits: { maxLineBytes: number; keepBytes: number }) {}

  /** Whether a last line without a newline is waiting. */
  get started(): boolean {
    return this.size > 0 || this.parts.length > 0;
  }

  append(piece: Buffer): void {
    const { limits } = this;
    this.size += piece.length;
    if (this.overflow) return;
    if (this.size > limits.maxLineBytes) {
      this.overflow = true;
      // Keep only the head for the rejected store; drop everything else of this line.
      const kept = Buffer.concat(this.parts).subarray(0, limits.keepBytes);
      const room = limits.keepBytes - kept.length;
      this.parts = room > 0 ? [kept, Buffer.from(piece.subarray(0, room))] : [kept];
      return;
    }
    this.parts.push(piece);
  }

  /** The line, done (steps 1-3); undefined for a blank one, which is only counted. */
  finish(): InputLine | undefined {
    const { limits, parts } = this;
    const lineNumber = (this.lineNumber += 1);
    const buffer =
      parts.length === 1
        ? (parts[0] as Buffer)
        : Buffer.concat(parts, Math.min(this.size, limits.maxLineBytes));
    const counted = this.size;
    const wasOverflow = this.overflow;
    this.parts = [];
    this.size = 0;
    this.overflow = false;
    if (wasOverflow) {
      return {
        lineNumber,
        tooLong: true,
        bytes: counted,
        head: buffer.subarray(0, limits.keepBytes).toString("utf8"),
      };
    }
    const end =
      buffer.length > 0 && buffer[buffer.length - 1] === CARRIAGE_RETURN ? buffer.length - 1 : buffer.length;
    const decoded = decodeUtf8(buffer.subarray(0, end));
    const text = lineNumber === 1 && decoded.startsWith(BYTE_ORDER_MARK) ? decoded.slice(1) : decoded;
    return text.trim() === "" ? undefined : { lineNumber, text };
  }
}

/**
 * A line read as an Airbyte message; when it is not one, `plainRecord` says it is a JSON object without a `type`:
 * a record as raw pipe mode takes it, piped into Airbyte mode by mistake.
 */
export type ParsedLine =
  | { ok: true; message: InputMessage }
  | { ok: false; reason: string; plainRecord: boolean };

/**
 * Parses one line as an Airbyte message, keeping numbers a double cannot hold as their text (exact-json.ts); the
 * reason names what is wrong without quoting the line.
 */
export function parseMessageLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch {
    return { ok: false, reason: "not valid JSON", plainRecord: false };
  }
  const parsed = InputMessageSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "message";
    const plainRecord =
      typeof value === "object" && value !== null && !Array.isArray(value) && !Object.hasOwn(value, "type");
    return { ok: false, reason: `${where}: ${issue?.message ?? "does not fit the protocol"}`, plainRecord };
  }
  const message = parsed.data;
  if (message.type === "STATE") {
    // Echoed as it came in, not as parsed (state-text.ts).
    const stateText = memberText(text, "state");
    if (stateText !== undefined) Object.assign(message.state, { [STATE_TEXT]: stateText });
  }
  return { ok: true, message };
}
