/**
 * Makes the account's event definitions fit the configured mappings before any record is read, when
 * `events.create_definitions` allows it: a missing definition is created with the mapping's properties, a missing
 * property is added. What cannot be fixed this way (a type clash, an archived definition, the 500-definition cap)
 * is left for the mapper, which rejects the affected records with the reason. A dry run (`write --plan`) changes
 * nothing: it says what a write would create and answers the definitions as they would then be.
 */
import type { EventMappingConfig, EventsConfigType } from "../../config/events.js";
import { EVENT_PROPERTY_NAME_MAX, propertyLabel } from "../crm-object/properties/names.js";
import { selectedProperties } from "./selected.js";
import {
  addEventProperty,
  createEventDefinition,
  EVENT_LIMITS,
  type EventDefinition,
  type EventsTransport,
  listEventDefinitions,
  type NewEventProperty,
} from "./wire.js";

type Log = (level: "INFO" | "WARN", message: string) => void;

const propertiesOf = (mapping: EventMappingConfig): NewEventProperty[] =>
  selectedProperties(mapping).kept.map(({ name, type }) => ({
    name,
    label: propertyLabel(name, EVENT_PROPERTY_NAME_MAX),
    type,
  }));

export async function prepareEventDefinitions(
  client: EventsTransport,
  events: EventsConfigType,
  log: Log,
  options: { dryRun?: boolean } = {},
): Promise<EventDefinition[]> {
  const definitions = await listEventDefinitions(client);
  if (!events.create_definitions || events.mappings.length === 0) return definitions;
  const fitting: Fitting = {
    client,
    log,
    dryRun: options.dryRun === true,
    byName: new Map(definitions.map((definition) => [definition.name, definition])),
    changed: false,
  };
  for (const mapping of events.mappings) {
    const existing = fitting.byName.get(mapping.event_name);
    if (!existing) await createDefinition(fitting, mapping);
    else if (!existing.archived) await addProperties(fitting, mapping, existing);
  }
  return fitting.changed && !fitting.dryRun ? listEventDefinitions(client) : [...fitting.byName.values()];
}

/** What fitting the definitions to the mappings works over. */
interface Fitting {
  client: EventsTransport;
  log: Log;
  /** A plan: nothing is created, what would be is said, and the definitions answered as they would be. */
  dryRun: boolean;
  byName: Map<string, EventDefinition>;
  changed: boolean;
}

/** A mapping's missing definition, created with its properties (within the account's cap). */
async function createDefinition(fitting: Fitting, mapping: EventMappingConfig): Promise<void> {
  const { byName, dryRun, log } = fitting;
  if (byName.size >= EVENT_LIMITS.definitionsPerAccount) {
    log(
      "WARN",
      `Cannot create the HubSpot event ${mapping.event_name}: the account already has ${EVENT_LIMITS.definitionsPerAccount} event definitions.`,
    );
    return;
  }
  const wanted = propertiesOf(mapping);
  const definition = {
    name: mapping.event_name,
    label: mapping.label ?? mapping.source_event.slice(0, 100),
    primaryObject: mapping.primary_object,
    properties: wanted,
  };
  const created = dryRun
    ? plannedDefinition(definition)
    : await createEventDefinition(fitting.client, definition);
  byName.set(created.name, created);
  fitting.changed = true;
  const would = dryRun ? "Plan: a write would have c" : "C";
  log(
    "INFO",
    `${would}reated the HubSpot event ${created.fullyQualifiedName} with ${wanted.length} properties.`,
  );
}

/** A live definition's missing properties, added (within HubSpot's 50 per event). */
async function addProperties(
  fitting: Fitting,
  mapping: EventMappingConfig,
  existing: EventDefinition,
): Promise<void> {
  const { dryRun, log } = fitting;
  const missing = propertiesOf(mapping).filter(
    (property) => !existing.properties.some((candidate) => candidate.name === property.name),
  );
  const room = EVENT_LIMITS.propertiesPerEvent - existing.properties.length;
  for (const [index, property] of missing.entries()) {
    if (index >= room) {
      log(
        "WARN",
        `Cannot add property ${property.name} to the HubSpot event ${existing.name}: it already has ${EVENT_LIMITS.propertiesPerEvent} properties.`,
      );
      continue;
    }
    if (dryRun) existing.properties.push({ name: property.name, type: property.type });
    else await addEventProperty(fitting.client, existing.name, property);
    fitting.changed = true;
    const would = dryRun ? "Plan: a write would have a" : "A";
    log(
      "INFO",
      `${would}dded property ${property.name} (${property.type}) to the HubSpot event ${existing.name}.`,
    );
  }
}

/** A definition as HubSpot would create it, for a dry run (its portal prefix is not known without creating it). */
function plannedDefinition(definition: {
  name: string;
  label: string;
  primaryObject: string;
  properties: NewEventProperty[];
}): EventDefinition {
  return {
    name: definition.name,
    fullyQualifiedName: definition.name,
    labels: { singular: definition.label },
    primaryObject: definition.primaryObject,
    properties: definition.properties.map(({ name, type }) => ({ name, type })),
  };
}
