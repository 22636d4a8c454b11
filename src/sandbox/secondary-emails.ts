/**
 * Contacts' secondary email addresses. "The primary email of a contact is stored in the `email` property, while the
 * secondary email addresses are stored as a semi-colon separated list in the `hs_additional_emails` property.
 * Secondary email addresses can be used to look up contacts in the same way primary email addresses can" (HubSpot
 * staff, https://integrate.hubspot.com/t/email-or-pk-for-contact-api/11846). So the sandbox indexes them beside the
 * primary addresses: a read or upsert keyed by `email` finds the contact by either (store.ts), and an address either
 * holds is taken for every other contact (a create with it answers 409, as third parties saw live:
 * https://github.com/HubSpot/hubspot-api-nodejs/issues/545).
 *
 * Writable on create only: the same staff answer calls the property read-only, while a 2026 live test creates a
 * contact with it (rudder-transformer, `test/integrations/destinations/hs/live/setup.ts`); the sandbox follows the
 * newer evidence for creates and keeps it read-only on updates, where nothing shows HubSpot takes it.
 */
import type { ObjectState } from "./types.js";

export const SECONDARY_EMAILS = "hs_additional_emails";

/** The addresses of a `;`-separated value, trimmed, lower-cased, each once. */
export function splitEmails(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(";").map((part) => part.trim().toLowerCase()))].filter(Boolean);
}

/** True for the contacts object, the only one with secondary addresses. */
export const hasSecondaryEmails = (state: ObjectState) => state.definition.name === "contacts";

/** Keeps the secondary index in step when a contact's `hs_additional_emails` goes from `previous` to `next`. */
export function reindexSecondary(
  state: ObjectState,
  recordId: string,
  previous: string | undefined,
  next: string | undefined,
): void {
  for (const email of splitEmails(previous)) {
    if (state.secondary.get(email) === recordId) state.secondary.delete(email);
  }
  for (const email of splitEmails(next)) state.secondary.set(email, recordId);
}
