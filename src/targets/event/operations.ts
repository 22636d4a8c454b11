/**
 * The DESTINATION_CATALOG operations for custom behavioral events: one `append` operation per live event
 * definition, named `event:<name>`, whose records carry the identifiers and the definition's properties side by
 * side; and the generic `EVENTS` operation, whose records name their event (Amplitude's shape: event_type,
 * event_properties, user_properties), sent as the `events` config maps them.
 */
import type { DestinationOperation } from "../../protocol/messages.js";
import { EVENT_OBJECT_PREFIX, type EventDefinition, GENERIC_EVENTS_OBJECT } from "./wire.js";
import { PROPERTY_TYPE_SCHEMAS } from "../../mapping/json-schema.js";

const IDENTIFIERS = {
  email: { type: "string", description: "The contact's email (contacts only)." },
  utk: { type: "string", description: "The HubSpot usertoken cookie of the visitor (contacts only)." },
  object_id: {
    type: "string",
    description: "The HubSpot record id; required for events on objects other than contacts.",
  },
  occurred_at: {
    type: "string",
    format: "date-time",
    description: "When it happened: ISO 8601 or epoch milliseconds. Empty: when HubSpot receives it.",
  },
  uuid: {
    type: "string",
    description:
      "The occurrence's unique id. Empty: derived from the record, so that a replay is not counted twice.",
  },
} as const;

export function eventOperations(definitions: readonly EventDefinition[]): DestinationOperation[] {
  const operations: DestinationOperation[] = definitions
    .filter((definition) => !definition.archived)
    .map((definition) => {
      const properties: Record<string, unknown> = {};
      for (const property of definition.properties) {
        const base = PROPERTY_TYPE_SCHEMAS[property.type];
        if (!base || property.name.startsWith("hs_")) continue;
        const options = property.options?.map((option) => option.value) ?? [];
        properties[property.name] =
          property.type === "enumeration" && options.length > 0 ? { ...base, enum: options } : { ...base };
      }
      return {
        object_name: `${EVENT_OBJECT_PREFIX}${definition.name}`,
        sync_mode: "append",
        json_schema: { type: "object", properties: { ...IDENTIFIERS, ...properties } },
      };
    });
  operations.push({
    object_name: GENERIC_EVENTS_OBJECT,
    sync_mode: "append",
    json_schema: {
      type: "object",
      required: ["event_type"],
      properties: {
        event_type: {
          type: "string",
          description: "The source event's name, matched against events.mappings.",
        },
        event_name: { type: "string", description: "Without mappings: the HubSpot event's internal name." },
        ...IDENTIFIERS,
        event_properties: {
          type: "object",
          description: "The event's properties; only mapped ones are sent.",
        },
        user_properties: { type: "object", description: "The user's properties; only mapped ones are sent." },
      },
    },
  });
  return operations;
}
