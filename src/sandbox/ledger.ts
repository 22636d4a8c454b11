/**
 * What the sandbox received and applied, for tests to count. The store's unique index makes "no duplicate contact"
 * true by construction and the event store drops repeated uuids, so neither shows what a client actually sent; the
 * ledger does.
 *
 * CRM writes are counted per object type and key. A key is the record id (`id:1000001`) and, for each unique-value
 * property the record has (contacts' `email`, `car_id`, …), `property=value` (`email=a@x.co`), so a test can ask by
 * whichever it knows. Memory grows with the records and their unique keys; the property maps written are kept only
 * when `history` is on.
 */

/** Counts for one key of one object type. */
export interface LedgerEntry {
  /** Inputs that named this key, whatever became of them (applied, refused, or not found). */
  received: number;
  /** Writes applied: records created, updated (upsert, update, PATCH) and archived. */
  creates: number;
  updates: number;
  archives: number;
  /** The property maps written, oldest first; present only with `ledgerHistory: true`. */
  history?: Array<Record<string, string>>;
}

export type WriteKind = "create" | "update" | "archive";

/** A record as the ledger sees it: its id and its unique keys. */
export interface LedgerRecord {
  id: string;
  /** `property=value` for each unique-value property the record holds. */
  keys: string[];
}

export class WriteLedger {
  private readonly writes = new Map<string, Map<string, LedgerEntry>>();
  private readonly uuids = new Map<string, number>();

  constructor(readonly keepHistory = false) {}

  /**
   * An input named this key (`id:…` or `property=value`), before it is checked. Counting before validation is what
   * lets a test see that a client retried a refused record, or never sent one at all.
   */
  receive(objectType: string, key: string): void {
    this.entry(objectType, key).received += 1;
  }

  /** A write was applied to this record; `written` is the property map the input set. */
  apply(objectType: string, record: LedgerRecord, kind: WriteKind, written: Record<string, string>): void {
    for (const key of [`id:${record.id}`, ...record.keys]) {
      const entry = this.entry(objectType, key);
      if (kind === "create") entry.creates += 1;
      else if (kind === "update") entry.updates += 1;
      else entry.archives += 1;
      if (this.keepHistory && kind !== "archive") (entry.history ??= []).push({ ...written });
    }
  }

  /** The counts for a key: `"id:1000001"`, `"email=a@x.co"`, or `{ property, value }`. */
  get(objectType: string, key: string | { property: string; value: string }): LedgerEntry | undefined {
    const text = typeof key === "string" ? key : `${key.property}=${key.value}`;
    return this.writes.get(objectType)?.get(text);
  }

  /** Keys of an object type whose records were written (created or updated) more than `times` times. */
  writtenMoreThan(objectType: string, times: number, prefix = ""): string[] {
    const entries = this.writes.get(objectType) ?? new Map<string, LedgerEntry>();
    return [...entries]
      .filter(([key, entry]) => key.startsWith(prefix) && entry.creates + entry.updates > times)
      .map(([key]) => key);
  }

  /** Totals for an object type, counted once per record (by its `id:` key). */
  totals(objectType: string): Omit<LedgerEntry, "history" | "received"> & { records: number } {
    const totals = { creates: 0, updates: 0, archives: 0, records: 0 };
    for (const [key, entry] of this.writes.get(objectType) ?? []) {
      if (!key.startsWith("id:")) continue;
      totals.records += 1;
      totals.creates += entry.creates;
      totals.updates += entry.updates;
      totals.archives += entry.archives;
    }
    return totals;
  }

  /** An event occurrence with this uuid was received (stored, or dropped as a repeat). */
  receiveEvent(uuid: string): void {
    this.uuids.set(uuid, (this.uuids.get(uuid) ?? 0) + 1);
  }

  /** How many times occurrences with this uuid arrived in accepted sends. */
  eventReceipts(uuid: string): number {
    return this.uuids.get(uuid) ?? 0;
  }

  /** Uuids that arrived more than once, in first-seen order. */
  duplicateUuids(): string[] {
    return [...this.uuids].filter(([, times]) => times > 1).map(([uuid]) => uuid);
  }

  /** Forgets everything (between phases of a test). */
  clear(): void {
    this.writes.clear();
    this.uuids.clear();
  }

  private entry(objectType: string, key: string): LedgerEntry {
    let entries = this.writes.get(objectType);
    if (!entries) {
      entries = new Map();
      this.writes.set(objectType, entries);
    }
    let entry = entries.get(key);
    if (!entry) {
      entry = { received: 0, creates: 0, updates: 0, archives: 0 };
      entries.set(key, entry);
    }
    return entry;
  }
}
