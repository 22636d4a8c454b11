/**
 * The HubSpot calls that create properties (`create_missing_properties`, targets/crm-object/properties/): the
 * portal's custom-property limits, an object's property groups, a group created, a property created or read by
 * name. https://developers.hubspot.com/docs/api-reference/latest/crm/properties/guide and
 * https://developers.hubspot.com/docs/api-reference/latest/crm/limits-tracking/get-custom-properties
 */
import * as z from "zod";
import type { ApiPaths } from "./api-paths.js";
import type { HubSpotRequest } from "./http-types.js";
import { type Property, PropertySchema } from "./types.js";

/** The client surface this module needs. */
export interface PropertiesTransport {
  readonly paths: Pick<ApiPaths, "properties" | "property" | "propertyGroups" | "customPropertyLimits">;
  request<T>(request: HubSpotRequest): Promise<{ status: number; body: T }>;
}

const LimitsSchema = z.looseObject({
  overallLimit: z.number(),
  overallUsage: z.number(),
  byObjectType: z
    .array(
      z.looseObject({
        objectTypeId: z.string(),
        limit: z.number(),
        usage: z.number(),
        pluralLabel: z.string().optional(),
      }),
    )
    .default([]),
});
export type CustomPropertyLimits = z.output<typeof LimitsSchema>;

const GroupsSchema = z.looseObject({
  results: z.array(z.looseObject({ name: z.string(), archived: z.boolean().optional() })),
});

/** A property as the create body takes it. */
export interface PropertyCreate {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  options?: ReadonlyArray<{ label: string; value: string; displayOrder: number; hidden: boolean }>;
}

export async function readCustomPropertyLimits(client: PropertiesTransport): Promise<CustomPropertyLimits> {
  const path = client.paths.customPropertyLimits();
  const { body } = await client.request<unknown>({ method: "GET", path });
  return LimitsSchema.parse(body);
}

/** The names of the object's live property groups. */
export async function listGroupNames(client: PropertiesTransport, objectType: string): Promise<Set<string>> {
  const path = client.paths.propertyGroups(objectType);
  const { body } = await client.request<unknown>({ method: "GET", path });
  const groups = GroupsSchema.parse(body).results.filter((group) => group.archived !== true);
  return new Set(groups.map((group) => group.name));
}

export async function createGroup(
  client: PropertiesTransport,
  objectType: string,
  group: { name: string; label: string },
): Promise<void> {
  const path = client.paths.propertyGroups(objectType);
  await client.request<unknown>({ method: "POST", path, json: { ...group, displayOrder: -1 } });
}

export async function createProperty(
  client: PropertiesTransport,
  objectType: string,
  property: PropertyCreate,
): Promise<Property> {
  const path = client.paths.properties(objectType);
  const { body } = await client.request<unknown>({ method: "POST", path, json: property });
  return PropertySchema.parse(body);
}

export async function readProperty(
  client: PropertiesTransport,
  objectType: string,
  name: string,
): Promise<Property> {
  const path = client.paths.property(objectType, name);
  const { body } = await client.request<unknown>({ method: "GET", path });
  return PropertySchema.parse(body);
}
