/**
 * Members are written by record id, while the source names them by key (`email`, a unique-value property): this
 * resolves keys to ids.
 *
 * 1. Ids of records this run wrote through another stream keyed the same way are known already (`KnownIds`, fed by
 *    the list stage's `observe`; bounded, the oldest forgotten first).
 * 2. The rest is read by key, `hs_object_id` too: a record id merged into another record answers that record's
 *    id (hubspot/read-by-key.ts), and HubSpot's list memberships take no merged ids (an add names them in
 *    `recordIdsMissing`, a remove leaves the survivor in the list, an overwrite would sweep it out). Reading costs
 *    one request per 100 members keyed by id; it is what follows a merge.
 * 3. What is read (hubspot/read-by-key.ts: 100 keys a request, side by side). A key no record has is
 *    absent; a key HubSpot refused to read, or whose read its answers left unaccounted for, is refused with the
 *    reason (the member is rejected, never taken for a missing record).
 */
import type { Rejection } from "../../contract.js";
import type { ApiPaths } from "../../hubspot/api-paths.js";
import { readByKey, unconfirmedRead } from "../../hubspot/read-by-key.js";
import type { JsonTransport } from "../../hubspot/transport.js";
import { LIST_LIMITS } from "./policies.js";

/** The record id property (read too, to follow merged ids). */
export const RECORD_ID_PROPERTY = "hs_object_id";

/** Emails come back lower-cased, other keys as sent: compare keys the way HubSpot stores them. */
const normalizeKey = (value: string) => value.trim().toLowerCase();

/** HubSpot ids of records this run wrote, by object, matching key and key value; bounded. */
export class KnownIds {
  private readonly ids = new Map<string, string>();
  private readonly wanted = new Set<string>();

  constructor(private readonly limit: number = LIST_LIMITS.knownIds) {}

  /** Asks to keep the ids of one object's records keyed by `idProperty` (those a list stream needs). */
  want(objectType: string, idProperty: string): void {
    this.wanted.add(`${objectType}\u0000${idProperty}`);
  }

  wants(objectType: string, idProperty: string): boolean {
    return this.wanted.has(`${objectType}\u0000${idProperty}`);
  }

  remember(objectType: string, idProperty: string, key: string, recordId: string): void {
    if (!this.wants(objectType, idProperty)) return;
    const entry = `${objectType}\u0000${idProperty}\u0000${normalizeKey(key)}`;
    this.ids.delete(entry);
    this.ids.set(entry, recordId);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.keys().next().value as string);
  }

  get(objectType: string, idProperty: string, key: string): string | undefined {
    return this.ids.get(`${objectType}\u0000${idProperty}\u0000${normalizeKey(key)}`);
  }
}

/** What reading keys found: record ids by key as given, and the keys HubSpot refused to read. */
export interface ResolvedKeys {
  found: Map<string, string>;
  refused: Map<string, Rejection>;
}

/** Record ids for `keys` of one object (see the outline above). */
export async function resolveRecordIds(
  transport: JsonTransport,
  paths: Pick<ApiPaths, "crmBatch">,
  target: { objectType: string; idProperty: string },
  keys: readonly string[],
  known?: KnownIds,
): Promise<ResolvedKeys> {
  const resolved: ResolvedKeys = { found: new Map(), refused: new Map() };
  const unknown: string[] = [];
  for (const key of new Set(keys)) {
    const id = known?.get(target.objectType, target.idProperty, key);
    if (id === undefined) unknown.push(key);
    else resolved.found.set(key, id);
  }
  if (unknown.length === 0) return resolved;
  const read = await readByKey(transport, paths, target, unknown);
  for (const [key, record] of read.found) resolved.found.set(key, record.id);
  for (const [key, rejection] of read.refused) resolved.refused.set(key, rejection);
  for (const key of read.unaccounted) resolved.refused.set(key, unconfirmedRead(key));
  return resolved;
}
