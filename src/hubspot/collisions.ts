/**
 * Unique values that collide, read from HubSpot's answers (docs/crm.md "Collisions"):
 *
 * - a value of a unique-value property another record holds: a property error `DUPLICATE_UNIQUE_PROPERTY_VALUE`
 *   naming the property (one item of a 207, or the whole 400 of a batch that cannot be written in part). HubSpot
 *   documents that code for imports (https://developers.hubspot.com/docs/api-reference/crm-imports-v3/guide); the
 *   objects API's exact body is not published. Rejected as `UNIQUE_VALUE_TAKEN`, naming the property;
 * - a contact's email that another contact owns (as its primary or a secondary address): 409 for the whole batch,
 *   `error: CONTACT_EXISTS`, `errors[].in: "email"`, "A contact with email … already exists"
 *   (https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis, and HubSpot's "Updated 409
 *   Conflict responses" community post). Rejected as `EMAIL_TAKEN`, naming `email`;
 * - two inputs of one batch that name one record (a contact's primary and secondary addresses): a 400
 *   VALIDATION_ERROR "Duplicate IDs found in batch input" whose `context.ids` lists the keys (`sameRecordKeys`).
 *
 * A collision is about one record's value, never the batch's content as a whole: the inputs that carry the value
 * are found (`collisionCarriers`) and only they are taken out, without bisecting the batch.
 */
import { COLLISION_CODES, type WireInput } from "../contract.js";

/** HubSpot's error body, as far as collisions read it (batch-errors.ts `HubSpotErrorBody`, which uses this module). */
interface HubSpotErrorBody {
  category?: unknown;
  message?: unknown;
  error?: unknown;
  context?: unknown;
  errors?: unknown;
}

/** HubSpot's code for a unique value another record holds (the Imports API's name for it). */
const TAKEN_VALUE_CODE = "DUPLICATE_UNIQUE_PROPERTY_VALUE";

/** The codes and categories of HubSpot's 409 for a record that already exists (older bodies: CONFLICT). */
const EXISTS = new Set(["CONTACT_EXISTS", "OBJECT_ALREADY_EXISTS", "CONFLICT"]);

/**
 * The collision code for HubSpot's code of a refusal, its status and the property it names; undefined when it is
 * no collision. A 409 that names no property keeps HubSpot's own code.
 */
export function collisionCode(
  code: string,
  httpStatus: number,
  field: string | undefined,
): string | undefined {
  if (code === TAKEN_VALUE_CODE)
    return field === "email" ? COLLISION_CODES.EMAIL_TAKEN : COLLISION_CODES.UNIQUE_VALUE_TAKEN;
  if (httpStatus === 409 && EXISTS.has(code) && field === "email") return COLLISION_CODES.EMAIL_TAKEN;
  return undefined;
}

/** A value HubSpot says is taken: the property, and the value when the body quotes it. */
export interface TakenValue {
  property: string;
  value: string | undefined;
}

const objectList = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value)
    ? value.filter((item): item is Record<string, unknown> => !!item && typeof item === "object")
    : [];

const EMBEDDED_START = "Property values were not valid: ";

/** The property errors a 400 embeds after "Property values were not valid: " (HubSpot's error-handling guide). */
function embedded(message: string): Record<string, unknown>[] {
  if (!message.startsWith(EMBEDDED_START)) return [];
  try {
    return objectList(JSON.parse(message.slice(EMBEDDED_START.length)));
  } catch {
    return [];
  }
}

// "A contact with email lee@xyz.co.uk already exists. Existing ID: 2926551": HubSpot's recorded 409 detail.
const EXISTING_EMAIL = /^A \w+ with email (\S+) already exists/u;
// The value at the head of a taken-value message, as the sandbox words it ("x is not unique: …"); HubSpot's own
// wording is not published, so a message that does not start so names no value and every carrier is a suspect.
const TAKEN_HEAD = /^(\S+) is not unique:/u;

/** What a whole-batch refusal says is taken, or undefined when it is not about a taken value. */
export function takenValueOf(body: HubSpotErrorBody, httpStatus: number): TakenValue | undefined {
  const message = typeof body.message === "string" ? body.message : "";
  const details = objectList(body.errors);
  const code =
    typeof body.error === "string" ? body.error : typeof body.category === "string" ? body.category : "";
  const conflict = details.find((detail) => detail.in === "email");
  if (httpStatus === 409 && EXISTS.has(code) && conflict) {
    const text = typeof conflict.message === "string" ? conflict.message : "";
    return { property: "email", value: EXISTING_EMAIL.exec(text)?.[1]?.toLowerCase() };
  }
  const problem = embedded(message).find((item) => item.error === TAKEN_VALUE_CODE);
  if (!problem || typeof problem.name !== "string") return undefined;
  const text = typeof problem.message === "string" ? problem.message : "";
  return { property: problem.name, value: TAKEN_HEAD.exec(text)?.[1] };
}

/**
 * The inputs that send a value of the taken property (the one quoted, when the body quotes it), in batch order.
 * The key property is not among them: a key finds its own record, it never claims another's value; and an
 * email-keyed write does not send `email` (sent-properties.ts). A contact's secondary addresses are emails too.
 */
export function collisionCarriers<I extends WireInput>(
  taken: TakenValue,
  inputs: readonly I[],
  keyProperty: string | undefined,
): I[] {
  const email = taken.property === "email";
  const same = (value: string) =>
    taken.value === undefined || (email ? value.trim().toLowerCase() === taken.value : value === taken.value);
  return inputs.filter((input) => {
    const values = taken.property === keyProperty ? [] : [input.properties[taken.property] ?? ""];
    if (email) values.push(...(input.properties.hs_additional_emails ?? "").split(";"));
    return values.some((value) => value.trim() !== "" && same(value));
  });
}

/**
 * The keys a refusal says name one record (HubSpot's "Duplicate IDs found in batch input", `context.ids`), when it
 * names at least two inputs of the batch by different keys; else undefined. Keys compare as `normalize` says.
 */
export function sameRecordKeys(
  body: HubSpotErrorBody,
  httpStatus: number,
  inputs: readonly WireInput[],
  normalize: (key: string) => string,
): Set<string> | undefined {
  if (httpStatus !== 400 || body.category !== "VALIDATION_ERROR") return undefined;
  const context = body.context as Record<string, unknown> | undefined;
  const ids = Array.isArray(context?.ids)
    ? context.ids.filter((id): id is string => typeof id === "string")
    : [];
  const named = new Set(ids.map(normalize));
  const present = new Set(inputs.map((input) => normalize(input.id)).filter((key) => named.has(key)));
  return present.size >= 2 ? present : undefined;
}
