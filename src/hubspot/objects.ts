/**
 * The objects a run writes or links to, with their property definitions: read once per run and shared by the
 * kinds (a CRM stream's object, a list's object) and the associations stage (a link's object). A standard object's
 * definitions come from its properties call (`/crm/properties/{version}/{typeId}`); custom objects come together
 * from one schemas call, matched by name, fully qualified name or type id
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis). An object the portal does not
 * have is the user's to fix: a ConfigError listing what it has.
 */
import { ConfigError } from "../errors.js";
import { STANDARD_OBJECT_NAMES, STANDARD_OBJECTS } from "./policies.js";
import type { ObjectSchema, Property } from "./types.js";

/** One object as the run knows it. */
export interface ResolvedObject {
  /** The name the config or catalog uses for it. */
  objectName: string;
  /** HubSpot's object type id (`0-1`, `2-1234567`). */
  objectType: string;
  properties: Property[];
  /** A custom object's `requiredProperties` as its schema gives them (standard objects: hubspot/policies.ts). */
  requiredProperties?: string[] | undefined;
}

/** The client surface objects are read through. */
export interface ObjectCatalogSource {
  listProperties(objectType: string): Promise<Property[]>;
  listSchemas(): Promise<ObjectSchema[]>;
}

const standardObject = (name: string) =>
  (STANDARD_OBJECTS as Record<string, { objectTypeId: string } | undefined>)[name.toUpperCase()];

export class ObjectCatalog {
  private readonly objects = new Map<string, ResolvedObject>();
  private readonly definitions = new Map<string, ReadonlyMap<string, Property>>();
  private schemas: Promise<ObjectSchema[]> | undefined;
  private readonly reading = new Map<string, Promise<ResolvedObject>>();

  constructor(private readonly source: ObjectCatalogSource) {}

  /** The objects by name, each read once per run (custom ones with one schemas call); in the order asked. */
  async resolve(objectNames: Iterable<string>): Promise<Map<string, ResolvedObject>> {
    // Read side by side: each is one request, and a run's setup waits for all of them.
    const names = [...new Set(objectNames)];
    const read = await Promise.all(names.map((objectName) => this.one(objectName)));
    return new Map(names.map((objectName, index) => [objectName, read[index] as ResolvedObject]));
  }

  /** One object, read unless the run knows it (or is reading it). */
  async one(objectName: string): Promise<ResolvedObject> {
    const known = this.objects.get(objectName);
    if (known) return known;
    let reading = this.reading.get(objectName);
    if (!reading) {
      reading = this.read(objectName);
      this.reading.set(objectName, reading);
    }
    const object = await reading;
    this.objects.set(objectName, object);
    return object;
  }

  /** An object the run has read, if it has. */
  get(objectName: string): ResolvedObject | undefined {
    return this.objects.get(objectName);
  }

  /** Every object read so far, by name. */
  get known(): ReadonlyMap<string, ResolvedObject> {
    return this.objects;
  }

  /**
   * Definitions the run adds to an object it has read: properties it creates before the first record, so that
   * the mappers, planners and stages built from here on see them.
   */
  addProperties(objectName: string, properties: readonly Property[]): void {
    const object = this.objects.get(objectName);
    if (!object) throw new Error(`The run has not read ${objectName}.`);
    object.properties = [...object.properties, ...properties];
    this.definitions.delete(objectName);
  }

  /** The property definitions of an object the run has read, by property name (empty for one it has not). */
  propertiesOf(objectName: string): ReadonlyMap<string, Property> {
    let map = this.definitions.get(objectName);
    if (!map) {
      map = new Map(
        (this.objects.get(objectName)?.properties ?? []).map((property) => [property.name, property]),
      );
      if (this.objects.has(objectName)) this.definitions.set(objectName, map);
    }
    return map;
  }

  private async read(objectName: string): Promise<ResolvedObject> {
    const standard = standardObject(objectName);
    if (standard) {
      const properties = await this.source.listProperties(standard.objectTypeId);
      return { objectName, objectType: standard.objectTypeId, properties };
    }
    this.schemas ??= this.source.listSchemas();
    const schemas = await this.schemas;
    const schema = schemas.find(
      (candidate) =>
        candidate.name === objectName ||
        candidate.fullyQualifiedName === objectName ||
        candidate.objectTypeId === objectName,
    );
    if (!schema?.objectTypeId) {
      const known = [...STANDARD_OBJECT_NAMES, ...schemas.map((candidate) => candidate.name)];
      throw new ConfigError(
        `HubSpot has no object ${objectName}. Objects this portal can take: ${known.join(", ")}.`,
      );
    }
    const { objectTypeId: objectType, properties, requiredProperties } = schema;
    return { objectName, objectType, properties: properties ?? [], requiredProperties };
  }
}
