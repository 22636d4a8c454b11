/**
 * Unique values that collide, as HubSpot answers them (each shape's source below):
 *
 * - a value of a `hasUniqueValue` property that another record holds (or that an earlier input of the same batch
 *   claims): a property error, "already has that value" with the property's name, on a 400 (a third party's record
 *   of HubSpot's answer, GitHub file id 56364293834), one item of a 207 when every input has a trace id (inferred,
 *   as for any property error). Its code, `DUPLICATE_UNIQUE_PROPERTY_VALUE`, is HubSpot's import error for the same
 *   case (the Imports spec); HubSpot documents none for the objects API;
 * - a contact's email set to an address another contact holds, as its primary or a secondary address: 409 for the
 *   whole request, upserts included (legacy docs: "409 Conflict" for an email another contact has; a community
 *   thread: batch upsert "return 409 instead of 207"), with the CONTACT_EXISTS body (crm-inputs.ts `conflict`);
 * - two inputs of one batch that name one record, by the same key twice or by a contact's primary and secondary
 *   addresses: 400 for the whole request, "Duplicate IDs found in batch input" (the same key: a recorded answer;
 *   two keys of one record: inferred, Segment's PR #3969 saw HubSpot refuse a batch resolving two inputs to one);
 * - `hs_object_id` as the `idProperty` of an upsert or update, and an upsert without `idProperty`: HubSpot's two 400s
 *   (Segment PR #3957, measured on a live portal).
 */
import { conflict, propertyError, type InputError } from "./crm-inputs.js";
import { hasSecondaryEmails, SECONDARY_EMAILS, splitEmails } from "./secondary-emails.js";
import { error, type SandboxResponse } from "./responses.js";
import type { SandboxStore } from "./store.js";
import type { ObjectState, StoredRecord } from "./types.js";

export const RECORD_ID = "hs_object_id";

/** A unique value taken: by a record (its id), or by an earlier input of the batch (`input #n`). */
export interface TakenValue {
  property: string;
  value: string;
  holder: string;
}

/**
 * The first unique value in `stored` that another live record holds or an earlier input of the batch claimed; the
 * values of `stored` are claimed for `self` (a record id, or `input #n` for one the batch will create).
 */
export function takenValue(
  store: SandboxStore,
  state: ObjectState,
  stored: Record<string, string>,
  self: string,
  claimed: Map<string, string>,
): TakenValue | undefined {
  const wanted = uniqueValues(state, stored);
  for (const { property, value } of wanted) {
    const holder = store.lookup(state, value, property)?.id ?? claimed.get(`${property}=${value}`);
    if (holder !== undefined && holder !== self) return { property, value, holder };
  }
  for (const { property, value } of wanted) claimed.set(`${property}=${value}`, self);
  return undefined;
}

/** The unique values a write stores; a contact's secondary addresses count as emails (secondary-emails.ts). */
function uniqueValues(state: ObjectState, stored: Record<string, string>) {
  const values: Array<{ property: string; value: string }> = [];
  for (const property of state.unique.keys()) {
    const value = stored[property];
    if (value && property !== RECORD_ID) values.push({ property, value });
  }
  if (hasSecondaryEmails(state)) {
    for (const value of splitEmails(stored[SECONDARY_EMAILS])) values.push({ property: "email", value });
  }
  return values;
}

/** The property error of a taken unique value (a 400, or one item of a batch's errors). */
export function takenValueError(state: ObjectState, taken: TakenValue, portalId: number): InputError {
  const message = `${taken.value} is not unique: another ${state.definition.singular.toLowerCase()} (${taken.holder}) already has that value for ${taken.property}`;
  return propertyError({
    isValid: false,
    message,
    error: "DUPLICATE_UNIQUE_PROPERTY_VALUE",
    name: taken.property,
    localizedErrorMessage: message,
    portalId,
  });
}

/** An upsert must name its unique property; `hs_object_id` is none (upsert or update). */
export function idPropertyRefusal(
  state: ObjectState,
  idProperty: string | undefined,
  mode: "upsert" | "update",
  portalId: number,
): SandboxResponse | undefined {
  if (mode === "upsert" && !idProperty) {
    return error(
      400,
      "VALIDATION_ERROR",
      "Upserts in a single batch must specify its unique property using idProperty",
    );
  }
  if (!idProperty || (idProperty !== RECORD_ID && state.unique.has(idProperty))) return undefined;
  return error(
    400,
    "VALIDATION_ERROR",
    `Unable to perform update/upsert by non-unique ${state.definition.objectTypeId} property ${idProperty} in portal ID ${portalId}`,
  );
}

/** Two inputs whose keys differ but name one record (a contact's primary and secondary addresses). */
export function sameRecordRefusal(
  keys: Array<{ key: string; recordId: string | undefined }>,
): SandboxResponse | undefined {
  const byRecord = new Map<string, string[]>();
  for (const { key, recordId } of keys) {
    if (recordId !== undefined) byRecord.set(recordId, [...(byRecord.get(recordId) ?? []), key]);
  }
  const clashing = [...byRecord.values()].find((named) => named.length > 1);
  if (!clashing) return undefined;
  return error(
    400,
    "VALIDATION_ERROR",
    `Duplicate IDs found in batch input: [${clashing.join(", ")}]. IDs must be unique`,
    { context: { ids: clashing } },
  );
}

/**
 * What the unique values a write stores collide with: the whole request's answer (an email another contact holds,
 * 409; one of the contact's own secondary addresses, 501), the input's own error (another unique value taken), or
 * nothing. `self` is the record written, or `input #n` for one the request creates (single updates use it too).
 */
export function collisionOf(
  store: SandboxStore,
  state: ObjectState,
  record: StoredRecord | undefined,
  stored: Record<string, string>,
  self: string,
  claimed: Map<string, string>,
): SandboxResponse | InputError | undefined {
  const swap = ownSecondary(record, stored);
  if (swap) return swap;
  const taken = takenValue(store, state, stored, self, claimed);
  if (taken?.property === "email" && state.definition.name === "contacts") {
    return conflict(state, "email", taken.value, store.lookup(state, taken.value, "email") ?? taken.holder);
  }
  return taken ? takenValueError(state, taken, store.portalId) : undefined;
}

/**
 * A contact's email set to one of its own secondary addresses: refused, since what HubSpot then does (swap them?
 * keep the old primary as a secondary?) is not known.
 */
function ownSecondary(
  record: StoredRecord | undefined,
  stored: Record<string, string>,
): SandboxResponse | undefined {
  const email = stored.email;
  if (!record || !email || email === record.properties.email) return undefined;
  if (!splitEmails(record.properties[SECONDARY_EMAILS]).includes(email)) return undefined;
  return error(
    501,
    "NOT_IMPLEMENTED",
    `The sandbox does not know what HubSpot does when a write sets a contact's email to one of its own secondary addresses (${email} of contact ${record.id}), so it refuses the request rather than guess.`,
  );
}
