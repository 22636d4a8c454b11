/**
 * The sandbox portal's data: object definitions and records, with unique-value indexes, all in memory. It is the one
 * place records change, so it also tells the write ledger what was applied.
 */
import { type AssociationOptions, AssociationOptionsSchema, AssociationStore } from "./associations-store.js";
import { createDefinition } from "./event-definitions.js";
import { EventStore } from "./events.js";
import { WriteLedger } from "./ledger.js";
import { type ListOptions, ListOptionsSchema, ListStore } from "./lists-store.js";
import { type SeedObject, type SeedProperty, seedObjects } from "./seed.js";
import { keepVersion } from "./history.js";
import { SearchIndex } from "./search-index.js";
import { seedEvents } from "./seed-events.js";
import type { ObjectState, RecordIndex, StoredRecord } from "./types.js";

export type { ObjectState, StoredRecord } from "./types.js";

export interface StoreOptions {
  associations?: AssociationOptions;
  lists?: ListOptions;
  /** Keep every property map written in the ledger (memory grows with writes). @default false */
  ledgerHistory?: boolean;
  /** How long a write takes to reach search (search-index.ts). @default 0 */
  searchIndexLagMs?: number;
}

export class SandboxStore implements RecordIndex {
  readonly objects: ObjectState[];
  /** Custom behavioral event definitions and the occurrences sent to them. */
  readonly events: EventStore;
  /** What was received and applied, for tests to count (ledger.ts). */
  readonly ledger: WriteLedger;
  /** Association types, labels and the links between records. */
  readonly associations: AssociationStore;
  /** Lists (segments) and their memberships. */
  readonly lists: ListStore;
  /** What CRM search sees, after the index lag. */
  readonly searchIndex: SearchIndex;
  private nextId = 1_000_001;

  constructor(
    readonly portalId: number,
    options: StoreOptions = {},
  ) {
    this.ledger = new WriteLedger(options.ledgerHistory ?? false);
    this.searchIndex = new SearchIndex(options.searchIndexLagMs ?? 0);
    this.events = new EventStore(portalId, this.ledger);
    for (const definition of seedEvents()) createDefinition(this.events, definition);
    this.objects = seedObjects().map((definition) => ({
      definition,
      properties: new Map(definition.properties.map((property) => [property.name, property])),
      groups: new Map(definition.groups.map((group) => [group.name, group])),
      records: new Map(),
      unique: new Map(
        definition.properties
          .filter((property) => isUniqueKey(definition, property))
          .map((property) => [property.name, new Map<string, string>()]),
      ),
    }));
    this.associations = new AssociationStore(
      this,
      options.associations ?? AssociationOptionsSchema.parse(undefined),
    );
    this.lists = new ListStore(this, options.lists ?? ListOptionsSchema.parse(undefined));
  }

  /** Resolves a path segment: `contacts`, `contact`, `0-1`, `cars`, `2-3465404` or `p{portal}_cars`. */
  resolve(objectType: string): ObjectState | undefined {
    const wanted = objectType.toLowerCase();
    return this.objects.find(({ definition }) => {
      const { name, objectTypeId, singular } = definition;
      return (
        wanted === name ||
        wanted === objectTypeId ||
        wanted === singular.toLowerCase() ||
        wanted === `p${this.portalId}_${name}`
      );
    });
  }

  /** The live (not archived) record whose `property` equals `value`, or undefined. */
  findRecord(objectType: string, property: string, value: string): StoredRecord | undefined {
    const state = this.resolve(objectType);
    if (!state) return undefined;
    if (property === "hs_object_id") return live(state.records.get(value));
    const index = state.unique.get(property);
    if (index) return live(state.records.get(index.get(value) ?? ""));
    return [...state.records.values()].find(
      (record) => !record.archived && record.properties[property] === value,
    );
  }

  listRecords(objectType: string): StoredRecord[] {
    const state = this.resolve(objectType);
    return state ? [...state.records.values()].filter((record) => !record.archived) : [];
  }

  /** Finds by an idProperty (or by record id when none is given). */
  lookup(state: ObjectState, id: string, idProperty: string | undefined): StoredRecord | undefined {
    if (!idProperty || idProperty === "hs_object_id") return live(state.records.get(id));
    return live(state.records.get(state.unique.get(idProperty)?.get(id) ?? ""));
  }

  /** An archived record by id (`?archived=true` reads only archived records). */
  lookupArchived(state: ObjectState, id: string): StoredRecord | undefined {
    const record = state.records.get(id);
    return record?.archived ? record : undefined;
  }

  create(state: ObjectState, properties: Record<string, string>): StoredRecord {
    const id = String(this.nextId++);
    const now = new Date().toISOString();
    const system = { hs_object_id: id, createdate: now, ...this.modified(state, now) };
    const record: StoredRecord = {
      id,
      properties: { ...system },
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    state.records.set(id, record);
    this.assign(state, record, properties);
    keepVersion(record, now, { ...system, ...properties });
    this.ledger.apply(state.definition.name, ledgerRecord(state, record), "create", properties);
    this.searchIndex.record(state, record);
    return record;
  }

  update(state: ObjectState, record: StoredRecord, properties: Record<string, string>): void {
    const now = new Date().toISOString();
    this.assign(state, record, properties);
    record.updatedAt = now;
    const modified = this.modified(state, now);
    Object.assign(record.properties, modified);
    keepVersion(record, now, { ...properties, ...modified });
    this.ledger.apply(state.definition.name, ledgerRecord(state, record), "update", properties);
    this.searchIndex.record(state, record);
  }

  archive(state: ObjectState, record: StoredRecord): void {
    this.ledger.apply(state.definition.name, ledgerRecord(state, record), "archive", {});
    record.archived = true;
    record.archivedAt = new Date().toISOString();
    for (const [name, index] of state.unique) {
      const value = record.properties[name];
      if (value !== undefined && index.get(value) === record.id) index.delete(value);
    }
    this.searchIndex.record(state, record);
  }

  /** Adds a property definition (a property create); a unique one gets its index. */
  addProperty(state: ObjectState, property: SeedProperty): void {
    state.definition.properties.push(property);
    state.properties.set(property.name, property);
    if (property.hasUniqueValue) state.unique.set(property.name, new Map());
  }

  private assign(state: ObjectState, record: StoredRecord, properties: Record<string, string>): void {
    for (const [name, value] of Object.entries(properties)) {
      const index = state.unique.get(name);
      const previous = record.properties[name];
      if (index && previous !== undefined) index.delete(previous);
      if (index && value !== "") index.set(value, record.id);
      // An empty string clears a value (HubSpot: "set the property value to an empty string").
      record.properties[name] = value;
    }
  }

  /** Contacts carry `lastmodifieddate` as well as `hs_lastmodifieddate`; other objects only the latter. */
  private modified(state: ObjectState, now: string): Record<string, string> {
    return state.definition.name === "contacts"
      ? { lastmodifieddate: now, hs_lastmodifieddate: now }
      : { hs_lastmodifieddate: now };
  }
}

const isUniqueKey = (definition: SeedObject, property: SeedProperty) =>
  property.hasUniqueValue || (definition.name === "contacts" && property.name === "email");

const live = (record: StoredRecord | undefined) => (record && !record.archived ? record : undefined);

/** The record's ledger keys: its unique values other than the id itself. */
function ledgerRecord(state: ObjectState, record: StoredRecord) {
  const keys: string[] = [];
  for (const name of state.unique.keys()) {
    const value = record.properties[name];
    if (name !== "hs_object_id" && value) keys.push(`${name}=${value}`);
  }
  return { id: record.id, keys };
}
