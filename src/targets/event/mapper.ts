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
import {
  ENVELOPE,
  EVENT_LIMITS,
  EVENT_OBJECT_PREFIX,
  type EventDefinition,
  GENERIC_EVENTS_OBJECT,
} from "./wire.js";
import type { MappedRecord, RecordMapper } from "../../contract.js";
import { isRawNumber } from "../../exact-json.js";
import { REJECTION_CODES as CODES, EVENT_REJECTION_CODES as EVENT_CODES } from "../../mapping/codes.js";
import { checkString, datetimeConverter, rawNumberProblem } from "../../mapping/convert-value.js";
import {
  checkMapping,
  type CompiledEvent,
  convertAll,
  eventConverter,
  problemRejection,
  reject,
} from "./properties.js";
import { deriveUuid } from "../../content-id.js";

/** Record fields that identify the event rather than being event properties. */
const IDENTITY_FIELDS = new Set([
  "email",
  "utk",
  "object_id",
  "occurred_at",
  "time",
  "uuid",
  "insert_id",
  "event_type",
  "event_name",
]);

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
  const byName = new Map(options.definitions.map((definition) => [definition.name, definition]));
  const byFullName = new Map(
    options.definitions.map((definition) => [definition.fullyQualifiedName, definition]),
  );
  const compiled = new Map<string, CompiledEvent>();
  const compile = (definition: EventDefinition): CompiledEvent => {
    let event = compiled.get(definition.name);
    if (!event) {
      event = {
        fullyQualifiedName: definition.fullyQualifiedName,
        primaryObject: (definition.primaryObject ?? "CONTACT").toUpperCase(),
        converters: new Map(
          definition.properties.map((property) => [
            property.name,
            eventConverter(property, options.dateTimeZone),
          ]),
        ),
      };
      if (definition.archived) {
        event.broken = {
          code: EVENT_CODES.EVENT_DEFINITION_ARCHIVED,
          message: `The HubSpot event ${definition.name} is archived and takes no occurrences.`,
        };
      }
      compiled.set(definition.name, event);
    }
    return event;
  };
  const time = datetimeConverter(options.dateTimeZone);
  const droppedProperties = new Map<string, number>();

  const mappings = options.events.mappings.map((mapping) => ({
    mapping,
    selected: selectedProperties(mapping),
    event: checkMapping(mapping, byName.get(mapping.event_name), compile),
  }));
  const generic = options.objectName === GENERIC_EVENTS_OBJECT;
  const own = generic ? undefined : ownDefinition(options.objectName, byName);
  const ownEvent = own ? compile(own) : undefined;

  return {
    droppedProperties,
    map(data): MappedRecord {
      if (typeof data !== "object" || data === null || Array.isArray(data)) {
        return reject(CODES.DATA_NOT_OBJECT, "The record's data is not an object.");
      }
      const record = data as Record<string, unknown>;
      let event: CompiledEvent;
      let properties: Record<string, string>;
      if (ownEvent) {
        event = ownEvent;
        const flat = Object.fromEntries(
          Object.entries(record).filter(
            ([name]) => !IDENTITY_FIELDS.has(name) && !name.startsWith("_airbyte_"),
          ),
        );
        const converted = convertAll(event, flat, options.unknownProperties);
        if (!converted.ok) return converted;
        properties = converted.properties;
      } else if (mappings.length > 0) {
        const sourceEvent = record.event_type ?? record.event_name;
        const eventProperties =
          objectField(record, "event_properties") ?? objectField(record, "properties") ?? {};
        const userProperties = objectField(record, "user_properties") ?? {};
        const found = mappings.find(({ mapping }) => mapping.source_event === sourceEvent);
        if (!found) return { ok: true, skip: true };
        const chosen = mappings.find(
          ({ mapping }) =>
            mapping.source_event === sourceEvent &&
            mapping.filters.every((filter) => eventProperties[filter.property] === filter.equals),
        );
        if (!chosen) return { ok: true, skip: true };
        event = chosen.event;
        if (event.broken) return { ok: false, rejection: event.broken };
        const selected: Record<string, unknown> = {};
        for (const property of chosen.selected.kept) {
          selected[property.name] = (property.from === "event" ? eventProperties : userProperties)[
            property.source
          ];
        }
        for (const name of chosen.selected.dropped) {
          const key = `${event.fullyQualifiedName}.${name}`;
          droppedProperties.set(key, (droppedProperties.get(key) ?? 0) + 1);
        }
        const converted = convertAll(event, selected, "reject");
        if (!converted.ok) return converted;
        properties = converted.properties;
      } else {
        // Without mappings only event_name names the HubSpot event: an `event_type` is the source's name for it
        // (Amplitude's "Signed Up"), which only events.mappings translate, never taken for a definition's name.
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
        const definition = byName.get(name) ?? byFullName.get(name);
        if (!definition) {
          return reject(
            EVENT_CODES.EVENT_DEFINITION_NOT_FOUND,
            `HubSpot has no event definition ${name}.`,
            "event_name",
          );
        }
        event = compile(definition);
        if (event.broken) return { ok: false, rejection: event.broken };
        const converted = convertAll(
          event,
          objectField(record, "properties") ?? objectField(record, "event_properties") ?? {},
          options.unknownProperties,
        );
        if (!converted.ok) return converted;
        properties = converted.properties;
      }

      const names = Object.keys(properties);
      if (names.length > EVENT_LIMITS.propertiesPerEvent) {
        names.sort();
        for (const name of names.slice(EVENT_LIMITS.propertiesPerEvent)) {
          delete properties[name];
          const key = `${event.fullyQualifiedName}.${name}`;
          droppedProperties.set(key, (droppedProperties.get(key) ?? 0) + 1);
        }
      }

      const ids = identifiers(record);
      if (!ids.ok) return ids;
      const email = ids.found.email?.trim().toLowerCase();
      const utk = ids.found.utk;
      const objectId = ids.found.object_id;
      if (event.primaryObject !== "CONTACT" && !objectId) {
        return reject(
          EVENT_CODES.MISSING_IDENTIFIER,
          `The event is attached to ${event.primaryObject} records: object_id is required.`,
          "object_id",
        );
      }
      if (!email && !utk && !objectId) {
        return reject(
          EVENT_CODES.MISSING_IDENTIFIER,
          "The record has none of email, utk or object_id to say whose event it is.",
          "email",
        );
      }
      const envelope: Record<string, string> = { [ENVELOPE.eventName]: event.fullyQualifiedName };
      if (email) envelope[ENVELOPE.email] = email;
      if (utk) envelope[ENVELOPE.utk] = utk;
      if (objectId) envelope[ENVELOPE.objectId] = objectId;
      const when = record.occurred_at ?? record.time;
      if (when !== undefined && when !== null && when !== "") {
        const converted = time(when);
        if (typeof converted !== "string") return problemRejection("occurred_at", converted);
        envelope[ENVELOPE.occurredAt] = converted;
      }
      const uuid = ids.found.uuid ?? ids.found.insert_id ?? deriveUuid(options.streamKey, record);
      return { ok: true, id: uuid, properties: { ...envelope, ...properties } };
    },
  };
}

