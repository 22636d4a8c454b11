/**
 * Input lines as text, without letting a byte that is not UTF-8 pass as a character the source never sent.
 *
 * Decoding with replacement turns each ill-formed byte sequence into U+FFFD, and a value holding one would be
 * written to HubSpot changed. So when a decoded line holds U+FFFD and its bytes are not valid UTF-8 (a line may
 * hold a genuine U+FFFD, sent as three valid bytes), it is decoded again, each byte of an ill-formed sequence kept
 * as the unpaired surrogate U+DC80–U+DCFF (the byte's value plus 0xDC00). Unpaired surrogates are not text: the
 * value checks refuse a value holding one (INVALID_STRING, naming the field), and `JSON.stringify` writes each as
 * a `\udcXX` escape, so a stored rejected record still says which bytes the source sent.
 */
import { isUtf8 } from "node:buffer";

/** The line's text: its UTF-8, with the bytes of ill-formed sequences kept as unpaired surrogates. */
export function decodeUtf8(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  if (!text.includes("\uFFFD") || isUtf8(bytes)) return text;
  let decoded = "";
  let start = 0;
  let index = 0;
  while (index < bytes.length) {
    const length = wellFormedLength(bytes, index);
    if (length > 0) {
      index += length;
      continue;
    }
    decoded += bytes.toString("utf8", start, index) + String.fromCharCode(0xdc00 + (bytes[index] as number));
    index += 1;
    start = index;
  }
  return decoded + bytes.toString("utf8", start);
}

/**
 * The length of the well-formed UTF-8 sequence starting at `index`, or 0 when the byte there starts none
 * (the Unicode Standard's table 3-7 of well-formed byte sequences).
 */
function wellFormedLength(bytes: Buffer, index: number): number {
  const first = bytes[index] as number;
  if (first < 0x80) return 1;
  const next = (offset: number, low = 0x80, high = 0xbf) => {
    const byte = bytes[index + offset];
    return byte !== undefined && byte >= low && byte <= high;
  };
  if (first >= 0xc2 && first <= 0xdf) return next(1) ? 2 : 0;
  if (first >= 0xe0 && first <= 0xef) {
    const [low, high] = first === 0xe0 ? [0xa0, 0xbf] : first === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return next(1, low, high) && next(2) ? 3 : 0;
  }
  if (first >= 0xf0 && first <= 0xf4) {
    const [low, high] = first === 0xf0 ? [0x90, 0xbf] : first === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return next(1, low, high) && next(2) && next(3) ? 4 : 0;
  }
  return 0;
}
