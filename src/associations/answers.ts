/**
 * Reading HubSpot's association answers per input. The association API has no `objectWriteTraceId`: an error
 * item names its input by record ids in `context` (`fromObjectId` / `toObjectId`, or `objectId` beside
 * `INVALID_OBJECT_IDS` for records that do not exist; not documented, as HubSpot/hubspot-api-nodejs#646 shows
 * it), so inputs are matched by the records they name. The code stored with a refusal is HubSpot's `subCategory`
 * without its `crm.associations.` prefix where there is one (INVALID_ASSOCIATION_TYPE), else INVALID_OBJECT_IDS,
 * else its category; the message is HubSpot's.
 */
import type { Rejection, WireInput } from "../contract.js";
import { type HubSpotErrorBody, rejectionFromError } from "../hubspot/batch-errors.js";
import { asRefusal } from "../hubspot/isolate.js";

/** One input of an association call, with the records it names (`toId` absent for reads). */
export interface PairInput extends WireInput {
  fromId: string;
  toId?: string | undefined;
}

export type ErrorItem = HubSpotErrorBody & { subCategory?: unknown };

/** HubSpot's context values are lists of strings; numbers are taken too. */
function contextIds(body: ErrorItem, key: string): string[] {
  const value = (body.context as Record<string, unknown> | undefined)?.[key];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list
    .filter((item) => typeof item === "string" || typeof item === "number")
    .map((item) => String(item));
}

/** Whether an error item is about this input's records. */
export function names(body: ErrorItem, input: PairInput): boolean {
  const [from, to, objects] = [
    contextIds(body, "fromObjectId"),
    contextIds(body, "toObjectId"),
    contextIds(body, "objectId"),
  ];
  if (objects.includes(input.fromId) || (input.toId !== undefined && objects.includes(input.toId)))
    return true;
  if (from.length > 0) {
    return (
      from.includes(input.fromId) && (to.length === 0 || input.toId === undefined || to.includes(input.toId))
    );
  }
  return to.length > 0 && input.toId !== undefined && to.includes(input.toId);
}

/** The inputs an error item is about; in a one-input batch every error is that input's. */
export function namedInputs<I extends PairInput>(body: ErrorItem, inputs: readonly I[]): I[] {
  if (inputs.length === 1) return [...inputs];
  return inputs.filter((input) => names(body, input));
}

/** The code of an association refusal: see the file header. */
export function associationCode(body: ErrorItem): string | undefined {
  if (typeof body.subCategory === "string" && body.subCategory !== "") {
    return body.subCategory.split(".").at(-1);
  }
  const context = body.context as Record<string, unknown> | undefined;
  return context && "INVALID_OBJECT_IDS" in context ? "INVALID_OBJECT_IDS" : undefined;
}

/** A rejection from one error item (or a whole-request error body). */
export function associationRejection(body: ErrorItem, httpStatus: number): Rejection {
  const rejection = rejectionFromError(body, httpStatus);
  const code = associationCode(body);
  return code === undefined ? rejection : { ...rejection, code };
}

/** A whole-request refusal rewritten so that the one isolation module (hubspot/isolate.ts) can read it. */
export class AssociationRefusal extends Error {
  override readonly name = "AssociationRefusal";
  constructor(
    readonly status: number,
    readonly body: HubSpotErrorBody,
    cause: unknown,
  ) {
    super(`HubSpot refused an association batch with ${status}`, { cause });
  }
}

/**
 * Rethrows a whole-batch content refusal (400, 409) with the inputs it names as `objectWriteTraceId`s and the code
 * above as `error`, which is what hubspot/isolate.ts reads from a refusal; anything else is rethrown as it is.
 */
export function explainRefusal(error: unknown, inputs: readonly PairInput[]): never {
  const refusal = asRefusal(error);
  if (!refusal) throw error;
  const body = (refusal.body ?? {}) as ErrorItem;
  const context = (body.context ?? {}) as Record<string, unknown>;
  const traces = namedInputs(body, inputs).map((input) => input.traceId);
  const code = associationCode(body);
  throw new AssociationRefusal(
    refusal.status,
    {
      ...body,
      ...(code === undefined ? {} : { error: code }),
      context: traces.length > 0 ? { ...context, objectWriteTraceId: traces } : context,
    },
    error,
  );
}
