/**
 * Staging lists: the durable memory of an overwrite. Each overwrite stream in Airbyte mode adds every member it
 * writes to a MANUAL list named `<list name> · sync generation <n>` before the member counts as written, so a sync
 * resumed after a crash (same generation) still knows what its earlier attempts wrote.
 *
 * The rule: a staging list is deleted only by an overwrite stream of a strictly later sync generation than its
 * own, and created only by an overwrite stream of its own generation. Before any record is read:
 * 1. An overwrite (`replace`) stream deletes its list's staging lists of earlier generations: they are stale. It
 *    keeps any of a later generation (a sync still in progress may need it to resume).
 * 2. It then looks up its own generation's staging list: found, an earlier attempt wrote to it (a resume);
 *    absent, it is created empty.
 * 3. A replay of an overwrite's rejected records carries the generation they were read in, which may be long
 *    past: it deletes and creates nothing, and only adds its members to that generation's staging list when it
 *    still exists (they are members that generation's source sent).
 * Append and soft_delete streams never touch staging lists: they may belong to another connection, with its own
 * generations. Raw pipe mode has no generations and never touches them either (an Airbyte sync's may be in
 * progress).
 */
import type { WriteMode } from "../../contract.js";
import type { ListCalls } from "./api.js";
import type { ListSize } from "./memberships.js";
import { stagingGeneration, stagingListName, stagingListPrefix } from "./names.js";
import { listSize, type HubSpotList } from "./wire.js";

export type StagingList = ListSize & { createdThisRun: boolean };

/** The stream a staging list may be prepared for. */
export interface StagingStream {
  mode: WriteMode;
  generationId: number | undefined;
  /** A replay of rejected records: never deletes or creates a staging list (step 3). */
  replay: boolean;
}

type Log = (level: "INFO" | "WARN", message: string) => void;

/**
 * Steps 1-3 for one list stream in Airbyte mode: answers the staging list its members are also added to, or
 * undefined (not an overwrite, or a replay whose generation's staging list is gone).
 */
export async function prepareStaging(
  api: ListCalls,
  list: HubSpotList,
  stream: StagingStream,
  log: Log,
  /** The lists kept beside this one, when a search already found them (overwrite-marker.ts). */
  kept?: readonly HubSpotList[],
): Promise<StagingList | undefined> {
  const generationId = stream.generationId;
  if (stream.mode !== "replace" || generationId === undefined) return undefined;
  const name = stagingListName(list.name, generationId);
  if (stream.replay) {
    const found = await api.findByName(list.objectTypeId, name);
    return found ? stagingOf(found, false) : undefined;
  }
  await deleteEarlier(api, list, generationId, log, kept);
  const found = await api.findByName(list.objectTypeId, name);
  const staging = found ?? (await api.createManual(name, list.objectTypeId));
  if (!found) {
    log(
      "INFO",
      `Created ${name}, the staging list of sync generation ${generationId} of list ${list.name}: it holds the members this generation writes, so a resumed sync knows them.`,
    );
  } else {
    log(
      "INFO",
      `Resuming sync generation ${generationId} of list ${list.name}: ${name} holds the members its earlier attempts wrote.`,
    );
  }
  return stagingOf(staging, found === undefined);
}

/** Step 1: staging lists of earlier generations go; a later generation's stays, and is said. */
async function deleteEarlier(
  api: ListCalls,
  list: HubSpotList,
  generationId: number,
  log: Log,
  kept: readonly HubSpotList[] | undefined,
): Promise<void> {
  const hits = kept ?? (await api.search(stagingListPrefix(list.name)));
  for (const hit of hits) {
    const generation = stagingGeneration(list.name, hit.name);
    if (generation === undefined || generation === generationId) continue;
    if (generation > generationId) {
      log(
        "WARN",
        `Kept ${hit.name}: it stages a later sync generation (${generation}) than this one (${generationId}) of list ${list.name}, and only a later generation's overwrite deletes a staging list.`,
      );
      continue;
    }
    await api.delete(hit.listId);
    log("INFO", `Deleted ${hit.name}, the staging list of an earlier sync generation of list ${list.name}.`);
  }
}

function stagingOf(list: HubSpotList, createdThisRun: boolean): StagingList {
  return {
    listId: list.listId,
    name: list.name,
    size: listSize(list),
    reserved: 0,
    readAt: Date.now(),
    createdThisRun,
  };
}
