/**
 * One overwrite of a list at a time. Two raw pipe mode overwrites (`--mode replace`) of one list at once each read
 * the list from their own start and remove only the members they did not see, so together they leave both
 * audiences in the list, and neither would say so. A raw overwrite therefore marks that it runs, with an empty
 * MANUAL list named `<list name> · overwrite run <id>`:
 *
 * 1. Before any record: it creates its marker, then looks for the list's other markers. Another one found, it
 *    deletes its own and refuses (a ConfigError naming the other marker, and how to delete it when no run is left
 *    behind it). Created first and looked for second: of two runs starting together, each sees the other's
 *    marker, so both refuse rather than both go on.
 * 2. Before its sweep it looks again: a marker that appeared since (a run that started without seeing this one,
 *    should HubSpot's list search lag) means it does not sweep, and says so.
 * 3. When the run ends, however it ends, the marker is deleted, bounded in time and past a guard's halt; a run
 *    killed before that (`kill -9`, a second signal) leaves it, and overwrites of the list are refused until it is
 *    deleted by hand.
 * An Airbyte-mode overwrite keeps no marker (a sync killed mid-way must resume on its own, without a person
 * deleting anything; its staging list is its memory), but is refused by a raw overwrite's marker in step 1.
 */
import { randomBytes } from "node:crypto";
import { ConfigError } from "../../errors.js";
import type { RequestGate } from "../../hubspot/http-types.js";
import type { ListCalls } from "./api.js";
import { isOverwriteMarkerOf, keptListsPrefix, overwriteMarkerName, overwriteMarkerPrefix } from "./names.js";
import type { HubSpotList } from "./wire.js";

/** How long deleting a run's marker may take at its end before the run says it could not. @default 10_000 ms */
export const MARKER_RELEASE_TIMEOUT_MS = 10_000;

/** The marker list of a raw overwrite. */
export interface OverwriteMarker {
  listId: string;
  name: string;
}

type Log = (level: "INFO" | "WARN", message: string) => void;

/** Step 1 for a raw overwrite: its marker, once no other run's is found; else it refuses. */
export async function claimOverwrite(api: ListCalls, list: HubSpotList): Promise<OverwriteMarker> {
  const created = await api.createManual(
    overwriteMarkerName(list.name, randomBytes(4).toString("hex")),
    list.objectTypeId,
  );
  const marker = { listId: created.listId, name: created.name };
  let others: HubSpotList[];
  try {
    others = await otherMarkers(api, list.name, marker.listId);
  } catch (error) {
    await api.delete(marker.listId).catch(() => undefined);
    throw error;
  }
  const other = others[0];
  if (other === undefined) return marker;
  await api.delete(marker.listId);
  throw refusal(list.name, other);
}

/**
 * Step 1 for an Airbyte-mode overwrite: refused while a raw overwrite's marker is there. Answers every list the
 * connector keeps beside this one (one search), so that its staging lists need no search of their own.
 */
export async function refuseDuringRawOverwrite(api: ListCalls, list: HubSpotList): Promise<HubSpotList[]> {
  const kept = await api.search(keptListsPrefix(list.name));
  const other = kept.find((hit) => isOverwriteMarkerOf(list.name, hit.name));
  if (other !== undefined) throw refusal(list.name, other);
  return kept;
}

/** Step 2: another run's marker that appeared since this run's own, by name; undefined when there is none. */
export async function markerSince(
  api: ListCalls,
  listName: string,
  own: OverwriteMarker,
): Promise<string | undefined> {
  return (await otherMarkers(api, listName, own.listId))[0]?.name;
}

/** Step 3: deletes the marker; a failure or a HubSpot that does not answer in time is said, never thrown. */
export async function releaseMarker(
  api: ListCalls,
  marker: OverwriteMarker,
  log: Log,
  gate?: RequestGate,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer in ${MARKER_RELEASE_TIMEOUT_MS / 1000} s`)),
      MARKER_RELEASE_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([api.delete(marker.listId, { gate }), timeout]);
  } catch (error) {
    log(
      "WARN",
      `Could not delete ${marker.name}, the marker of this overwrite (${(error as Error).message}): overwrites of ` +
        "its list are refused until it is deleted. Delete that list in HubSpot.",
    );
  } finally {
    clearTimeout(timer);
  }
}

async function otherMarkers(
  api: ListCalls,
  listName: string,
  ownId: string | undefined,
): Promise<HubSpotList[]> {
  const hits = await api.search(overwriteMarkerPrefix(listName));
  return hits.filter((hit) => hit.listId !== ownId && isOverwriteMarkerOf(listName, hit.name));
}

function refusal(listName: string, other: HubSpotList): ConfigError {
  const created = typeof other.createdAt === "string" ? `, created ${other.createdAt}` : "";
  return new ConfigError(
    `List ${listName} is being overwritten by another run: HubSpot has its marker list "${other.name}"${created}. ` +
      "Two overwrites at once each remove only the members they did not see, so the list would end holding both " +
      "audiences; this run wrote nothing. Run again once that run has ended. If no run is writing the list (one " +
      `was killed before it could delete its marker), delete the list "${other.name}" in HubSpot, then run again.`,
  );
}
