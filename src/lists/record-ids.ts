/**
 * Members are written by record id, while the source names them by key (`email`, a unique-value property): this
 * resolves keys to ids.
 *
 * 1. Ids of records this run wrote through another stream keyed the same way are known already (`KnownIds`, fed by
 *    the list stage's `observe`; bounded, the oldest forgotten first).
 * 2. The matching key `hs_object_id` is the record id itself.
 * 3. The rest is read by key, 100 keys a request, requests side by side: `POST …/objects/{type}/batch/read` with
 *    `idProperty`. A key HubSpot reports OBJECT_NOT_FOUND (a 207, or a 2026-09 200 with `errors`) is absent; any
 *    other error item rejects the keys it names (every key of its request left unresolved, when it names none).
 */
import type { Rejection } from "../contract.js";
import type { ApiPaths } from "../hubspot/api-paths.js";
import { contextList, type HubSpotErrorBody, rejectionFromError } from "../hubspot/batch-errors.js";
import type { CrmTransport } from "../hubspot/crm-batches.js";
import { LIST_LIMITS } from "./policies.js";

/** The record id property: a key that needs no read. */
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

interface ReadResponse {
  results?: { id?: string; properties?: Record<string, string | null> }[];
  errors?: HubSpotErrorBody[];
}

/** Record ids for `keys` of one object (see the outline above). */
export async function resolveRecordIds(
  transport: CrmTransport,
  paths: Pick<ApiPaths, "crmBatch">,
  target: { objectType: string; idProperty: string },
  keys: readonly string[],
  known?: KnownIds,
): Promise<ResolvedKeys> {
  const resolved: ResolvedKeys = { found: new Map(), refused: new Map() };
  const unknown: string[] = [];
  for (const key of new Set(keys)) {
    const id =
      target.idProperty === RECORD_ID_PROPERTY ? key : known?.get(target.objectType, target.idProperty, key);
    if (id === undefined) unknown.push(key);
    else resolved.found.set(key, id);
  }
  const chunks: string[][] = [];
  for (let start = 0; start < unknown.length; start += LIST_LIMITS.keysPerRead) {
    chunks.push(unknown.slice(start, start + LIST_LIMITS.keysPerRead));
  }
  await Promise.all(chunks.map((chunk) => readChunk(transport, paths, target, chunk, resolved)));
  return resolved;
}

async function readChunk(
  transport: CrmTransport,
  paths: Pick<ApiPaths, "crmBatch">,
  target: { objectType: string; idProperty: string },
  keys: readonly string[],
  resolved: ResolvedKeys,
): Promise<void> {
  const answer = await transport.postJson<ReadResponse>(paths.crmBatch(target.objectType, "read"), {
    idProperty: target.idProperty,
    properties: [target.idProperty],
    // HubSpot's schema requires the field (BatchReadInputSimplePublicObjectId); no history is wanted.
    propertiesWithHistory: [],
    inputs: keys.map((id) => ({ id })),
  });
  const byKey = new Map(keys.map((key) => [normalizeKey(key), key]));
  for (const result of answer.body?.results ?? []) {
    const value = result.properties?.[target.idProperty];
    const key = typeof value === "string" ? byKey.get(normalizeKey(value)) : undefined;
    if (key !== undefined && result.id) resolved.found.set(key, String(result.id));
  }
  for (const error of answer.body?.errors ?? []) {
    if (error.category === "OBJECT_NOT_FOUND") continue;
    const rejection = rejectionFromError(error, answer.status);
    const named = contextList(error, "ids").map((id) => byKey.get(normalizeKey(id)));
    const blamed = named.some((key) => key !== undefined) ? named : keys;
    for (const key of blamed) {
      if (key !== undefined && !resolved.found.has(key)) resolved.refused.set(key, rejection);
    }
  }
}
