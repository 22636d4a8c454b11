/**
 * Custom behavioral events on the wire: limits, the names discover offers, the envelope a mapped occurrence
 * travels in, and event definitions (read, create, add a property); sending is sender.ts.
 * https://developers.hubspot.com/docs/api-reference/legacy/events/send-event-data/guide
 * https://developers.hubspot.com/docs/api-reference/legacy/events/define-events/guide
 */
import * as z from "zod";
import type { ApiPaths } from "../../hubspot/api-paths.js";
import type { HubSpotRequest } from "../../hubspot/http-types.js";

/** HubSpot's limits for custom events ("Limits" on the send-event-data guide). */
export const EVENT_LIMITS = {
  /** Occurrences per `/send/batch` request. */
  batchInputs: 500,
  /** Properties per occurrence, and custom properties per definition. */
  propertiesPerEvent: 50,
  /** Event and property internal names: a letter, then lowercase letters, digits and underscores. */
  nameLength: 50,
  /** Characters per property value; 1,024 for properties whose name contains url, referrer or link. */
  valueLength: 256,
  urlValueLength: 1024,
  definitionsPerAccount: 500,
  /** Requests per second to the send endpoints, which are exempt from the burst and daily limits. */
  sendsPerSecond: 1250,
} as const;

/** The catalog names of event operations: the generic one, and one per definition (`event:signed_up`). */
export const GENERIC_EVENTS_OBJECT = "EVENTS";
export const EVENT_OBJECT_PREFIX = "event:";

/**
 * A mapped occurrence travels through the write pipeline as `{id: uuid, properties}`, its envelope under keys that
 * no HubSpot property name can take (they start with `$`).
 */
export const ENVELOPE = {
  eventName: "$eventName",
  email: "$email",
  utk: "$utk",
  objectId: "$objectId",
  occurredAt: "$occurredAt",
} as const;

export const EventPropertySchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  label: z.string().optional(),
  options: z.array(z.looseObject({ value: z.union([z.string(), z.number()]).transform(String) })).optional(),
  archived: z.boolean().optional(),
});
export type EventProperty = z.output<typeof EventPropertySchema>;

export const EventDefinitionSchema = z.looseObject({
  name: z.string(),
  fullyQualifiedName: z.string(),
  labels: z.looseObject({ singular: z.string().optional() }).optional(),
  primaryObject: z.string().optional(),
  archived: z.boolean().optional(),
  properties: z.array(EventPropertySchema).default([]),
});
export type EventDefinition = z.output<typeof EventDefinitionSchema>;

const DefinitionListSchema = z.looseObject({
  results: z.array(EventDefinitionSchema),
  paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional(),
});

/** The client surface the events code needs. */
export interface EventsTransport {
  readonly paths: Pick<ApiPaths, "eventDefinitions" | "eventProperty" | "eventSendBatch">;
  request<T>(request: HubSpotRequest): Promise<{ status: number; body: T }>;
}

export async function listEventDefinitions(client: EventsTransport): Promise<EventDefinition[]> {
  const definitions: EventDefinition[] = [];
  let after: string | undefined;
  do {
    const query: Record<string, string> = { limit: "100", includeProperties: "true" };
    if (after) query.after = after;
    const path = client.paths.eventDefinitions();
    const { body } = await client.request<unknown>({ method: "GET", path, query });
    const page = DefinitionListSchema.parse(body);
    definitions.push(...page.results);
    after = page.paging?.next?.after;
  } while (after);
  return definitions;
}

export interface NewEventProperty {
  name: string;
  label: string;
  type: "string" | "number" | "bool" | "date" | "datetime" | "enumeration";
  options?: { label: string; value: string }[];
}

export async function createEventDefinition(
  client: EventsTransport,
  definition: { name: string; label: string; primaryObject: string; properties: NewEventProperty[] },
): Promise<EventDefinition> {
  const { body } = await client.request<unknown>({
    method: "POST",
    path: client.paths.eventDefinitions(),
    json: {
      name: definition.name,
      label: definition.label,
      primaryObject: definition.primaryObject,
      includeDefaultProperties: true,
      propertyDefinitions: definition.properties,
    },
  });
  return EventDefinitionSchema.parse(body);
}

export async function addEventProperty(
  client: EventsTransport,
  eventName: string,
  property: NewEventProperty,
) {
  const path = client.paths.eventProperty(eventName);
  await client.request<unknown>({ method: "POST", path, json: property });
}
