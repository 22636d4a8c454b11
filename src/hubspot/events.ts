/**
 * Custom behavioral events on the wire: event definitions (read, create, add a property) and batched sends.
 * https://developers.hubspot.com/docs/api-reference/legacy/events/send-event-data/guide
 * https://developers.hubspot.com/docs/api-reference/legacy/events/define-events/guide
 */
import { z } from "zod";
import type { BatchSender, InputOutcome } from "../load/types.js";
import { type HubSpotErrorBody, rejectionFromError } from "./batch-errors.js";
import type { HubSpotRequest, RequestGate } from "./http.js";

export const EVENT_PATHS = {
  definitions: "/events/v3/event-definitions",
  definition: (name: string) => `/events/v3/event-definitions/${encodeURIComponent(name)}`,
  property: (name: string) => `/events/v3/event-definitions/${encodeURIComponent(name)}/property`,
  sendBatch: "/events/v3/send/batch",
} as const;

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
  request<T>(request: HubSpotRequest): Promise<{ status: number; body: T }>;
}

export async function listEventDefinitions(client: EventsTransport): Promise<EventDefinition[]> {
  const definitions: EventDefinition[] = [];
  let after: string | undefined;
  do {
    const query: Record<string, string> = { limit: "100", includeProperties: "true" };
    if (after) query.after = after;
    const { body } = await client.request<unknown>({ method: "GET", path: EVENT_PATHS.definitions, query });
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
    path: EVENT_PATHS.definitions,
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
  await client.request<unknown>({ method: "POST", path: EVENT_PATHS.property(eventName), json: property });
}

type Input = { traceId: string; id: string; properties: Record<string, string> };

/** Turns a pipeline input back into HubSpot's occurrence body. */
export function occurrenceBody(input: Input): Record<string, unknown> {
  const properties: Record<string, string> = {};
  const body: Record<string, unknown> = { uuid: input.id, properties };
  for (const [name, value] of Object.entries(input.properties)) {
    switch (name) {
      case ENVELOPE.eventName:
        body.eventName = value;
        break;
      case ENVELOPE.email:
        body.email = value;
        break;
      case ENVELOPE.utk:
        body.utk = value;
        break;
      case ENVELOPE.objectId:
        body.objectId = value;
        break;
      case ENVELOPE.occurredAt:
        body.occurredAt = value;
        break;
      default:
        properties[name] = value;
    }
  }
  return body;
}

/**
 * Sends occurrences in batches of up to 500. HubSpot answers 204 for a whole batch and gives no per-item result,
 * so a refused batch (400) is split in halves until each bad occurrence stands alone and is rejected with
 * HubSpot's message; the others go through. Replays are harmless: HubSpot keeps the first occurrence of a uuid.
 */
export function createEventSender(client: EventsTransport, gate: RequestGate): BatchSender {
  const send = async (inputs: readonly Input[]): Promise<Map<string, InputOutcome>> => {
    try {
      await client.request<unknown>({
        method: "POST",
        path: EVENT_PATHS.sendBatch,
        json: { inputs: inputs.map(occurrenceBody) },
        gate,
      });
      return new Map(inputs.map((input) => [input.traceId, { ok: true, created: true }]));
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status !== 400) throw error;
      if (inputs.length === 1) {
        const only = inputs[0] as Input;
        const body = (error as { body?: HubSpotErrorBody }).body ?? {};
        return new Map([[only.traceId, { ok: false, rejection: rejectionFromError(body, 400) }]]);
      }
      const middle = Math.ceil(inputs.length / 2);
      const left = await send(inputs.slice(0, middle));
      for (const [trace, outcome] of await send(inputs.slice(middle))) left.set(trace, outcome);
      return left;
    }
  };
  return (_target, inputs) => send(inputs);
}
