/**
 * The end of an overwrite: the members the source no longer has leave the list. It runs only once the whole input
 * was read and settled without a fatal error or a stop, and only for a run known to have seen the whole source
 * (the stage decides that). It never removes a member the source still has:
 *
 * 0. A run that could not identify every record's member (a key HubSpot would not read, a line rejected before
 *    its key was read) does not sweep: a member it could not see may be one the source still has.
 * 1. Seen = what this run saw (in memory, bounded) plus, when an earlier attempt of the same sync generation wrote
 *    to the staging list, that list's members: together, every member the source sent in this generation, since a
 *    member counts as written only once staged, and the platform resumes after the last STATE echoed.
 * 2. The list's members are read, 250 a page, one page after another; those not seen are removed, all of them
 *    first let through the `max_list_removals` guard (`beforeRemove`) before the first request. The pages are
 *    read from the start of the run, beside the writes, so the sweep does not wait for them at the end. That is
 *    safe: a member the source has is seen whenever it was read, and one that joins meanwhile is one the run added
 *    (seen) or someone else's (not read, so kept). A list this run created holds only members it added: not read.
 * 3. The staging list is kept: a run of the same generation after this one (the platform retrying an attempt that
 *    ended after its sweep) must still know what the generation saw. A run of a later generation deletes it.
 */
import { counted } from "../../counted.js";
import type { ListCalls } from "./api.js";
import { changeMembers } from "./memberships.js";
import type { ListRun } from "./run.js";

export interface SweepResult {
  removed: number;
  kept: number;
}

/** The member pages a sweep needs, being read since the run started. */
export interface SweepReads {
  members: Promise<string[]> | undefined;
  staged: Promise<string[]> | undefined;
}

type Log = (level: "INFO" | "WARN", message: string) => void;

/** Starts reading what `run`'s sweep will need; a failure goes to `fail` at once, and again to the sweep. */
export function startSweepReads(api: ListCalls, run: ListRun, fail: (error: unknown) => void): SweepReads {
  const read = (listId: string) => {
    const reading = api.members(listId);
    reading.catch(fail);
    return reading;
  };
  return {
    members: run.createdThisRun ? undefined : read(run.list.listId),
    staged: run.staging && !run.staging.createdThisRun ? read(run.staging.listId) : undefined,
  };
}

/** Removes the members of `run`'s list that the source no longer has; undefined when it cannot vouch for them. */
export async function sweepList(
  api: ListCalls,
  run: ListRun,
  reads: SweepReads,
  log: Log,
  beforeRemove?: (count: number) => Promise<void>,
): Promise<SweepResult | undefined> {
  const name = run.list.name;
  const seen = run.seen;
  const why = !seen
    ? "the input named more distinct records than this run can remember, more than a list can hold"
    : run.unresolved > 0
      ? `${run.unresolved} of its records were rejected before their member could be identified (see the rejected records), and a member they name must not be removed`
      : undefined;
  if (!seen || why !== undefined) {
    log("WARN", `List ${name} was not swept: ${why}. No member was removed.`);
    return undefined;
  }
  const staged = new Set(await (reads.staged ?? []));
  const members = await (reads.members ?? []);
  const stale = members.filter((id) => !seen.has(id) && !staged.has(id));
  // The whole count is known before any request: a sweep that would pass the cap removes nothing.
  if (stale.length > 0) await beforeRemove?.(stale.length);
  const outcomes = await changeMembers(api, run.list, "remove", stale);
  const removed = stale.filter((id) => {
    const outcome = outcomes.get(id);
    return outcome?.status === "written" && outcome.effect === "removed";
  }).length;
  const kept = members.length - stale.length;
  log("INFO", `List ${name}: removed ${counted(removed, "member")} the source no longer has; kept ${kept}.`);
  await restoreStaged(api, run, [...staged], members, log);
  return { removed, kept };
}

/**
 * Members an earlier attempt of this generation wrote (its staging list) that are no longer in the list are added
 * again: another writer removed them meanwhile (say, another connection's overwrite of the same list), and this
 * run's list must still be exactly what its source sent. Members this attempt wrote are in the list already.
 */
async function restoreStaged(
  api: ListCalls,
  run: ListRun,
  staged: readonly string[],
  members: readonly string[],
  log: Log,
): Promise<void> {
  const present = new Set(members);
  const missing = staged.filter((id) => !present.has(id) && !run.seen?.has(id));
  if (missing.length === 0) return;
  const outcomes = await changeMembers(api, run.list, "add", missing);
  const added = missing.filter((id) => outcomes.get(id)?.status === "written").length;
  log(
    "WARN",
    `List ${run.list.name}: added back ${counted(added, "member")} an earlier attempt of this sync generation wrote that someone else removed meanwhile (is another connection writing this list?).`,
  );
}
