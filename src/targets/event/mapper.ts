/**
 * Pure record → custom-event occurrence conversion, for the generic `EVENTS` operation and for one operation per
 * event definition (`event:<name>`).
 *
 * 1. Compiled once per stream against the account's event definitions: each mapping is checked (its definition
 *    exists and is live, its properties exist with the types it says); a broken mapping rejects its records with
 *    the reason instead of failing the run.
 * 2. Per record: find the event (a mapping by `event_type`; without mappings `event_name` alone; or the stream's
 *    own definition), apply the filters (a record they leave out is skipped, not rejected), require an
 *    identifier, convert the time and each selected property by its type, keep at most 50 properties (by name
 *    order; the rest are counted).
 * 3. The uuid is the record's own or derived from its content (content-id.ts), so replays are no-ops.
 */
import type { EventsConfigType } from "../../config/events.js";
import { selectedProperties } from "./selected.js";
import { ConfigError } from "../../errors.js";
import type { MappedRecord, RecordMapper } from "../../contract.js";
import { REJECTION_CODES as CODES, EVENT_REJECTION_CODES as EVENT_CODES } from "../../mapping/codes.js";
import { datetimeConverter } from "../../mapping/convert-value.js";
import {
  countDropped,
  dropPastLimit,
  IDENTITY_FIELDS,
  objectField,
  type Occurrence,
  occurrenceOf,
} from "./occurrence.js";
import { checkMapping, type CompiledEvent, convertAll, eventConverter, reject } from "./properties.js";
import { EVENT_OBJECT_PREFIX, type EventDefinition, GENERIC_EVENTS_OBJECT } from "./wire.js";

export interface EventMappingOptions {
  /** `EVENTS` (generic) or `event:<name>` (one definition). */
  objectName: string;
  /** The stream key, part of a derived uuid. */
  streamKey: string;
  definitions: readonly EventDefinition[];
  events: EventsConfigType;
  unknownProperties: "reject" | "drop";
  dateTimeZone: string;
}

export interface EventMapper extends RecordMapper {
  /** Properties left out by the 50-property limit, per event and property name. */
  readonly droppedProperties: Map<string, number>;
}

export function compileEventMapping(options: EventMappingOptions): EventMapper {
  const catalog = new CompiledEvents(options.definitions, options.dateTimeZone);
  const time = datetimeConverter(options.dateTimeZone);
  const dropped = new Map<string, number>();
  const mappings: Mapping[] = options.events.mappings.map((mapping) => ({
    mapping,
    selected: selectedProperties(mapping),
    event: checkMapping(mapping, catalog.byName.get(mapping.event_name), (definition) =>
      catalog.compile(definition),
    ),
  }));
  const own =
    options.objectName === GENERIC_EVENTS_OBJECT
      ? undefined
      : catalog.compile(ownDefinition(options.objectName, catalog.byName));
  return {
    droppedProperties: dropped,
    map(data): MappedRecord {
      if (typeof data !== "object" || data === null || Array.isArray(data)) {
        return reject(CODES.DATA_NOT_OBJECT, "The record's data is not an object.");
      }
      const record = data as Record<string, unknown>;
      const chosen = own
        ? ownOccurrence(own, record, options.unknownProperties)
        : mappings.length > 0
          ? mappedOccurrence(mappings, record, dropped)
          : namedOccurrence(catalog, record, options.unknownProperties);
      if (!("event" in chosen)) return chosen;
      dropPastLimit(chosen, dropped);
      return occurrenceOf(record, chosen, { streamKey: options.streamKey, time });
    },
  };
}

/** A mapping of `events.mappings`, checked against the account's definition. */
interface Mapping {
  mapping: EventsConfigType["mappings"][number];
  selected: ReturnType<typeof selectedProperties>;
  event: CompiledEvent;
}

/** The account's event definitions by name, each compiled (its property converters) once per stream. */
class CompiledEvents {
  readonly byName: ReadonlyMap<string, EventDefinition>;
  readonly byFullName: ReadonlyMap<string, EventDefinition>;
  private readonly compiled = new Map<string, CompiledEvent>();

  constructor(
    definitions: readonly EventDefinition[],
    private readonly zone: string,
  ) {
    this.byName = new Map(definitions.map((definition) => [definition.name, definition]));
    this.byFullName = new Map(definitions.map((definition) => [definition.fullyQualifiedName, definition]));
  }

