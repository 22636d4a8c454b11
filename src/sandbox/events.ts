/**
 * Custom behavioral events as HubSpot documents them
 * (https://developers.hubspot.com/docs/api-reference/legacy/events/define-events/guide,
 * https://developers.hubspot.com/docs/api-reference/legacy/events/send-event-data/guide): event definitions with
 * their properties, and occurrences sent one by one or in batches of up to 500.
 *
 * - Definition names: at most 50 chars, a letter first, then `[a-z0-9_]`; at most 50 custom properties each; at
 *   most 500 definitions per account. The fully qualified name is `pe{portalId}_{name}`.
 * - An occurrence needs `eventName` (a fully qualified name that exists and is not archived) and one of `utk`,
 *   `email`, `objectId` (objects other than contacts need `objectId`); at most 50 properties, each defined on the
 *   event, values at most 256 chars (1,024 for properties whose name holds url, referrer or link).
 * - A batch is all or nothing: one bad occurrence fails it with 400 and nothing is stored. HubSpot documents no
 *   per-item result for the batch endpoint, so the sandbox does not invent one.
 * - A `uuid` seen before is accepted and dropped ("the first will be accepted and all others will be rejected");
 *   no error is documented for it, so none is given.
 */
import { randomUUID } from "node:crypto";
import { type EventDefinition, parseTime } from "./event-shapes.js";

export type { EventDefinition, EventProperty } from "./event-shapes.js";
import type { WriteLedger } from "./ledger.js";
import { error, noContent, type SandboxResponse } from "./responses.js";

export const EVENT_LIMITS = {
  nameLength: 50,
  propertiesPerEvent: 50,
  propertiesPerDefinition: 50,
  definitionsPerAccount: 500,
  batchInputs: 500,
  valueLength: 256,
  urlValueLength: 1024,
} as const;

export interface EventOccurrence {
  eventName: string;
  uuid: string;
  email?: string;
  utk?: string;
  objectId?: string;
  occurredAt: string;
  properties: Record<string, string>;
  /** When the sandbox accepted it (epoch ms), for latency measurements. */
  receivedAt: number;
}

export class EventStore {
  readonly definitions = new Map<string, EventDefinition>();
  readonly occurrences: EventOccurrence[] = [];
  private readonly uuids = new Set<string>();
  /** Occurrences dropped because their uuid had been seen. */
  duplicates = 0;

  constructor(
    private readonly portalId: number,
    private readonly ledger?: WriteLedger,
  ) {}

  fullName(name: string): string {
    return `pe${this.portalId}_${name}`;
  }

  byFullName(fullyQualifiedName: string): EventDefinition | undefined {
    const prefix = `pe${this.portalId}_`;
    return fullyQualifiedName.startsWith(prefix)
      ? this.definitions.get(fullyQualifiedName.slice(prefix.length))
      : undefined;
  }

  /** Occurrences stored for an event (by short or fully qualified name). */
  list(eventName?: string): EventOccurrence[] {
    if (!eventName) return this.occurrences;
    const full = eventName.startsWith("pe") ? eventName : this.fullName(eventName);
    return this.occurrences.filter((occurrence) => occurrence.eventName === full);
  }

  /** `POST /events/v3/send` and `/send/batch`: all inputs valid, or a 400 naming the first problem. */
  send(inputs: unknown[]): SandboxResponse {
    if (inputs.length > EVENT_LIMITS.batchInputs) {
      return error(400, "VALIDATION_ERROR", `A batch can hold at most ${EVENT_LIMITS.batchInputs} events.`);
    }
    const accepted: EventOccurrence[] = [];
    for (const [index, input] of inputs.entries()) {
      const checked = this.check(input);
      if (typeof checked === "string") {
        return error(400, "VALIDATION_ERROR", inputs.length > 1 ? `inputs[${index}]: ${checked}` : checked);
      }
      accepted.push(checked);
    }
    for (const occurrence of accepted) {
      this.ledger?.receiveEvent(occurrence.uuid);
      if (this.uuids.has(occurrence.uuid)) {
        this.duplicates += 1;
        continue;
      }
      this.uuids.add(occurrence.uuid);
      this.occurrences.push(occurrence);
    }
    return noContent();
  }

  private check(input: unknown): EventOccurrence | string {
    if (typeof input !== "object" || input === null) return "Each event must be an object.";
    const event = input as Record<string, unknown>;
    const eventName = event.eventName;
    if (typeof eventName !== "string") return "eventName is required.";
    const definition = this.byFullName(eventName);
    if (!definition || definition.archived) return `Event ${eventName} does not exist.`;
    const text = (value: unknown) =>
      typeof value === "string" && value.length > 0
        ? value
        : typeof value === "number"
          ? String(value)
          : undefined;
    const email = text(event.email);
    const utk = text(event.utk);
    const objectId = text(event.objectId);
    if (!objectId && definition.primaryObject !== "CONTACT") {
      return `Event ${eventName} is for ${definition.primaryObject} records: objectId is required.`;
    }
    if (!email && !utk && !objectId)
      return "One of email, utk or objectId is required to identify the record.";
    const occurredAt =
      event.occurredAt === undefined ? new Date().toISOString() : parseTime(event.occurredAt);
    if (!occurredAt)
      return `occurredAt ${String(event.occurredAt)} is not an ISO 8601 date-time or epoch milliseconds.`;
    const raw = (event.properties ?? {}) as Record<string, unknown>;
    if (typeof raw !== "object" || Array.isArray(raw)) return "properties must be an object.";
    const names = Object.keys(raw);
    if (names.length > EVENT_LIMITS.propertiesPerEvent) {
      return `An event can carry at most ${EVENT_LIMITS.propertiesPerEvent} properties; this one has ${names.length}.`;
    }
    const properties: Record<string, string> = {};
    for (const name of names) {
      const property = definition.properties.find((candidate) => candidate.name === name);
      if (!property) return `Property ${name} does not exist on event ${eventName}.`;
      const value = String(raw[name]);
      const limit = /url|referrer|link/.test(name) ? EVENT_LIMITS.urlValueLength : EVENT_LIMITS.valueLength;
      if (value.length > limit)
        return `The value of ${name} is ${value.length} characters long; the limit is ${limit}.`;
      if (property.type === "number" && !/^-?\d+(\.\d+)?$/.test(value))
        return `${value} is not a valid number for ${name}.`;
      if (property.type === "enumeration" && !property.options.some((option) => option.value === value)) {
        return `${value} was not one of the allowed options for ${name}.`;
      }
      properties[name] = value;
    }
    const uuid = typeof event.uuid === "string" && event.uuid ? event.uuid : randomUUID();
    return {
      eventName,
      uuid,
      occurredAt,
      properties,
      receivedAt: Date.now(),
      ...(email ? { email: email.toLowerCase() } : {}),
      ...(utk ? { utk } : {}),
      ...(objectId ? { objectId } : {}),
    };
  }
}
