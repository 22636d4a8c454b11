/**
 * Reading records by a unique key: the one implementation behind the CRM archive sender, the plan's CRM planner,
 * association lookups and list members' key reads. HubSpot's batch read takes up to 100 inputs
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis, "Limits"), and `idProperty`
 * names the unique-value property the inputs are values of; without it they are record ids.
 *
 * 1. The keys are read 100 a request (`POST …/objects/{type}/batch/read`), the requests side by side; a request
 *    HubSpot refuses whole for what is in it is isolated (isolate.ts): the keys it names are refused, the rest
 *    read again.
 * 2. A result names its record by the key's value (HubSpot answers emails in lower case: the key as given first,
 *    else compared without case and surrounding space), or by its id when the keys are ids. Read by email, a
 *    contact is also found by its secondary addresses, and answered with its primary one, so it names the keys
 *    among its `hs_additional_emails` too (https://integrate.hubspot.com/t/email-or-pk-for-contact-api/11846:
 *    "Secondary email addresses can be used to look up contacts in the same way primary email addresses can").
 *    An id merged into another record answers that record, under its new id and with no error ("both of the
 *    previous IDs will point to the resulting merged record", https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies):
 *    such a result names the keys it answers in `hs_merged_object_ids` ("the list of record IDs that have been
 *    merged into this record"), which is read with every read by id. Should a result name no key asked either
 *    way, and one key be left without a result, that result is taken for it (the only pairing left).
 * 3. An error item names keys in `context.ids`: OBJECT_NOT_FOUND ones are absent (no record has them), any
 *    other category refuses them (a refusal outweighs an absence; a record found outweighs both). An error item that names no key is never taken for a missing record: in a read
 *    of one key it is that key's refusal when its category is not OBJECT_NOT_FOUND, and otherwise it leaves the
 *    keys it could concern unaccounted for.
 * 4. A key the answer neither found nor named is absent when the answer carries no error item at all (HubSpot
 *    answers every record it found), and unaccounted for when it carries one. Each unaccounted key is read again
 *    alone, once; if HubSpot's answer still does not settle it, it stays `unaccounted` for the caller, which never
 *    writes on the strength of it (a sender answers it `unaccounted`, the others reject it UNCONFIRMED_READ).
 *
 * Why this rule: taking an unnamed error for "no such record" can make a write do the wrong thing for good —
 * an archive would report a record absent that is still there, a list with `create_missing_records` would
 * create a second record for an existing member, a plan would predict a create. A key left unaccounted costs one
 * more read, and at worst a rejection that a replay can send again.
 */
import type { Rejection, WireInput } from "../contract.js";
import type { ApiPaths } from "./api-paths.js";
import { contextList, type HubSpotErrorBody, rejectionFromError } from "./batch-errors.js";
import { type IsolationOptions, type Outcomes, sendIsolating } from "./isolate.js";
import { CRM_BATCH_LIMIT } from "./policies.js";
import type { JsonTransport } from "./transport.js";

/** Keys per batch read request: HubSpot's CRM batch limit. */
export const KEYS_PER_READ = CRM_BATCH_LIMIT;

/** The code of a key HubSpot's answers left unaccounted for, also when it was read alone. */
export const UNCONFIRMED_READ = "UNCONFIRMED_READ";

export interface KeyReadRequest {
  /** HubSpot's object type id (`0-1`, `2-1234`). */
  objectType: string;
  /** The unique-value property the keys are values of; undefined (or `hs_object_id`) when the keys are record ids. */
  idProperty: string | undefined;
  /** Properties to answer besides the key. */
  properties?: readonly string[];
}

/** The record id property: keys read by it are record ids. */
export const RECORD_ID_PROPERTY = "hs_object_id";

/** The ids merged into a record, `;`-separated (read with every read by id, to name the keys a survivor answers). */
export const MERGED_IDS_PROPERTY = "hs_merged_object_ids";

/**
 * A record a read found: its HubSpot id (when the key is a record id merged into another record, that record's id,
 * not the key), and the asked properties as HubSpot answered them (null: no value).
 */
export interface FoundRecord {
  id: string;
  properties: Record<string, string | null>;
}

/** What reading keys found, by key as given. */
export interface KeyReads {
  found: Map<string, FoundRecord>;
  /** Keys no record has, with HubSpot's OBJECT_NOT_FOUND item as a rejection when it named them. */
  absent: Map<string, Rejection | undefined>;
  /** Keys HubSpot refused to read, with its reason. */
  refused: Map<string, Rejection>;
  /** Keys HubSpot's answers did not settle, also read alone (step 4). */
  unaccounted: Set<string>;
}

