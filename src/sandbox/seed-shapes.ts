/**
 * The shapes of the portal's object definitions: properties and groups as `GET /crm/v3/properties/{objectType}`
 * shows them (the Properties spec's `Property`), and what each object does beyond its properties (its policy). A
 * leaf module: it imports nothing, so the seed files, the store and the routes can all import it.
 */

export interface SeedOption {
  label: string;
  value: string;
  description?: string;
  displayOrder?: number;
  hidden?: boolean;
}

export interface SeedProperty {
  name: string;
  label: string;
  type: "string" | "number" | "bool" | "date" | "datetime" | "enumeration" | "phone_number";
  fieldType: string;
  groupName: string;
  options: SeedOption[];
  hasUniqueValue: boolean;
  calculated: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  readOnly: boolean;
  /** Writable only by a write that creates the record (contacts' `hs_additional_emails`); read-only after. */
  createOnly?: boolean;
  /** Set by a property create; seeded properties have none. */
  description?: string;
  /** `-1` (HubSpot's "last") unless a create gives one. */
  displayOrder?: number;
  formField?: boolean;
  /** When a create made it (ISO); seeded properties carry fixed dates. */
  createdAt?: string;
}

export interface SeedGroup {
  name: string;
  label: string;
  displayOrder: number;
}

/** The scopes that give each kind of access to an object's records or definitions; any one of a list will do. */
export interface ObjectScopes {
  read: readonly string[];
  write: readonly string[];
  schemaRead: readonly string[];
  schemaWrite: readonly string[];
}

/** What an object does beyond its properties. */
export interface ObjectPolicy {
  scopes: ObjectScopes;
  /** What a read without `properties` shows, besides the id and dates. */
  defaultProperties: readonly string[];
  /** What a search without `properties` shows, besides the id and dates. */
  searchDefaults: readonly string[];
  /** What a search's `query` looks in. */
  searchable: readonly string[];
  /** The property holding when a record was created: `createdate`, or `hs_createdate` for activities. */
  createdProperty: "createdate" | "hs_createdate";
  /** Whether HubSpot's merge endpoint serves the object. */
  mergeable: boolean;
  /** The record's pipeline and stage properties, for objects in pipelines (pipelines.ts). */
  pipeline?: { pipeline: string; stage: string };
  /** Objects (type ids) a create must link the new record to (leads: an existing contact). */
  requiredLinks?: readonly string[];
}

export interface SeedObject {
  objectTypeId: string;
  /** The path name HubSpot accepts (`contacts`), or a custom object's name (`cars`). */
  name: string;
  custom: boolean;
  singular: string;
  plural: string;
  primaryDisplayProperty: string;
  requiredProperties: string[];
  /** At least one of these must be set on create (companies: `domain` or `name`). */
  requiredOneOf?: string[];
  /** Other path names HubSpot takes for the object (`line_item`). */
  aliases?: string[];
  /** The property groups; every seeded property sits in the first. */
  groups: SeedGroup[];
  properties: SeedProperty[];
  policy: ObjectPolicy;
}

/** An object's name as HubSpot's messages write it: `CONTACT`, `LINE_ITEM`, `CAR`. */
export const upperName = (definition: Pick<SeedObject, "singular">) =>
  definition.singular.toUpperCase().replace(/ /g, "_");

/** An object as `INVALID_OBJECT_IDS` names it: `CONTACT=1 is not valid`, a custom object by its type id. */
export const errorName = (definition: Pick<SeedObject, "custom" | "objectTypeId" | "singular">) =>
  definition.custom ? definition.objectTypeId : upperName(definition);
