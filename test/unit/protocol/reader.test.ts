import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type InputLine, parseMessageLine, readLines } from "../../../src/protocol/reader.js";

async function collect(chunks: (string | Buffer)[], limits?: { maxLineBytes: number; keepBytes: number }) {
  const lines: InputLine[] = [];
  for await (const line of readLines(Readable.from(chunks, { objectMode: true }), limits)) lines.push(line);
  return lines;
}

describe("readLines", () => {
  it("splits on newlines, drops the CR of CRLF, and skips blank lines while still counting them", async () => {
    const lines = await collect(["a\r\n\r\n  \nb", "c\n", "d"]);
    expect(lines).toEqual([
      { lineNumber: 1, text: "a" },
      { lineNumber: 4, text: "bc" },
      { lineNumber: 5, text: "d" },
    ]);
  });

  it("drops a UTF-8 byte order mark at the start of the input, also split across chunks, and nowhere else", async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const input = Buffer.concat([bom, Buffer.from('{"a":1}\n'), bom, Buffer.from('{"b":2}\n')]);
    const lines = await collect([input.subarray(0, 2), input.subarray(2)]);
    expect(lines).toEqual([
      { lineNumber: 1, text: '{"a":1}' },
      { lineNumber: 2, text: '\uFEFF{"b":2}' },
    ]);
  });

  it("decodes a multi-byte character split across two chunks", async () => {
    const bytes = Buffer.from('{"name":"Zoë 😀"}\n', "utf8");
    const cut = bytes.indexOf(0x9f); // inside the emoji
    const lines = await collect([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(lines).toEqual([{ lineNumber: 1, text: '{"name":"Zoë 😀"}' }]);
  });

  it("reads a single 10 MB line whole, arriving in 64 KiB chunks", async () => {
    const line = `{"data":"${"x".repeat(10 * 1024 * 1024)}"}`;
    const buffer = Buffer.from(`${line}\n{"next":1}\n`);
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < buffer.length; offset += 65_536)
      chunks.push(buffer.subarray(offset, offset + 65_536));
    const lines = await collect(chunks);
    expect(lines).toHaveLength(2);
    expect((lines[0] as { text: string }).text.length).toBe(line.length);
    expect(lines[1]).toEqual({ lineNumber: 2, text: '{"next":1}' });
  });

  it("yields a line over the limit as tooLong with its size and head, and carries on with the next line", async () => {
    const lines = await collect(["0123456789", "abcdefghij\nok\n"], { maxLineBytes: 15, keepBytes: 4 });
    expect(lines).toEqual([
      { lineNumber: 1, tooLong: true, bytes: 20, head: "0123" },
      { lineNumber: 2, text: "ok" },
    ]);
  });
});

describe("parseMessageLine", () => {
  it.each([
    ["not json", "not valid JSON"],
    ['{"type":"RECORD"}', "record"],
    ['{"type":"RECORD","record":{"stream":"s","emitted_at":1}}', "data is missing"],
    ['{"type":"BOGUS"}', "type"],
    ['{"type":"STATE","state":{"type":"STREAM"}}', "state"],
  ])("refuses %s naming what is wrong", (line, reason) => {
    const parsed = parseMessageLine(line);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.reason).toContain(reason);
  });

  it.each([
    ['{"email":"a@x.co"}', true],
    ["{}", true],
    ['{"type":"BOGUS"}', false],
    ['{"type":"RECORD"}', false],
    ["[1]", false],
    ["not json", false],
  ])("says whether %s is a plain record rather than a broken message", (line, plain) => {
    const parsed = parseMessageLine(line);
    expect(parsed.ok ? undefined : parsed.plainRecord).toBe(plain);
  });

  it.each([
    ['{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":1}}', "RECORD"],
    ['{"type":"RECORD","record":{"stream":"s","data":[1],"emitted_at":1}}', "RECORD"],
    ['{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"s"}}}}', "STATE"],
    ['{"type":"STATE","state":{"type":"GLOBAL","global":{"stream_states":[]}}}', "STATE"],
    ['{"type":"STATE","state":{"data":{"cursor":1}}}', "STATE"],
    [
      '{"type":"TRACE","trace":{"type":"STREAM_STATUS","emitted_at":1,"stream_status":{"stream_descriptor":{"name":"s"},"status":"COMPLETE"}}}',
      "TRACE",
    ],
    ['{"type":"LOG","log":{"level":"INFO","message":"hi"}}', "LOG"],
  ])("accepts %s", (line, type) => {
    const parsed = parseMessageLine(line);
    expect(parsed.ok && parsed.message.type).toBe(type);
  });
});