interface ReadAnswer {
  results?: Array<{ id?: unknown; properties?: Record<string, unknown> }>;
  errors?: HubSpotErrorBody[];
}

const loose = (value: string) => value.trim().toLowerCase();

/** A contact's secondary addresses, `;`-separated: asked for beside `email` whenever contacts are read by email. */
const SECONDARY_EMAILS = "hs_additional_emails";

/** The values a result may have been found by: its key's value, and a contact's secondary addresses. */
function keyValues(request: KeyReadRequest, properties: Record<string, unknown> | undefined): string[] {
  const value = properties?.[request.idProperty as string];
  const values = typeof value === "string" ? [value] : [];
  const secondary = request.idProperty === "email" ? properties?.[SECONDARY_EMAILS] : undefined;
  if (typeof secondary === "string")
    values.push(...secondary.split(";").filter((part) => part.trim() !== ""));
  return values;
}

/** Reads `keys` of one object (see the outline above); each distinct key is settled exactly one way. */
export async function readByKey(
  transport: JsonTransport,
  paths: Pick<ApiPaths, "crmBatch">,
  request: KeyReadRequest,
  keys: Iterable<string>,
  isolation: IsolationOptions = {},
): Promise<KeyReads> {
  if (request.idProperty === RECORD_ID_PROPERTY) request = { ...request, idProperty: undefined };
  const distinct = [...new Set(keys)];
  const reads: KeyReads = { found: new Map(), absent: new Map(), refused: new Map(), unaccounted: new Set() };
  const chunks: string[][] = [];
  for (let start = 0; start < distinct.length; start += KEYS_PER_READ) {
    chunks.push(distinct.slice(start, start + KEYS_PER_READ));
  }
  const read = (chunk: readonly string[]) => readChunk(transport, paths, request, chunk, reads, isolation);
  await Promise.all(chunks.map(read));
  const again = [...reads.unaccounted];
  reads.unaccounted.clear();
  await Promise.all(
    again.map((key) => {
      isolation.onExtraRequest?.();
      return read([key]);
    }),
  );
  return reads;
}

/** The rejection for a key `readByKey` left unaccounted, for callers that must reject it. */
export function unconfirmedRead(key: string): Rejection {
  return {
    code: UNCONFIRMED_READ,
    message: `HubSpot's answers to reading ${key} named neither a record nor an error for it, also when it was read alone, so whether a record has it is not known. Send it again.`,
  };
}

/** What one chunk's answers are read into, by trace id (each chunk numbers its keys `k0`, `k1`, …). */
interface ChunkReads {
  request: KeyReadRequest;
  asked: readonly string[];
  found: Map<string, FoundRecord>;
  /** HubSpot's OBJECT_NOT_FOUND item for the keys it named. */
  notFound: Map<string, Rejection>;
}

async function readChunk(
  transport: JsonTransport,
  paths: Pick<ApiPaths, "crmBatch">,
  request: KeyReadRequest,
  keys: readonly string[],
  reads: KeyReads,
  isolation: IsolationOptions,
): Promise<void> {
  const inputs: WireInput[] = keys.map((key, index) => ({ traceId: `k${index}`, id: key, properties: {} }));
  const own = request.idProperty ? [request.idProperty] : [MERGED_IDS_PROPERTY];
  const asked = [...new Set([...own, ...(request.properties ?? [])])];
  const path = paths.crmBatch(request.objectType, "read");
  const chunk: ChunkReads = { request, asked, found: new Map(), notFound: new Map() };
  const aliases =
    request.idProperty === "email" && !asked.includes(SECONDARY_EMAILS) ? [SECONDARY_EMAILS] : [];
  const send = async (part: readonly WireInput[]): Promise<Outcomes> => {
    const answer = await transport.postJson<ReadAnswer | undefined>(path, {
      ...(request.idProperty ? { idProperty: request.idProperty } : {}),
      properties: [...asked, ...aliases],
      // HubSpot's schema requires the field (BatchReadInputSimplePublicObjectId); no history is wanted.
      propertiesWithHistory: [],
      inputs: part.map((input) => ({ id: input.id })),
    });
    return readOutcomes(answer.status, answer.body, part, chunk);
  };
  const { statuses, onExtraRequest, onIsolated } = isolation;
  const outcomes = await sendIsolating(inputs, send, { statuses, onExtraRequest, onIsolated });
  for (const input of inputs) {
    const outcome = outcomes.get(input.traceId);
    const record = chunk.found.get(input.traceId);
    if (outcome?.status === "rejected") reads.refused.set(input.id, outcome.rejection);
    else if (outcome?.status === "written" && record) reads.found.set(input.id, record);
    else if (outcome?.status === "written") reads.absent.set(input.id, chunk.notFound.get(input.traceId));
    else reads.unaccounted.add(input.id);
  }
}

