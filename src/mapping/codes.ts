/**
 * The connector's own rejection codes for records it refuses before sending (HubSpot's own codes, such as
 * INVALID_EMAIL, come back from the API and are stored as HubSpot gave them).
 */
export const REJECTION_CODES = {
  /** The record's `data` is not a JSON object. */
  DATA_NOT_OBJECT: "DATA_NOT_OBJECT",
  /** The matching-key property is absent, null or blank. */
  MISSING_MATCHING_KEY: "MISSING_MATCHING_KEY",
  /** A field that is not a property of the object (with `unknown_properties: reject`). */
  UNKNOWN_PROPERTY: "UNKNOWN_PROPERTY",
  /**
   * A field that is not a property of the object and that `create_missing_properties` cannot create: its name
   * is not one HubSpot takes (lowercase letters, digits and _, a letter first, at most 100 characters).
   */
  INVALID_PROPERTY_NAME: "INVALID_PROPERTY_NAME",
  /** A field HubSpot computes or does not let the API write. */
  READ_ONLY_PROPERTY: "READ_ONLY_PROPERTY",
  INVALID_NUMBER: "INVALID_NUMBER",
  INVALID_BOOLEAN: "INVALID_BOOLEAN",
  /** A date property given something that is not a calendar date (or a timestamp with a time of day). */
  INVALID_DATE: "INVALID_DATE",
  INVALID_DATETIME: "INVALID_DATETIME",
  /** An enumeration value that is not one of the property's option values. */
  INVALID_OPTION: "INVALID_OPTION",
  /** A string with unpaired UTF-16 surrogates, which cannot be sent as valid UTF-8. */
  INVALID_STRING: "INVALID_STRING",
  /** A value over HubSpot's 65,536-character limit for property values. */
  VALUE_TOO_LONG: "VALUE_TOO_LONG",
  /** A create without a property HubSpot requires to create a record of the object (HubSpot's own code). */
  REQUIRED_PROPERTY: "REQUIRED_PROPERTY",
  /** An email address HubSpot would surely refuse (HubSpot's own code for it, so local and remote agree). */
  INVALID_EMAIL: "INVALID_EMAIL",
  /** A record id (`hs_object_id`) that cannot be one: text, a fraction, zero or less, past 2^63 − 1, leading zeros. */
  INVALID_RECORD_ID: "INVALID_RECORD_ID",
} as const;

export type RejectionCode = (typeof REJECTION_CODES)[keyof typeof REJECTION_CODES];

/** A value that could not be converted: the code and what is wrong, without the property name. */
export interface ValueProblem {
  readonly code: RejectionCode;
  readonly problem: string;
}

export const problem = (code: RejectionCode, text: string): ValueProblem => ({ code, problem: text });

/** A short, safe rendering of a value for messages: never the whole of a long value. */
export function describeValue(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Rejection codes of the event mapping. */
export const EVENT_REJECTION_CODES = {
  /** None of email, utk, object_id (or no object_id for an event on another object than contacts). */
  MISSING_IDENTIFIER: "MISSING_IDENTIFIER",
  /** A record of the generic EVENTS stream that names no event. */
  MISSING_EVENT_NAME: "MISSING_EVENT_NAME",
  /** The HubSpot event definition does not exist (and the connector was not asked to create it). */
  EVENT_DEFINITION_NOT_FOUND: "EVENT_DEFINITION_NOT_FOUND",
  /** The event definition is archived: HubSpot takes no occurrences for it. */
  EVENT_DEFINITION_ARCHIVED: "EVENT_DEFINITION_ARCHIVED",
  /** The definition already has the property with another type than the mapping asks for. */
  PROPERTY_TYPE_CLASH: "PROPERTY_TYPE_CLASH",
  /** A property or event name HubSpot cannot take (50 chars of [a-z0-9_], a letter first). */
  INVALID_NAME: "INVALID_NAME",
} as const;
