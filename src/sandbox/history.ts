/**
 * Property history, for `propertiesWithHistory` on reads: every value a write set, newest first, as HubSpot's
 * `ValueWithTimestamp` (`{value, timestamp, sourceType}`; S-OBJ). The sandbox records the writes made through it;
 * their `sourceType` is `API` (inferred: HubSpot names the source of a private app's or OAuth app's write in ways
 * its docs do not pin down).
 *
 * Each record keeps its last `MAX_VERSIONS` writes, so memory grows with records, not with rewrites of one record.
 */
import type { PropertyVersion, StoredRecord } from "./types.js";

/** Writes kept per record; older ones fall out of its history. */
export const MAX_VERSIONS = 100;

/**
 * Inputs a batch read may carry when it asks for histories: "The maximum number of inputs supported in a batch
 * request for property histories is 50" (HubSpot's answer, quoted in activepieces/activepieces PR #9359).
 */
export const HISTORY_BATCH_LIMIT = 50;

export function keepVersion(record: StoredRecord, at: string, properties: Record<string, string>): void {
  const history = record.history ?? [];
  history.push({ at, properties });
  if (history.length > MAX_VERSIONS) history.splice(0, history.length - MAX_VERSIONS);
  record.history = history;
}

export interface ValueWithTimestamp {
  value: string;
  timestamp: string;
  sourceType: string;
}

/** `propertiesWithHistory` for the named properties the record has had a value for, newest value first. */
export function historyJson(
  record: StoredRecord,
  names: readonly string[],
): Record<string, ValueWithTimestamp[]> {
  const versions: readonly PropertyVersion[] = record.history ?? [];
  const result: Record<string, ValueWithTimestamp[]> = {};
  for (const name of new Set(names)) {
    const values: ValueWithTimestamp[] = [];
    for (let index = versions.length - 1; index >= 0; index -= 1) {
      const version = versions[index] as PropertyVersion;
      const value = version.properties[name];
      if (value !== undefined) values.push({ value, timestamp: version.at, sourceType: "API" });
    }
    if (values.length > 0) result[name] = values;
  }
  return result;
}
