/**
 * Finding link targets' HubSpot ids by a unique value: a read by key (hubspot/read-by-key.ts), at most 100 values
 * a request. A value no record has is `missing`; a value HubSpot refused to read, or whose read its answers left
 * unaccounted for (also read alone), is `refused` with the reason, so its record is rejected rather than linked or
 * left unlinked on a guess.
 */
import type { ApiPaths } from "../hubspot/api-paths.js";
import type { IsolationOptions } from "../hubspot/isolate.js";
import { KEYS_PER_READ, readByKey, unconfirmedRead } from "../hubspot/read-by-key.js";
import type { JsonTransport } from "../hubspot/transport.js";
import type { Resolution } from "./types.js";

/** Values per lookup request: HubSpot's CRM batch read cap. */
export const LOOKUP_BATCH_LIMIT = KEYS_PER_READ;

/** The ids of the records whose `property` has each value; values not found are `missing`. */
export async function lookupIds(
  transport: JsonTransport,
  paths: Pick<ApiPaths, "crmBatch">,
  target: { objectType: string; property: string },
  values: readonly string[],
  isolation: IsolationOptions = {},
): Promise<Map<string, Resolution>> {
  const request = { objectType: target.objectType, idProperty: target.property };
  const read = await readByKey(transport, paths, request, values, isolation);
  const resolved = new Map<string, Resolution>();
  for (const value of values) {
    const found = read.found.get(value);
    const refusal = read.refused.get(value);
    if (found) resolved.set(value, { status: "found", id: found.id });
    else if (refusal) resolved.set(value, { status: "refused", rejection: refusal });
    else if (read.absent.has(value)) resolved.set(value, { status: "missing" });
    else resolved.set(value, { status: "refused", rejection: unconfirmedRead(value) });
  }
  return resolved;
}
