/**
 * Content-derived ids. They make event delivery exactly once, and let rejected records that a replay stores twice be
 * recognised as the same record (`_airbyte_raw_id`).
 *
 * The uuid that makes event delivery exactly once: HubSpot keeps the first occurrence of a uuid for a year and drops
 * the rest, so a record must get the same uuid every time it is sent. A record's own `uuid` (or Amplitude's
 * `insert_id`) is used as given; otherwise a UUID v5 (RFC 9562) is derived from the stream and the record's
 * content, with object keys sorted so that key order does not matter.
 */
import { createHash } from "node:crypto";
import { isRawNumber } from "./exact-json.js";

/** This connector's UUID v5 namespace (a random v4, fixed forever: changing it would re-send every event). */
const NAMESPACE = Buffer.from("6f9d1c2e8b7a4e3f9c0d5a1b2e3f4c5d", "hex");

export function stableJson(value: unknown): string {
  if (isRawNumber(value)) return value.rawJSON;
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function deriveUuid(stream: string, data: unknown): string {
  const hash = createHash("sha1")
    .update(NAMESPACE)
    .update(`${stream}\n${stableJson(data)}`, "utf8")
    .digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50; // version 5
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
