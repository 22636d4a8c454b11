/**
 * A custom event occurrence as the pipeline carries it: `{id: uuid, properties}`, the event's properties with its
 * envelope (the event's name, whose it is, when it happened) under keys no HubSpot property name can take (wire.ts
 * `ENVELOPE`). At most 50 properties (by name order; the rest are counted); an identifier is required; the uuid is
 * the record's own or derived from its content (content-id.ts), so replays are no-ops.
 */
import { deriveUuid } from "../../content-id.js";
import type { MappedRecord } from "../../contract.js";
import { isRawNumber } from "../../exact-json.js";
import { EVENT_REJECTION_CODES as EVENT_CODES } from "../../mapping/codes.js";
import { checkString, type Converter, rawNumberProblem } from "../../mapping/convert-value.js";
import { type CompiledEvent, problemRejection, reject } from "./properties.js";
import { ENVELOPE, EVENT_LIMITS } from "./wire.js";

/** Record fields that identify the event rather than being event properties. */
export const IDENTITY_FIELDS = new Set([
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

/** The event a record is an occurrence of, with its converted properties. */
export interface Occurrence {
  event: CompiledEvent;
  properties: Record<string, string>;
}

/** Counts a property left out of an occurrence, per event and property name. */
export function countDropped(dropped: Map<string, number>, event: CompiledEvent, name: string): void {
  const key = `${event.fullyQualifiedName}.${name}`;
  dropped.set(key, (dropped.get(key) ?? 0) + 1);
}

/** Keeps HubSpot's 50 properties, the first by name, and counts the rest. */
export function dropPastLimit({ event, properties }: Occurrence, dropped: Map<string, number>): void {
  const names = Object.keys(properties);
  if (names.length <= EVENT_LIMITS.propertiesPerEvent) return;
  names.sort();
  for (const name of names.slice(EVENT_LIMITS.propertiesPerEvent)) {
    delete properties[name];
    countDropped(dropped, event, name);
  }
}

/** The occurrence with its envelope: whose event it is (an identifier the event's object needs), when, its uuid. */
export function occurrenceOf(
  record: Record<string, unknown>,
  { event, properties }: Occurrence,
  parts: { streamKey: string; time: Converter },
): MappedRecord {
  const ids = identifiers(record);
  if (!ids.ok) return ids;
  const email = ids.found.email?.trim().toLowerCase();
  const { utk, object_id: objectId } = ids.found;
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
    const converted = parts.time(when);
    if (typeof converted !== "string") return problemRejection("occurred_at", converted);
    envelope[ENVELOPE.occurredAt] = converted;
  }
  const uuid = ids.found.uuid ?? ids.found.insert_id ?? deriveUuid(parts.streamKey, record);
  return { ok: true, id: uuid, properties: { ...envelope, ...properties } };
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

export function objectField(
  record: Record<string, unknown>,
  name: string,
): Record<string, unknown> | undefined {
  const value = record[name];
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
