/** The sandbox portal's data: object definitions and records, with unique-value indexes, all in memory. */
import { type AssociationOptions, AssociationOptionsSchema, AssociationStore } from "./associations-store.js";
import { EventStore } from "./events.js";
import { type ListOptions, ListOptionsSchema, ListStore } from "./lists-store.js";
import { type SeedObject, type SeedProperty, seedEvents, seedObjects } from "./seed.js";

export interface StoredRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface ObjectState {
  definition: SeedObject;
  properties: Map<string, SeedProperty>;
  records: Map<string, StoredRecord>;
  /** property → value → record id, for unique-value properties and contacts' email. */
  unique: Map<string, Map<string, string>>;
}

export class SandboxStore {
  readonly objects: ObjectState[];
  /** Custom behavioral event definitions and the occurrences sent to them. */
  readonly events: EventStore;
  /** Association types, labels and the links between records. */
  readonly associations: AssociationStore;
  /** Lists (segments) and their memberships. */
  readonly lists: ListStore;
  private nextId = 1_000_001;

  constructor(
    readonly portalId: number,
    links: { associations?: AssociationOptions; lists?: ListOptions } = {},
  ) {
    this.events = new EventStore(portalId);
    for (const definition of seedEvents()) this.events.createDefinition(definition);
    this.objects = seedObjects().map((definition) => ({
      definition,
      properties: new Map(definition.properties.map((property) => [property.name, property])),
      records: new Map(),
      unique: new Map(
        definition.properties
          .filter(
            (property) =>
              property.hasUniqueValue || (definition.name === "contacts" && property.name === "email"),
          )
          .map((property) => [property.name, new Map<string, string>()]),
      ),
    }));
    this.associations = new AssociationStore(
      this,
      links.associations ?? AssociationOptionsSchema.parse(undefined),
    );
    this.lists = new ListStore(this, links.lists ?? ListOptionsSchema.parse(undefined));
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

  create(state: ObjectState, properties: Record<string, string>): StoredRecord {
    const id = String(this.nextId++);
    const now = new Date().toISOString();
    const record: StoredRecord = {
      id,
      properties: { hs_object_id: id, createdate: now, hs_lastmodifieddate: now },
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    state.records.set(id, record);
    this.update(state, record, properties);
    return record;
  }

  update(state: ObjectState, record: StoredRecord, properties: Record<string, string>): void {
    const now = new Date().toISOString();
    for (const [name, value] of Object.entries(properties)) {
      const index = state.unique.get(name);
      const previous = record.properties[name];
      if (index && previous !== undefined) index.delete(previous);
      if (index && value !== "") index.set(value, record.id);
      // An empty string clears a value (HubSpot: "set the property value to an empty string").
      record.properties[name] = value;
    }
    record.updatedAt = now;
    record.properties.hs_lastmodifieddate = now;
  }

  archive(state: ObjectState, record: StoredRecord): void {
    record.archived = true;
    for (const [name, index] of state.unique) {
      const value = record.properties[name];
      if (value !== undefined && index.get(value) === record.id) index.delete(value);
    }
  }
}

const live = (record: StoredRecord | undefined) => (record && !record.archived ? record : undefined);

/** A record as the API returns it. */
export function recordJson(record: StoredRecord): Record<string, unknown> {
  return {
    id: record.id,
    properties: record.properties,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: record.archived,
  };
}
