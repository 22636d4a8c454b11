/**
 * The `events` part of the config: how product-analytics events become HubSpot custom behavioral events,
 * Amplitude-style. Nothing is sent unless selected: each mapping names a source event, the HubSpot event it
 * becomes, and the event and user properties it carries.
 */
import * as z from "zod";

const INTERNAL_NAME = /^[a-z][a-z0-9_]{0,49}$/;
const internalName = (title: string, description: string) =>
  z
    .string()
    .regex(
      INTERNAL_NAME,
      "must be at most 50 characters: a lowercase letter, then lowercase letters, digits or _",
    )
    .meta({ title, description });

export const EVENT_PROPERTY_TYPES = ["string", "number", "bool", "date", "datetime"] as const;

const SelectedProperty = z
  .object({
    source: z
      .string()
      .min(1)
      .meta({ title: "Source Property", description: "The property's name in the source event." }),
    name: internalName(
      "HubSpot Property",
      "The HubSpot event property it is sent as (default: the source name).",
    ).optional(),
    type: z.enum(EVENT_PROPERTY_TYPES).default("string").meta({
      title: "Type",
      description: "The property's type, used when the connector creates it on the event definition.",
    }),
  })
  .meta({ title: "Property" });

const Filter = z
  .object({
    property: z
      .string()
      .min(1)
      .meta({ title: "Property", description: "An event property of the source event." }),
    equals: z.union([z.string(), z.number(), z.boolean()]).meta({ title: "Equals" }),
  })
  .meta({ title: "Filter", description: "Send only events whose property has this value." });

export const EventMapping = z
  .object({
    source_event: z.string().min(1).meta({
      title: "Source Event",
      description: "The event_type of the source records this mapping sends, e.g. Signed Up.",
    }),
    event_name: internalName(
      "HubSpot Event Name",
      "The event's internal name; it is sent as pe{portalId}_{name}.",
    ),
    label: z
      .string()
      .max(100)
      .optional()
      .meta({ title: "Label", description: "The label of a created definition." }),
    primary_object: z.enum(["CONTACT", "COMPANY", "DEAL", "TICKET"]).default("CONTACT").meta({
      title: "Primary Object",
      description: "The record type the event is attached to (other than CONTACT, records need object_id).",
    }),
    event_properties: z.array(SelectedProperty).max(50).default([]).meta({ title: "Event Properties" }),
    user_properties: z.array(SelectedProperty).max(50).default([]).meta({ title: "User Properties" }),
    filters: z.array(Filter).default([]).meta({ title: "Filters", description: "All must match." }),
  })
  .meta({ title: "Event Mapping" });
export type EventMappingConfig = z.output<typeof EventMapping>;

export const EventsConfig = z
  .object({
    mappings: z.array(EventMapping).default([]).meta({
      title: "Event Mappings",
      order: 0,
      description:
        "Which source events of the EVENTS stream to send, and how. Empty: records name their HubSpot event themselves (event_name).",
    }),
    create_definitions: z.boolean().default(false).meta({
      title: "Create Event Definitions",
      order: 1,
      description:
        "Create a mapping's missing event definition, and add its missing properties, before sending.",
    }),
    batch_size: z.number().int().min(1).max(500).default(500).meta({
      title: "Events per Request",
      order: 2,
      description: "Occurrences per /events/v3/send/batch request (HubSpot allows 500).",
    }),
    linger_ms: z.number().int().min(0).max(60_000).default(200).meta({
      title: "Event Linger (ms)",
      order: 3,
      description: "How long a partly filled event batch may wait before it is sent: the latency floor.",
    }),
  })
  .meta({ title: "Custom Behavioral Events", order: 11 });
export type EventsConfigType = z.output<typeof EventsConfig>;
