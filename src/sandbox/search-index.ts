/**
 * What CRM search sees. HubSpot's search index trails writes: "it may take a few moments for newly created or
 * updated CRM objects to appear in search results" (search guide, "Limitations"). Integrations that search before
 * they create meet that lag as duplicates; with `searchIndexLagMs` the sandbox reproduces it.
 *
 * - With no lag (the default), search sees every record as it is now.
 * - With a lag, each write (create, update, archive) is kept as a version with its time; search sees, per record,
 *   the newest version at least `lagMs` old. A record created within the lag is not found; one updated within it is
 *   found by its old values; one archived within it is still found.
 * Versions older than the one search sees are dropped as they age, so memory grows only with the writes of the last
 * `lagMs`, plus one copy of each record.
 */
import type { ObjectState, StoredRecord } from "./types.js";

/** A record as search sees it at some time. */
export type IndexedRecord = Readonly<Omit<StoredRecord, "properties">> & {
  readonly properties: Readonly<Record<string, string>>;
};

interface Version {
  at: number;
  record: IndexedRecord;
}

export class SearchIndex {
  /** `{objectTypeId}/{recordId}` → versions, oldest first (only with a lag). */
  private readonly versions = new Map<string, Version[]>();

  constructor(
    readonly lagMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a write; a no-op without a lag, since search then reads the records themselves. */
  record(state: ObjectState, record: StoredRecord): void {
    if (this.lagMs <= 0) return;
    const key = `${state.definition.objectTypeId}/${record.id}`;
    const list = this.versions.get(key) ?? [];
    list.push({ at: this.now(), record: { ...record, properties: { ...record.properties } } });
    this.versions.set(key, list);
  }

  /** The object's live records as search sees them now, ascending by id. */
  visible(state: ObjectState): IndexedRecord[] {
    const live = (record: IndexedRecord | undefined) => record !== undefined && !record.archived;
    if (this.lagMs <= 0) return [...state.records.values()].filter(live);
    const cutoff = this.now() - this.lagMs;
    const seen: IndexedRecord[] = [];
    for (const id of state.records.keys()) {
      const record = this.seenAt(`${state.definition.objectTypeId}/${id}`, cutoff);
      if (live(record)) seen.push(record as IndexedRecord);
    }
    return seen;
  }

  /** The newest version written at or before `cutoff`, dropping the older ones. */
  private seenAt(key: string, cutoff: number): IndexedRecord | undefined {
    const list = this.versions.get(key);
    if (!list) return undefined;
    let newest = -1;
    for (let index = 0; index < list.length && (list[index] as Version).at <= cutoff; index += 1)
      newest = index;
    if (newest > 0) list.splice(0, newest);
    return newest >= 0 ? (list[0] as Version).record : undefined;
  }
}
