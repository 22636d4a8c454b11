/**
 * The sandbox's own seam types: a stored record, an object's state, and what the associations and lists stores need
 * from the portal's records. A leaf module: it imports only the seed's shapes, so every store can import it.
 */
import type { SeedGroup, SeedObject, SeedProperty } from "./seed.js";

export interface StoredRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  /** The property values each write set, oldest first (history.ts). */
  history?: PropertyVersion[];
}

/** The values one write set on a record, and when. */
export interface PropertyVersion {
  at: string;
  properties: Readonly<Record<string, string>>;
}

export interface ObjectState {
  definition: SeedObject;
  properties: Map<string, SeedProperty>;
  groups: Map<string, SeedGroup>;
  records: Map<string, StoredRecord>;
  /** property → value → record id, for unique-value properties and contacts' email. */
  unique: Map<string, Map<string, string>>;
}

/** Finding an object and its live records: what the associations and lists stores ask of the portal's store. */
export interface RecordIndex {
  /** Resolves a path segment: `contacts`, `contact`, `0-1`, `cars`, `2-3465404` or `p{portal}_cars`. */
  resolve(objectType: string): ObjectState | undefined;
  /** Finds a live record by an idProperty (or by record id when none is given). */
  lookup(state: ObjectState, id: string, idProperty: string | undefined): StoredRecord | undefined;
}
