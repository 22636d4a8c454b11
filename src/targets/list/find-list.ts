/**
 * Finds the list a stream names, before any record is read. Names are unique across a portal's lists and compared
 * without case (S-LISTS), so a name alone identifies a list.
 *
 * 1. Look it up by name on the pinned object (`list[OBJECT]:`), else on contacts.
 * 2. Not there: search lists by name. A list of that name on another object is the one meant when the name pins no
 *    object; with a pinned object it is a mismatch the user must fix.
 * 3. A DYNAMIC list is refused: HubSpot manages its members from its filters.
 */
import { ConfigError } from "../../errors.js";
import type { ListCalls } from "./api.js";
import { objectNameOfType } from "./names.js";
import { WRITABLE_PROCESSING_TYPES } from "./policies.js";
import type { HubSpotList } from "./wire.js";

export interface FoundList {
  list: HubSpotList | undefined;
  /** The object type the list holds (or, when there is no list, the one it would be created for). */
  objectTypeId: string;
}

export async function findList(
  api: ListCalls,
  label: string,
  name: string,
  wanted: { objectTypeId: string; pinned: boolean },
): Promise<FoundList> {
  let list = await api.findByName(wanted.objectTypeId, name);
  if (!list) {
    const elsewhere = (await api.search(name)).find((hit) => hit.name.toLowerCase() === name.toLowerCase());
    if (elsewhere && wanted.pinned) {
      throw new ConfigError(
        `${label} writes list ${name} as a list of ${objectNameOfType(wanted.objectTypeId)}, but HubSpot's list of that name holds ${objectNameOfType(elsewhere.objectTypeId)} records. Name it list:${name} to write the list as it is.`,
      );
    }
    list = elsewhere;
  }
  if (list) checkWritable(label, list);
  return { list, objectTypeId: list?.objectTypeId ?? wanted.objectTypeId };
}

function checkWritable(label: string, list: HubSpotList): void {
  if (WRITABLE_PROCESSING_TYPES.includes(list.processingType)) return;
  const why =
    list.processingType === "DYNAMIC"
      ? "an active (DYNAMIC) list: HubSpot manages its members itself, from the list's filters, and takes no membership writes"
      : `a ${list.processingType} list, which takes no membership writes`;
  throw new ConfigError(
    `${label} writes list ${list.name}, which is ${why}. Write to a static (MANUAL) list instead, or change the list's filters in HubSpot.`,
  );
}
