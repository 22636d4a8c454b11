/**
 * Properties created on demand (`create_missing_properties`, docs/properties.md), for the crm-object kind's
 * streams, before any record is read:
 *
 * 1. Each stream's declared fields that are not properties of its object are wanted (wanted.ts), typed from the
 *    stream's JSON schema (field-types.ts); a field HubSpot cannot take as a name is set aside: its records are
 *    rejected naming it, or it is dropped with a WARN when `unknown_properties` is `drop`.
 * 2. If anything is wanted, the portal's custom-property limits are read, and a run that would pass one fails
 *    with a ConfigError (limits.ts) before anything is created or written.
 * 3. Each such object's property groups are read: the connector's group is created only when missing.
 * 4. The wanted properties join the run's object catalog as HubSpot will define them, so the mappers, planners
 *    and stages built next know them.
 * 5. `open` (once every stream is checked, before the first record): the group, then each property, created one
 *    by one. A property that appeared meanwhile (409) is read back and must have the wanted type. A plan creates
 *    none: it lists them (`properties_to_create`) and counts the requests a write would make.
 * A later run finds them among the object's properties and creates nothing.
 */
import type { Config } from "../../../config/schema.js";
import type { PlanContext, RecordMapper, StreamSpec } from "../../../contract.js";
import type { PropertyPlan } from "../../../dry-run/planner.js";
import { ConfigError } from "../../../errors.js";
import { HubSpotApiError } from "../../../hubspot/api-errors.js";
import type { ObjectCatalog, ResolvedObject } from "../../../hubspot/objects.js";
import type { Property } from "../../../hubspot/types.js";
import { REJECTION_CODES as CODES } from "../../../mapping/codes.js";
import { streamKey } from "../../../protocol/stream-key.js";
import {
  createGroup,
  createProperty,
  listGroupNames,
  type PropertiesTransport,
  type PropertyCreate,
  readCustomPropertyLimits,
  readProperty,
} from "../../../hubspot/property-writes.js";
import { checkPropertyRoom } from "./limits.js";
import { describeNameRule, propertyLabel } from "./names.js";
import { type ObjectWants, type Unnamable, type WantedProperty, wantedProperties } from "./wanted.js";

export { propertyWriteScope } from "./scopes.js";

/** The property group created properties go in, created on each object that lacks it. */
export const PROPERTY_GROUP = { name: "destination_hubspot", label: "Destination HubSpot" } as const;

/** What preparing needs of the run (the crm-object kind hands its KindRun). */
export interface PropertiesRun {
  config: Config;
  client: PropertiesTransport;
  log: (level: "INFO" | "WARN", message: string) => void;
  /** Says what the run is doing now, for the message of a failure. */
  step(operation: string): void;
  objects: Pick<ObjectCatalog, "addProperties">;
  /** A plan: nothing is created, what would be is told here. */
  plan: { context: PlanContext & PropertyPlan } | undefined;
}

/** What the crm-object kind gets: its mappers wrapped for unnamable fields, and what to create before the first record. */
export interface PreparedProperties {
  mapperFor(spec: StreamSpec, mapper: RecordMapper): RecordMapper;
  open(): Promise<void>;
}

const NOTHING: PreparedProperties = { mapperFor: (_spec, mapper) => mapper, open: async () => {} };

export async function prepareProperties(
  specs: readonly StreamSpec[],
  objects: ReadonlyMap<string, ResolvedObject>,
  run: PropertiesRun,
): Promise<PreparedProperties> {
  const { config } = run;
  if (!config.create_missing_properties) return NOTHING;
  const streams = specs.map((spec) => {
    const object = objects.get(spec.objectName) as ResolvedObject;
    return {
      spec,
      objectType: object.objectType,
      existing: object.properties,
      linkFields: linkFields(run, spec),
    };
  });
  const { objects: wanted, unnamable } = wantedProperties(streams);
  reportUnnamable(run, unnamable);
  const creating = [...wanted.values()].filter((object) => object.properties.size > 0);
  if (creating.length > 0) {
    run.step("reading the portal's custom-property limits");
    checkPropertyRoom(await readCustomPropertyLimits(run.client), creating);
  }
  const missingGroup = new Set<string>();
  for (const object of creating) {
    run.step(`reading the property groups of ${object.objectName}`);
    const groups = await listGroupNames(run.client, object.objectType);
    if (!groups.has(PROPERTY_GROUP.name)) missingGroup.add(object.objectName);
    run.objects.addProperties(object.objectName, definitionsOf(object));
  }
  if (run.plan) {
    planCreates(run, creating, missingGroup);
    return { mapperFor: wrapper(unnamable), open: async () => {} };
  }
  return { mapperFor: wrapper(unnamable), open: () => createAll(run, creating, missingGroup) };
}

/** The fields the config's association entries read from this stream's records. */
const linkFields = (run: PropertiesRun, spec: StreamSpec) =>
  new Set(
    run.config.associations
      .filter((entry) => streamKey(entry.stream, entry.namespace) === spec.key)
      .map((entry) => entry.field),
  );

