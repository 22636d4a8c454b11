/**
 * How the seed files write an object: a property as `[name, type, extra]`, its fieldType from its type unless given,
 * every object's read-only system properties, HubSpot's default group, and the usual scopes.
 */
import type { ObjectPolicy, ObjectScopes, SeedGroup, SeedObject, SeedProperty } from "./seed-shapes.js";

export type Spec = [
  name: string,
  type: SeedProperty["type"],
  extra?: Partial<SeedProperty> & { values?: string[] },
];

const FIELD_TYPES: Record<SeedProperty["type"], string> = {
  number: "number",
  bool: "booleancheckbox",
  date: "date",
  datetime: "date",
  enumeration: "select",
  phone_number: "phonenumber",
  string: "text",
};

function property([name, type, extra = {}]: Spec, hubspotDefined: boolean, groupName: string): SeedProperty {
  const { values, ...rest } = extra;
  return {
    name,
    label: name.replace(/_/g, " ").replace(/^./, (first) => first.toUpperCase()),
    type,
    fieldType: FIELD_TYPES[type],
    groupName,
    options: (values ?? (type === "bool" ? ["true", "false"] : [])).map((value) => ({ label: value, value })),
    hasUniqueValue: false,
    calculated: false,
    hidden: false,
    hubspotDefined,
    readOnly: false,
    ...rest,
  };
}

/** Read-only properties every object has; activities carry `hs_createdate` instead of `createdate`. */
function system(policy: ObjectPolicy): Spec[] {
  return [
    ["hs_object_id", "number", { readOnly: true, hasUniqueValue: true }],
    [policy.createdProperty, "datetime", { readOnly: true }],
    ["hs_lastmodifieddate", "datetime", { readOnly: true }],
    // "The list of record IDs that have been merged into this record" (a multiple checkbox of ids).
    ...(policy.mergeable
      ? [["hs_merged_object_ids", "enumeration", { fieldType: "checkbox", readOnly: true }] as Spec]
      : []),
  ];
}

/**
 * HubSpot's default group per object: `contactinformation`, `dealinformation` (D-PROP examples), the same pattern for
 * the other standard objects (inferred), `{name}_information` for a custom object (inferred).
 */
function defaultGroup(base: Pick<SeedObject, "custom" | "name" | "singular">): SeedGroup {
  const name = base.custom
    ? `${base.name}_information`
    : `${base.singular.toLowerCase().replace(/ /g, "")}information`;
  return { name, label: `${base.singular} information`, displayOrder: 0 };
}

export type ObjectBase = Omit<SeedObject, "properties" | "groups">;

/** An object with the system properties, HubSpot's own properties, and the portal's custom ones. */
export function object(base: ObjectBase, builtIn: Spec[], custom: Spec[] = []): SeedObject {
  const group = defaultGroup(base);
  return {
    ...base,
    groups: [group],
    properties: [
      ...[...system(base.policy), ...builtIn].map((spec) => property(spec, !base.custom, group.name)),
      ...custom.map((spec) => property(spec, false, group.name)),
    ],
  };
}

/** The scopes of most objects: `crm.objects.{name}.read|write`, `crm.schemas.{name}.read|write`. */
export function standardScopes(name: string): ObjectScopes {
  return {
    read: [`crm.objects.${name}.read`],
    write: [`crm.objects.${name}.write`],
    schemaRead: [`crm.schemas.${name}.read`, `crm.objects.${name}.read`],
    schemaWrite: [`crm.schemas.${name}.write`],
  };
}

/** A policy with the usual defaults: records dated by `createdate`, not merged, no pipeline. */
export function policy(
  scopes: ObjectScopes,
  shown: { read: string[]; search?: string[]; searchable?: string[] },
  extra: Partial<ObjectPolicy> = {},
): ObjectPolicy {
  return {
    scopes,
    defaultProperties: shown.read,
    searchDefaults: shown.search ?? shown.read,
    searchable: shown.searchable ?? shown.read,
    createdProperty: "createdate",
    mergeable: false,
    ...extra,
  };
}
