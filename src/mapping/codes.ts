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
