/**
 * Adding and removing members by record id, within HubSpot's caps:
 *
 * 1. Ids go in requests of at most `LIST_LIMITS.idsPerMembershipRequest`; removes side by side, adds in turn.
 * 2. An add never asks a list to pass `LIST_LIMITS.maxMembers`: each request reserves room for all its ids (some
 *    may be members already; the room they did not use is given back when HubSpot answers). A list with no room
 *    left is read again for its size (at most every `sizeRefreshMs`); still full, the ids are rejected LIST_FULL
 *    without a request.
 * 3. Each request goes through the one isolation implementation (hubspot/isolate.ts), should HubSpot refuse it whole. A
 *    remove request is first let through `beforeRemove` (the `max_list_removals` guard), which may refuse it.
 * 4. HubSpot's answer decides each id: an add names the ids it added and the ids that do not exist
 *    (`recordIdsMissing`, a per-record RECORD_NOT_FOUND, not a run failure); any other id was a member already.
 *    A remove names the ids it removed; any other id was not a member (or has no record).
 */
import type { InputOutcome, WireInput } from "../../contract.js";
import { type Outcomes, sendIsolating } from "../../hubspot/isolate.js";
import type { ListsApi } from "./api.js";
import { LIST_LIMITS, LIST_REJECTION_CODES } from "./policies.js";
import { listSize } from "./wire.js";

/** One list's membership count as this run knows it, for the size cap. */
export interface ListSize {
  listId: string;
  name: string;
  /** Members HubSpot last said the list holds, plus those this run added since, less those it removed. */
  size: number;
  /** Room held by add requests in flight. */
  reserved: number;
  /** When `size` was last read from HubSpot (epoch ms). */
  readAt: number;
}

/** What membership changes need of the Lists API. */
export type MembershipApi = Pick<ListsApi, "change" | "get">;

export interface ChangeOptions {
  /** @default Date.now */
  now?: () => number;
  /** @default LIST_LIMITS.maxMembers */
  maxMembers?: number;
  /**
   * Called before each remove request with the ids it asks to remove, in request order; a request is sent once it
   * resolves, and a rejection is the call's failure (the `max_list_removals` guard halting the run).
   */
  beforeRemove?: (count: number) => Promise<void>;
}

/** Adds or removes `recordIds`; answers each id's outcome (written with its effect, or rejected). */
export async function changeMembers(
  api: MembershipApi,
  list: ListSize,
  action: "add" | "remove",
  recordIds: readonly string[],
  options: ChangeOptions = {},
): Promise<Map<string, InputOutcome>> {
  const ids = [...new Set(recordIds)];
  return action === "remove" ? removeAll(api, list, ids, options) : addAll(api, list, ids, options);
}

/** Adds go one request at a time, each within the room left (step 2). */
async function addAll(
  api: MembershipApi,
  list: ListSize,
  ids: readonly string[],
  options: ChangeOptions,
): Promise<Outcomes> {
  const cap = { now: options.now ?? Date.now, maxMembers: options.maxMembers ?? LIST_LIMITS.maxMembers };
  const outcomes: Outcomes = new Map();
  let rest = ids;
  while (rest.length > 0) {
    const room = await roomLeft(api, list, cap);
    if (room <= 0) {
      for (const id of rest) outcomes.set(id, listFull(list, cap.maxMembers));
      break;
    }
    const chunk = rest.slice(0, Math.min(room, LIST_LIMITS.idsPerMembershipRequest));
    rest = rest.slice(chunk.length);
    list.reserved += chunk.length;
    try {
      const answered = await sendIsolating(wireInputs(chunk), (part) => sendChunk(api, list, "add", part));
      for (const [id, outcome] of answered) outcomes.set(id, outcome);
    } finally {
      list.reserved -= chunk.length;
    }
  }
  return outcomes;
}

/** Removes need no room: their requests go side by side, each sent once `beforeRemove` lets it. */
async function removeAll(
  api: MembershipApi,
  list: ListSize,
  ids: readonly string[],
  options: ChangeOptions,
): Promise<Outcomes> {
  const chunks: WireInput[][] = [];
  for (let start = 0; start < ids.length; start += LIST_LIMITS.idsPerMembershipRequest) {
    chunks.push(wireInputs(ids.slice(start, start + LIST_LIMITS.idsPerMembershipRequest)));
  }
  const sending: Array<Promise<Outcomes>> = [];
  for (const chunk of chunks) {
    try {
      await options.beforeRemove?.(chunk.length);
    } catch (error) {
      // The guard refused this request: the ones it let go before are answered first, then the run ends.
      await Promise.allSettled(sending);
      throw error;
    }
    const send = sendIsolating(chunk, (part) => sendChunk(api, list, "remove", part));
    send.catch(() => undefined); // awaited below; a failure meanwhile is not left unhandled
    sending.push(send);
  }
  const answers = await Promise.all(sending);
  return new Map(answers.flatMap((answer) => [...answer]));
}

async function sendChunk(
  api: MembershipApi,
  list: ListSize,
  action: "add" | "remove",
  part: readonly WireInput[],
): Promise<Outcomes> {
  const change = await api.change(
    list.listId,
    action,
    part.map((input) => input.id),
  );
  list.size += change.added.length - change.removed.length;
  const added = new Set(change.added);
  const removed = new Set(change.removed);
  const missing = new Set(change.missing);
  const outcomes: Outcomes = new Map();
  for (const { id } of part) {
    if (action === "remove") {
      outcomes.set(id, {
        status: "written",
        effect: removed.has(id) ? "removed" : "not-member",
        recordId: id,
      });
    } else if (missing.has(id)) {
      outcomes.set(id, {
        status: "rejected",
        rejection: {
          code: LIST_REJECTION_CODES.RECORD_NOT_FOUND,
          message: `HubSpot has no record ${id} to add to list ${list.name} (it named it in recordIdsMissing).`,
        },
      });
    } else {
      outcomes.set(id, {
        status: "written",
        effect: added.has(id) ? "added" : "already-member",
        recordId: id,
      });
    }
  }
  return outcomes;
}

/** Room for more members, reading the list's size again when the run thinks it full. */
async function roomLeft(
  api: MembershipApi,
  list: ListSize,
  cap: { now: () => number; maxMembers: number },
): Promise<number> {
  const room = () => cap.maxMembers - list.size - list.reserved;
  if (room() > 0 || cap.now() - list.readAt < LIST_LIMITS.sizeRefreshMs) return room();
  const current = await api.get(list.listId);
  list.readAt = cap.now();
  if (current) list.size = listSize(current);
  return room();
}

/** Record ids as isolation's inputs: each its own trace id. */
const wireInputs = (ids: readonly string[]): WireInput[] =>
  ids.map((id) => ({ traceId: id, id, properties: {} }));

const listFull = (list: ListSize, maxMembers: number): InputOutcome => ({
  status: "rejected",
  rejection: {
    code: LIST_REJECTION_CODES.LIST_FULL,
    message: `List ${list.name} holds HubSpot's maximum of ${maxMembers} members; remove members before adding more.`,
  },
});
