/**
 * Pure: which fields of the CRM streams become properties (`create_missing_properties`). A stream's fields are
 * those its JSON schema declares; a field is wanted when it is not a property of the stream's object, and is not
 * the matching key, an association entry's field (links only, never written) or Airbyte's `_airbyte_*` metadata.
 * A wanted field whose name HubSpot cannot take is set aside as unnamable, with why.
 */
import type { StreamSpec } from "../../../contract.js";
import { ConfigError } from "../../../errors.js";
import type { Property } from "../../../hubspot/types.js";
import { declaredFields, type PropertyShape, shapeOfField } from "./field-types.js";
import { propertyNameProblem } from "./names.js";

/** One property to create, and the stream that first brought it. */
export interface WantedProperty {
  name: string;
  shape: PropertyShape;
  stream: string;
}

/** What one object needs created, over every stream that writes it. */
export interface ObjectWants {
  objectName: string;
  objectType: string;
  /** By name, in the order the streams declared them. */
  properties: Map<string, WantedProperty>;
}

/** A stream's fields that cannot become properties: name → why. */
export type Unnamable = Map<string, string>;

export interface WantedStream {
  spec: StreamSpec;
  objectType: string;
  existing: readonly Property[];
  /** Fields the run uses for links, never written as properties. */
  linkFields: ReadonlySet<string>;
}

/** The properties each object needs, and each stream's unnamable fields (by stream key). */
export function wantedProperties(streams: readonly WantedStream[]): {
  objects: Map<string, ObjectWants>;
  unnamable: Map<string, Unnamable>;
} {
  const objects = new Map<string, ObjectWants>();
  const unnamable = new Map<string, Unnamable>();
  for (const stream of streams) {
    const { spec } = stream;
    if (spec.mode === "archive") continue; // an archive writes no property
    const existing = new Set(stream.existing.map((property) => property.name));
    for (const [name, schema] of declaredFields(spec.jsonSchema)) {
      if (existing.has(name) || name === spec.idProperty || stream.linkFields.has(name)) continue;
      if (name.startsWith("_airbyte_")) continue;
      const problem = propertyNameProblem(name);
      if (problem) {
        const set = unnamable.get(spec.key) ?? new Map<string, string>();
        unnamable.set(spec.key, set.set(name, problem));
        continue;
      }
      const wants = objects.get(spec.objectName) ?? {
        objectName: spec.objectName,
        objectType: stream.objectType,
        properties: new Map<string, WantedProperty>(),
      };
      objects.set(spec.objectName, wants);
      addWanted(wants, { name, shape: shapeOfField(schema), stream: spec.key });
    }
  }
  return { objects, unnamable };
}

/** A field two streams of one object declare with different types cannot become one property. */
function addWanted(wants: ObjectWants, property: WantedProperty): void {
  const earlier = wants.properties.get(property.name);
  if (!earlier) {
    wants.properties.set(property.name, property);
    return;
  }
  const [a, b] = [earlier.shape, property.shape];
  if (a.type === b.type && a.fieldType === b.fieldType) return;
  throw new ConfigError(
    `Streams ${earlier.stream} and ${property.stream} both bring field ${property.name} to ${wants.objectName}, as ${a.type}/${a.fieldType} and as ${b.type}/${b.fieldType}: create_missing_properties cannot create it as both. Give the field one type in both streams' schemas, or create the property in HubSpot.`,
  );
}