/** The create body of a wanted property. */
const bodyOf = (property: WantedProperty): PropertyCreate => ({
  name: property.name,
  label: propertyLabel(property.name),
  type: property.shape.type,
  fieldType: property.shape.fieldType,
  groupName: PROPERTY_GROUP.name,
  ...(property.shape.options ? { options: property.shape.options } : {}),
});

/** Step 4: the definitions as HubSpot will hold them. */
function definitionsOf(object: ObjectWants): Property[] {
  return [...object.properties.values()].map((property) => {
    const body = bodyOf(property);
    return {
      ...body,
      options: (body.options ?? []).map((option) => ({ ...option })),
      hasUniqueValue: false,
      calculated: false,
      modificationMetadata: { readOnlyValue: false },
    } as Property;
  });
}

/** Step 5: the group where missing, then the properties. */
async function createAll(
  run: PropertiesRun,
  creating: readonly ObjectWants[],
  missingGroup: ReadonlySet<string>,
) {
  for (const object of creating) {
    run.step(`creating the missing properties of ${object.objectName}`);
    if (missingGroup.has(object.objectName)) await createGroupIfMissing(run, object);
    for (const property of object.properties.values()) await createOne(run, object, bodyOf(property));
    const list = [...object.properties.values()].map((p) => `${p.name} (${p.shape.type})`).join(", ");
    run.log(
      "INFO",
      `Created ${object.properties.size} properties of ${object.objectName} in group ${PROPERTY_GROUP.name}: ${list}.`,
    );
  }
}

const alreadyExists = (error: unknown) => error instanceof HubSpotApiError && error.status === 409;

async function createGroupIfMissing(run: PropertiesRun, object: ObjectWants): Promise<void> {
  try {
    await createGroup(run.client, object.objectType, PROPERTY_GROUP);
  } catch (error) {
    if (!alreadyExists(error)) throw error; // made meanwhile by another run: it is there, as wanted
  }
}

async function createOne(run: PropertiesRun, object: ObjectWants, body: PropertyCreate): Promise<void> {
  try {
    await createProperty(run.client, object.objectType, body);
  } catch (error) {
    if (!alreadyExists(error)) throw error;
    // Made meanwhile (another run, a person): usable only if it has the type the records were mapped for.
    const found = await readProperty(run.client, object.objectType, body.name);
    if (found.type === body.type) return;
    throw new ConfigError(
      `Property ${body.name} of ${object.objectName} appeared in HubSpot while this run started, as ${found.type} rather than ${body.type}; run again to write it as it now is.`,
    );
  }
}

/** In a plan: what a write would create, and the requests it would make for it. */
function planCreates(
  run: PropertiesRun,
  creating: readonly ObjectWants[],
  missingGroup: ReadonlySet<string>,
) {
  const context = run.plan?.context;
  if (!context) return;
  for (const object of creating) {
    const groupRequest = missingGroup.has(object.objectName) ? 1 : 0;
    context.wouldRequest(undefined, groupRequest + object.properties.size);
    for (const property of object.properties.values()) {
      const { type, fieldType } = property.shape;
      context.wouldCreateProperty({ object: object.objectName, name: property.name, type, fieldType });
    }
  }
}

/** Step 1's WARN for dropped fields. */
function reportUnnamable(run: PropertiesRun, unnamable: ReadonlyMap<string, Unnamable>): void {
  if (run.config.unknown_properties !== "drop") return;
  for (const [stream, fields] of unnamable) {
    const list = [...fields].map(([name, why]) => `${name} (${why})`).join(", ");
    run.log(
      "WARN",
      `Stream ${stream}: ${list} cannot be created as HubSpot properties (${describeNameRule()}); unknown_properties is drop, so these fields are left out of every record.`,
    );
  }
}

/** Records carrying an unnamable field are rejected naming it and why, rather than as merely unknown. */
function wrapper(unnamable: ReadonlyMap<string, Unnamable>) {
  return (spec: StreamSpec, mapper: RecordMapper): RecordMapper => {
    const fields = unnamable.get(spec.key);
    if (!fields || fields.size === 0) return mapper;
    return {
      merge: mapper.merge?.bind(mapper),
      map(data) {
        const mapped = mapper.map(data);
        if (mapped.ok || mapped.rejection.code !== CODES.UNKNOWN_PROPERTY) return mapped;
        const why = mapped.rejection.field === undefined ? undefined : fields.get(mapped.rejection.field);
        if (why === undefined) return mapped;
        const field = mapped.rejection.field as string;
        const message = `${field} is not a property of ${spec.objectName}, and create_missing_properties cannot create it: the name ${why} (HubSpot takes ${describeNameRule()}). Rename the field in the source, or set unknown_properties to drop.`;
        return { ok: false, rejection: { code: CODES.INVALID_PROPERTY_NAME, message, field } };
      },
    };
  };
}
