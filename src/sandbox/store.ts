/**
 * The sandbox portal's data: object definitions and records, with unique-value indexes, all in memory. It is the one
 * place records change, so it also tells the write ledger what was applied.
 *
 * Lookups come in two strengths: `lookup` finds a live record by id or unique value (contacts' email also through
 * secondary addresses), as every write checks it; `lookupFollowing` also follows the ids of records merged away to
 * the record they live on in, as HubSpot's reads and single-record updates do (merge.ts).
 */
import { type AssociationOptions, AssociationOptionsSchema, AssociationStore } from "./associations-store.js";
import { createDefinition } from "./event-definitions.js";
import { EventStore } from "./events.js";
import { WriteLedger } from "./ledger.js";
import { type PropertyLimitOptions, PropertyLimitOptionsSchema } from "./limit-options.js";
import { type ListOptions, ListOptionsSchema, ListStore } from "./lists-store.js";
import { type PipelineOptions, PipelineStore } from "./pipelines.js";
import { seedObjects } from "./seed.js";
import type { SeedObject, SeedProperty } from "./seed-shapes.js";
import { hasSecondaryEmails, reindexSecondary, SECONDARY_EMAILS } from "./secondary-emails.js";
import { keepVersion } from "./history.js";
import { SearchIndex } from "./search-index.js";
import { seedEvents } from "./seed-events.js";
import type { ObjectState, RecordIndex, StoredRecord } from "./types.js";

export type { ObjectState, StoredRecord } from "./types.js";

export interface StoreOptions {
  associations?: AssociationOptions;
  lists?: ListOptions;
  /** Pipelines beyond HubSpot's default ones (pipelines.ts). */
  pipelines?: PipelineOptions;
  /** How many custom properties the portal allows (limits.ts). */
  customPropertyLimits?: PropertyLimitOptions;
  /** Keep every property map written in the ledger (memory grows with writes). @default false */
  ledgerHistory?: boolean;
  /** How long a write takes to reach search (search-index.ts). @default 0 */
  searchIndexLagMs?: number;
}

/** The first id the portal gives; a seeded record may take a smaller one (seed-records.ts). */
const FIRST_RECORD_ID = 1_000_001;

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
  /** Deal and ticket pipelines. */
  readonly pipelines: PipelineStore;
  /** What CRM search sees, after the index lag. */
  readonly searchIndex: SearchIndex;
  /** How many custom properties the portal allows (limits.ts). */
  readonly propertyLimits: PropertyLimitOptions;
  private nextId = FIRST_RECORD_ID;

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
      secondary: new Map(),
      merged: new Map(),
    }));
    this.associations = new AssociationStore(
      this,
      options.associations ?? AssociationOptionsSchema.parse(undefined),
    );
    this.lists = new ListStore(this, options.lists ?? ListOptionsSchema.parse(undefined));
    this.pipelines = new PipelineStore(this.objects, options.pipelines ?? []);
    this.propertyLimits = options.customPropertyLimits ?? PropertyLimitOptionsSchema.parse(undefined);
  }

  /** Resolves a path segment: `contacts`, `contact`, `0-1`, `line_item`, `cars`, `2-3465404` or `p{portal}_cars`. */
  resolve(objectType: string): ObjectState | undefined {
    const wanted = objectType.toLowerCase();
    return this.objects.find(({ definition }) => {
      const { name, objectTypeId, singular, aliases = [] } = definition;
      return (
        wanted === name ||
        wanted === objectTypeId ||
        wanted === singular.toLowerCase() ||
        aliases.includes(wanted) ||
        wanted === `p${this.portalId}_${name}`
      );
    });
  }

  /** The live (not archived) record whose `property` equals `value`, or undefined. */
  findRecord(objectType: string, property: string, value: string): StoredRecord | undefined {
    const state = this.resolve(objectType);
    if (!state) return undefined;
    if (property === "hs_object_id" || state.unique.has(property)) return this.lookup(state, value, property);
    return [...state.records.values()].find(
      (record) => !record.archived && record.properties[property] === value,
    );
  }

  listRecords(objectType: string): StoredRecord[] {
    const state = this.resolve(objectType);
    return state ? [...state.records.values()].filter((record) => !record.archived) : [];
  }

  /** Finds by an idProperty (or by record id when none is given); `email` finds secondary addresses too. */
  lookup(state: ObjectState, id: string, idProperty: string | undefined): StoredRecord | undefined {
    if (!idProperty || idProperty === "hs_object_id") return live(state.records.get(id));
    const byValue = state.unique.get(idProperty)?.get(id);
    const bySecondary =
      idProperty === "email" && hasSecondaryEmails(state) ? state.secondary.get(id) : undefined;
    return live(state.records.get(byValue ?? bySecondary ?? ""));
  }

  /** `lookup`, and for a record id merged away, the record it lives on in (reads and single updates, merge.ts). */
  lookupFollowing(state: ObjectState, id: string, idProperty: string | undefined): StoredRecord | undefined {
    const found = this.lookup(state, id, idProperty);
    if (found || (idProperty && idProperty !== "hs_object_id")) return found;
    const survivor = state.merged.get(id);
    return survivor === undefined ? undefined : this.lookup(state, survivor, undefined);
  }

  /** An archived record by id (`?archived=true` reads only archived records). */
  lookupArchived(state: ObjectState, id: string): StoredRecord | undefined {
    const record = state.records.get(id);
    return record?.archived ? record : undefined;
  }

  /**
   * A new record with the next id (or `id`, for a seeded one). `ledger: false` keeps it out of the write ledger: a
   * merge makes a record no client wrote.
   */
  create(
    state: ObjectState,
    properties: Record<string, string>,
    options: { id?: string; ledger?: boolean } = {},
  ): StoredRecord {
    const id = options.id ?? String(this.nextId++);
    if (options.id !== undefined) this.nextId = Math.max(this.nextId, Number(options.id) + 1);
    const now = new Date().toISOString();
    const created = { [state.definition.policy.createdProperty]: now };
    const system = { hs_object_id: id, ...created, ...this.modified(state, now) };
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
    if (options.ledger !== false) {
      this.ledger.apply(state.definition.name, ledgerRecord(state, record), "create", properties);
    }
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
    this.unindex(state, record);
    this.searchIndex.record(state, record);
  }

  /** Takes a merged-away record out of the portal: no longer a record, its id now an alias (merge.ts). */
  retire(state: ObjectState, record: StoredRecord, survivorId: string): void {
    this.unindex(state, record);
    state.records.delete(record.id);
    for (const [alias, target] of state.merged) if (target === record.id) state.merged.set(alias, survivorId);
    state.merged.set(record.id, survivorId);
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
      if (index && previous !== undefined && index.get(previous) === record.id) index.delete(previous);
      if (index && value !== "") index.set(value, record.id);
      if (name === SECONDARY_EMAILS && hasSecondaryEmails(state))
        reindexSecondary(state, record.id, previous, value);
      // An empty string clears a value (HubSpot: "set the property value to an empty string").
      record.properties[name] = value;
    }
  }

  /** Frees the record's unique values and secondary addresses. */
  private unindex(state: ObjectState, record: StoredRecord): void {
    for (const [name, index] of state.unique) {
      const value = record.properties[name];
      if (value !== undefined && index.get(value) === record.id) index.delete(value);
    }
    if (hasSecondaryEmails(state))
      reindexSecondary(state, record.id, record.properties[SECONDARY_EMAILS], "");
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