  compile(definition: EventDefinition): CompiledEvent {
    let event = this.compiled.get(definition.name);
    if (event) return event;
    const converters = definition.properties.map(
      (property) => [property.name, eventConverter(property, this.zone)] as const,
    );
    event = {
      fullyQualifiedName: definition.fullyQualifiedName,
      primaryObject: (definition.primaryObject ?? "CONTACT").toUpperCase(),
      converters: new Map(converters),
    };
    if (definition.archived) {
      event.broken = {
        code: EVENT_CODES.EVENT_DEFINITION_ARCHIVED,
        message: `The HubSpot event ${definition.name} is archived and takes no occurrences.`,
      };
    }
    this.compiled.set(definition.name, event);
    return event;
  }
}

/** The stream's own definition (`event:<name>`): the record's fields other than its identity are the properties. */
function ownOccurrence(
  event: CompiledEvent,
  record: Record<string, unknown>,
  unknown: "reject" | "drop",
): Occurrence | MappedRecord {
  const flat = Object.fromEntries(
    Object.entries(record).filter(([name]) => !IDENTITY_FIELDS.has(name) && !name.startsWith("_airbyte_")),
  );
  const converted = convertAll(event, flat, unknown);
  return converted.ok ? { event, properties: converted.properties } : converted;
}

/** `EVENTS` with mappings: the mapping of the record's `event_type` whose filters it passes, else skipped. */
function mappedOccurrence(
  mappings: readonly Mapping[],
  record: Record<string, unknown>,
  dropped: Map<string, number>,
): Occurrence | MappedRecord {
  const sourceEvent = record.event_type ?? record.event_name;
  const eventProperties = objectField(record, "event_properties") ?? objectField(record, "properties") ?? {};
  const userProperties = objectField(record, "user_properties") ?? {};
  if (!mappings.some(({ mapping }) => mapping.source_event === sourceEvent)) return { ok: true, skip: true };
  const chosen = mappings.find(
    ({ mapping }) =>
      mapping.source_event === sourceEvent &&
      mapping.filters.every((filter) => eventProperties[filter.property] === filter.equals),
  );
  if (!chosen) return { ok: true, skip: true };
  const { event } = chosen;
  if (event.broken) return { ok: false, rejection: event.broken };
  const selected: Record<string, unknown> = {};
  for (const property of chosen.selected.kept) {
    selected[property.name] = (property.from === "event" ? eventProperties : userProperties)[property.source];
  }
  for (const name of chosen.selected.dropped) countDropped(dropped, event, name);
  const converted = convertAll(event, selected, "reject");
  return converted.ok ? { event, properties: converted.properties } : converted;
}

/**
 * `EVENTS` without mappings: only `event_name` names the HubSpot event. An `event_type` is the source's name for
 * it (Amplitude's "Signed Up"), which only events.mappings translate, never taken for a definition's name.
 */
function namedOccurrence(
  catalog: CompiledEvents,
  record: Record<string, unknown>,
  unknown: "reject" | "drop",
): Occurrence | MappedRecord {
  const name = record.event_name;
  if (typeof name !== "string" || name.trim() === "") {
    return reject(
      EVENT_CODES.MISSING_EVENT_NAME,
      record.event_type === undefined
        ? "The record names no HubSpot event: set event_name."
        : "The record names no HubSpot event in event_name; its event_type is read only through events.mappings (source_event). Set event_name, or map the event_type in events.mappings.",
      "event_name",
    );
  }
  const definition = catalog.byName.get(name) ?? catalog.byFullName.get(name);
  if (!definition) {
    return reject(
      EVENT_CODES.EVENT_DEFINITION_NOT_FOUND,
      `HubSpot has no event definition ${name}.`,
      "event_name",
    );
  }
  const event = catalog.compile(definition);
  if (event.broken) return { ok: false, rejection: event.broken };
  const values = objectField(record, "properties") ?? objectField(record, "event_properties") ?? {};
  const converted = convertAll(event, values, unknown);
  return converted.ok ? { event, properties: converted.properties } : converted;
}

function ownDefinition(objectName: string, byName: ReadonlyMap<string, EventDefinition>): EventDefinition {
  const name = objectName.slice(EVENT_OBJECT_PREFIX.length);
  const definition = objectName.startsWith(EVENT_OBJECT_PREFIX) ? byName.get(name) : undefined;
  if (!definition) {
    throw new ConfigError(
      `HubSpot has no event definition ${name || objectName}; run discover to see the events this account has.`,
    );
  }
  return definition;
}
