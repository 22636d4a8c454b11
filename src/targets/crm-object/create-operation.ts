/**
 * Pure: the `append` operation discover offers for an object, which creates a new record per input record (no
 * key), with what HubSpot requires to create one marked `required` in its JSON schema (a one-of as `anyOf`), and a
 * deal's or ticket's pipeline and stage taking their labels as well as their ids. Naming a unique-value property
 * in the stream's `primary_key` turns an `append` stream into an upsert by it (streams.ts).
 */
import type { ObjectDescription, ObjectJsonSchema, PropertyJsonSchema } from "../../mapping/json-schema.js";
import type { DestinationOperation } from "./operations.js";
import type { Property } from "../../hubspot/types.js";

/** What a create of the object must carry, and the objects it must be linked to (for its description). */
export interface CreateNeeds {
  all: readonly string[];
  oneOf?: readonly string[] | undefined;
  links?: readonly string[] | undefined;
}

export function createOperation(description: ObjectDescription, needs: CreateNeeds): DestinationOperation {
  const names = Object.keys(description.properties);
  const required = needs.all.filter((name) => names.includes(name));
  const oneOf = (needs.oneOf ?? []).filter((name) => names.includes(name));
  const links = needs.links?.length
    ? ` Each must be linked to an existing ${needs.links.join(" and ")} (an associations entry of the stream).`
    : "";
  const schema: ObjectJsonSchema = {
    type: "object",
    additionalProperties: false,
    description: `Creates a new ${description.objectName} per record; set primary_key to a unique-value property to upsert by it instead.${links}`,
    properties: { ...description.properties },
    ...(required.length > 0 ? { required } : {}),
    ...(oneOf.length > 0 ? { anyOf: oneOf.map((name) => ({ required: [name] })) } : {}),
  };
  // No matching key: an append stream creates (a primary_key the user sets makes it an upsert by that key).
  return { object_name: description.objectName, sync_mode: "append", json_schema: schema, matching_keys: [] };
}

/**
 * A deal's or ticket's pipeline and stage take their option labels as well as their ids (pipeline-labels.ts):
 * their `enum` lists both. Mutates the description's schemas of those two properties.
 */
export function acceptPipelineLabels(
  description: ObjectDescription,
  properties: readonly Property[],
  fields: { pipeline: string; stage: string } | undefined,
): void {
  if (!fields) return;
  for (const name of [fields.pipeline, fields.stage]) {
    const schema: PropertyJsonSchema | undefined = description.properties[name];
    const options = properties.find((property) => property.name === name)?.options ?? [];
    if (!schema || options.length === 0) continue;
    const values = options.flatMap((option) => [option.value, ...(option.label ? [option.label] : [])]);
    schema.enum = [...new Set(values)];
    schema.description = `${schema.description ?? name}. An id or a label (any case).`;
  }
}
