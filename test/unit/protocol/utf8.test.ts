import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "../../../src/protocol/utf8.js";
import { seeded } from "../../reliability/harness.js";

/** The bytes a decoded line stands for: its UTF-8, with each kept byte (U+DC80–U+DCFF) as that byte. */
function bytesOf(text: string): Buffer {
  const parts: Buffer[] = [];
  let run = "";
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code >= 0xdc80 && code <= 0xdcff) {
      parts.push(Buffer.from(run, "utf8"), Buffer.from([code - 0xdc00]));
      run = "";
    } else run += char;
  }
  parts.push(Buffer.from(run, "utf8"));
  return Buffer.concat(parts);
}

describe("decodeUtf8", () => {
  it("decodes valid UTF-8 as it is, a genuine U+FFFD included", () => {
    const text = 'ok \uFFFD café 😀 "z̸"';
    expect(decodeUtf8(Buffer.from(text, "utf8"))).toBe(text);
  });

  it.each([
    ["a lone continuation byte", [0x41, 0x80, 0x42], "A\uDC80B"],
    ["a byte that never starts UTF-8", [0xff, 0xfe], "\uDCFF\uDCFE"],
    ["a sequence cut short", [0xe2, 0x82, 0x41], "\uDCE2\uDC82A"],
    ["an overlong encoding of /", [0xc0, 0xaf], "\uDCC0\uDCAF"],
    ["an encoded surrogate", [0xed, 0xa0, 0x80], "\uDCED\uDCA0\uDC80"],
    ["a code point beyond U+10FFFF", [0xf4, 0x90, 0x80, 0x80], "\uDCF4\uDC90\uDC80\uDC80"],
    ["a genuine U+FFFD beside a bad byte", [0xef, 0xbf, 0xbd, 0xc3], "\uFFFD\uDCC3"],
  ])("keeps each byte of %s as an unpaired surrogate", (_name, bytes, expected) => {
    const text = decodeUtf8(Buffer.from(bytes));
    expect(text).toBe(expected);
    expect(text.isWellFormed()).toBe(false);
  });

  it("gives back exactly the bytes it read, for seeded random byte strings", () => {
    const random = seeded(18);
    for (let round = 0; round < 2_000; round += 1) {
      const length = Math.floor(random() * 24);
      // Mostly bytes at the edges of UTF-8's ranges, where decoders go wrong.
      const edges = [
        0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff,
      ];
      const bytes = Buffer.from(
        Array.from({ length }, () =>
          random() < 0.7
            ? (edges[Math.floor(random() * edges.length)] as number)
            : Math.floor(random() * 256),
        ),
      );
      const text = decodeUtf8(bytes);
      expect(bytesOf(text).equals(bytes), bytes.toString("hex")).toBe(true);
      expect(text.isWellFormed()).toBe(isValid(bytes));
    }
  });
});

function isValid(bytes: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