/** Steps 2-4 for one answer: found keys `written` (their record in `found`), absent ones `written` `absent`. */
function readOutcomes(
  status: number,
  answer: ReadAnswer | undefined,
  inputs: readonly WireInput[],
  chunk: ChunkReads,
): Outcomes {
  const outcomes: Outcomes = new Map();
  const tracesOf = traceFinder(inputs);
  const found = (trace: string, record: FoundRecord) => {
    chunk.found.set(trace, record);
    outcomes.set(trace, { status: "written", recordId: record.id });
  };
  const unpaired: FoundRecord[] = [];
  for (const result of answer?.results ?? []) {
    if (result.id === undefined || result.id === null) continue;
    const record = { id: String(result.id), properties: askedValues(result, chunk.asked) };
    const traces = resultTraces(chunk.request, result, record, tracesOf);
    if (traces.length === 0 && !chunk.request.idProperty) unpaired.push(record);
    for (const trace of traces) found(trace, record);
  }

  const errors = answer?.errors ?? [];
  for (const error of errors) {
    const notFound = error.category === "OBJECT_NOT_FOUND";
    const named = contextList(error, "ids").flatMap(tracesOf);
    // Step 3: an item that names no key is the only key's refusal, never its absence.
    if (named.length === 0 && inputs.length === 1 && !notFound) named.push((inputs[0] as WireInput).traceId);
    const rejection = rejectionFromError(error, status);
    for (const trace of named) {
      // A record found stands; a refusal outweighs an absence (the key is not known to be missing).
      const earlier = outcomes.get(trace);
      if (earlier && (notFound || earlier.status !== "written" || earlier.effect !== "absent")) continue;
      if (notFound) chunk.notFound.set(trace, rejection);
      outcomes.set(
        trace,
        notFound ? { status: "written", effect: "absent" } : { status: "rejected", rejection },
      );
    }
  }
  // Step 2's last pairing: one result by id that names no key asked, and one key with neither result nor error.
  const unanswered = inputs.filter((input) => !outcomes.has(input.traceId));
  const [lone] = unpaired;
  if (lone && unpaired.length === 1 && unanswered.length === 1)
    found((unanswered[0] as WireInput).traceId, lone);
  for (const input of inputs) {
    if (outcomes.has(input.traceId)) continue;
    outcomes.set(
      input.traceId,
      errors.length === 0
        ? { status: "written", effect: "absent" }
        : { status: "unaccounted", reason: "the read answered in part and left it out" },
    );
  }
  return outcomes;
}

/** The inputs a value names: the one with the key as given, else those equal without case and surrounding space. */
function traceFinder(inputs: readonly WireInput[]): (value: string) => string[] {
  const exact = new Map(inputs.map((input) => [input.id, input.traceId]));
  const byLoose = new Map<string, string[]>();
  for (const input of inputs)
    byLoose.set(loose(input.id), [...(byLoose.get(loose(input.id)) ?? []), input.traceId]);
  return (value) => {
    const trace = exact.get(value);
    return trace !== undefined ? [trace] : (byLoose.get(loose(value)) ?? []);
  };
}

function askedValues(
  result: { properties?: Record<string, unknown> },
  asked: readonly string[],
): Record<string, string | null> {
  const properties: Record<string, string | null> = {};
  for (const name of asked) {
    const answered = result.properties?.[name];
    properties[name] = typeof answered === "string" ? answered : null;
  }
  return properties;
}

/** The keys one result answers (step 2): by the key's value, or by its id and the ids merged into it. */
function resultTraces(
  request: KeyReadRequest,
  result: { properties?: Record<string, unknown> },
  record: FoundRecord,
  tracesOf: (value: string) => string[],
): string[] {
  if (request.idProperty) return [...new Set(keyValues(request, result.properties).flatMap(tracesOf))];
  const merged = record.properties[MERGED_IDS_PROPERTY];
  const ids = [record.id, ...(merged ? merged.split(";").map((id) => id.trim()) : [])];
  return [...new Set(ids.filter((id) => id !== "").flatMap(tracesOf))];
}