function ownDefinition(objectName: string, byName: Map<string, EventDefinition>): EventDefinition {
  const name = objectName.slice(EVENT_OBJECT_PREFIX.length);
  const definition = objectName.startsWith(EVENT_OBJECT_PREFIX) ? byName.get(name) : undefined;
  if (!definition) {
    throw new ConfigError(
      `HubSpot has no event definition ${name || objectName}; run discover to see the events this account has.`,
    );
  }
  return definition;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== ""
    ? value
    : typeof value === "number" && Number.isFinite(value)
      ? String(value)
      : undefined;

const IDENTIFIERS = ["email", "utk", "object_id", "uuid", "insert_id"] as const;

/**
 * The record's identifiers as text (a string, or a number), each checked as any value is: not text that is not
 * valid Unicode, not a number no double stands for (an `object_id` of 20 digits would name another record).
 */
function identifiers(
  record: Record<string, unknown>,
): { ok: true; found: Partial<Record<(typeof IDENTIFIERS)[number], string>> } | ReturnType<typeof reject> {
  const found: Partial<Record<(typeof IDENTIFIERS)[number], string>> = {};
  for (const name of IDENTIFIERS) {
    const value = record[name];
    const given = text(value);
    const checked = isRawNumber(value) ? rawNumberProblem(value) : given && checkString(given);
    if (typeof checked === "object") return problemRejection(name, checked);
    if (checked) found[name] = checked;
  }
  return { ok: true, found };
}

function objectField(record: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = record[name];
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
