/**
 * Staging lists: the durable memory of an overwrite. Each overwrite stream in Airbyte mode adds every member it
 * writes to a MANUAL list named `<list name> · sync generation <n>` before the member counts as written, so a sync
 * resumed after a crash (same generation) still knows what its earlier attempts wrote.
 *
 * Before any record is read, for each list a catalog writes (any mode):
 * 1. Staging lists of that list for another generation are stale: deleted.
 * 2. An overwrite looks up its own generation's staging list: found, an earlier attempt wrote to it (a resume);
 *    absent, it is created empty.
 * Raw pipe mode has no generations and never touches staging lists (an Airbyte sync's may be in progress).
 */
import type { ListCalls } from "./api.js";
import type { ListSize } from "./memberships.js";
import { stagingGeneration, stagingListName, stagingListPrefix } from "./names.js";
import { listSize, type HubSpotList } from "./wire.js";

export type StagingList = ListSize & { createdThisRun: boolean };

type Log = (level: "INFO" | "WARN", message: string) => void;

/** Deletes `list`'s staging lists of other generations; answers `generationId`'s, found or created (if given). */
export async function prepareStaging(
  api: ListCalls,
  list: HubSpotList,
  generationId: number | undefined,
  log: Log,
): Promise<StagingList | undefined> {
  const hits = await api.search(stagingListPrefix(list.name));
  for (const hit of hits) {
    const generation = stagingGeneration(list.name, hit.name);
    if (generation === undefined || generation === generationId) continue;
    await api.delete(hit.listId);
    log("INFO", `Deleted ${hit.name}, the staging list of an earlier sync generation of list ${list.name}.`);
  }
  if (generationId === undefined) return undefined;
  const name = stagingListName(list.name, generationId);
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
  return {
    listId: staging.listId,
    name: staging.name,
    size: listSize(staging),
    reserved: 0,
    readAt: Date.now(),
    createdThisRun: found === undefined,
  };
}
