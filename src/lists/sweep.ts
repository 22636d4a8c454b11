/**
 * The end of an overwrite: the members the source no longer has leave the list. It runs only once the whole input
 * was read and settled without a fatal error or a stop, and only for a run known to have seen the whole source
 * (the stage decides that). It never removes a member the source still has:
 *
 * 1. Seen = what this run saw (in memory, bounded) plus, when an earlier attempt of the same sync generation wrote
 *    to the staging list, that list's members: together, every member the source sent in this generation, since a
 *    member is staged before it counts as written, and the platform resumes after the last STATE echoed.
 * 2. The list's members are read (250 a page); those not seen are removed. A list this run created holds only
 *    members it added, all seen, so it is not read.
 * 3. The staging list is kept: a run of the same generation after this one (the platform retrying an attempt that
 *    ended after its sweep) must still know what the generation saw. A run of a later generation deletes it.
 */
import type { ListsApi } from "./api.js";
import { changeMembers } from "./memberships.js";
import type { ListRun } from "./run.js";

export interface SweepResult {
  removed: number;
  kept: number;
}

type Log = (level: "INFO" | "WARN", message: string) => void;

/** Removes the members of `run`'s list that the source no longer has; undefined when it cannot vouch for them. */
export async function sweepList(api: ListsApi, run: ListRun, log: Log): Promise<SweepResult | undefined> {
  const name = run.list.name;
  if (!run.seen) {
    log(
      "WARN",
      `List ${name} was not swept: the input named more distinct records than this run can remember, more than a list can hold. No member was removed.`,
    );
    return undefined;
  }
  const seen = new Set(run.seen);
  if (run.staging && !run.staging.createdThisRun) {
    for (const id of await api.members(run.staging.listId)) seen.add(id);
  }
  if (run.createdThisRun) return { removed: 0, kept: seen.size };
  const members = await api.members(run.list.listId);
  const stale = members.filter((id) => !seen.has(id));
  const outcomes = await changeMembers(api, run.list, "remove", stale);
  const removed = stale.filter((id) => {
    const outcome = outcomes.get(id);
    return outcome?.status === "written" && outcome.effect === "removed";
  }).length;
  log(
    "INFO",
    `List ${name}: removed ${removed} members the source no longer has; ${members.length - stale.length} members kept.`,
  );
  return { removed, kept: members.length - stale.length };
}
