/**
 * The sandbox's own seam types: a stored record, an object's state, what the associations and lists stores need
 * from the portal's records, and the shape of an operation the sandbox serves (operations.ts). A leaf module: it
 * imports only the seed's shapes, so every other module can import it.
 */
import type { SeedGroup, SeedObject, SeedProperty } from "./seed-shapes.js";

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
  /** Contacts' secondary addresses (`hs_additional_emails`) → record id (secondary-emails.ts). */
  secondary: Map<string, string>;
  /** Ids of records merged away → the id of the record they live on in (merge.ts). */
  merged: Map<string, string>;
}

/** Finding an object and its live records: what the associations and lists stores ask of the portal's store. */
export interface RecordIndex {
  /** Resolves a path segment: `contacts`, `contact`, `0-1`, `cars`, `2-3465404` or `p{portal}_cars`. */
  resolve(objectType: string): ObjectState | undefined;
  /** Finds a live record by an idProperty (or by record id when none is given). */
  lookup(state: ObjectState, id: string, idProperty: string | undefined): StoredRecord | undefined;
}

/**
 * The type a body field must have, as HubSpot's Java deserializer reads it (body-types.ts): `"string"` takes a JSON
 * string, number or boolean (stored as its text); `"number"` a number or a numeric string; `"boolean"` a boolean or
 * `"true"`/`"false"`; `"values"` a property map, an object whose values are strings, numbers, booleans or null;
 * `true` any value.
 */
export type BodyLeaf = true | "string" | "number" | "boolean" | "values";

/**
 * What the sandbox honours of a JSON body: a leaf (`BodyLeaf`) takes a value of its type; an object names the fields
 * honoured (any other field is refused); `[shape]` is an array whose items have that shape.
 */
export type BodyShape = BodyLeaf | { readonly [field: string]: BodyShape } | readonly [BodyShape];

export interface Operation {
  /** A stable name, `family.action`, used by the docs and the tests. */
  name: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  paths: readonly string[];
  /** Query parameters honoured. @default none */
  query?: readonly string[];
  /** The JSON body honoured; operations without one take no body. */
  body?: BodyShape;
  /** Form fields honoured, for the OAuth endpoints' `application/x-www-form-urlencoded` bodies. */
  form?: readonly string[];
}
