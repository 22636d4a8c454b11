import { describe, expect, it } from "vitest";
import type { ListCalls } from "../../../../src/targets/list/api.js";
import type { ListRun } from "../../../../src/targets/list/run.js";
import { sweepList } from "../../../../src/targets/list/sweep.js";

/** An overwrite's run that saw record 0 only, over a list of `members` record ids 0, 1, 2, … */
function sweepCase(members: number) {
  const removals: string[][] = [];
  const api = {
    change: async (_listId: string, _action: string, ids: string[]) => {
      removals.push(ids);
      return { added: [], removed: ids, missing: [] };
    },
  } as unknown as ListCalls;
  const run = {
    list: { listId: "1", name: "Newsletter", size: members, reserved: 0, readAt: 0 },
    seen: new Set(["0"]),
    unresolved: 0,
  } as unknown as ListRun;
  const reads = {
    members: Promise.resolve(Array.from({ length: members }, (_, i) => String(i))),
    staged: undefined,
  };
  return { api, run, reads, removals };
}

describe("an overwrite's sweep and max_list_removals", () => {
  it("asks the guard once for every removal before the first request, so a sweep past the cap removes nothing", async () => {
    const { api, run, reads, removals } = sweepCase(2_501);
    const asked: number[] = [];
    const refuse = async (count: number) => {
      asked.push(count);
      throw new Error("Guard max_list_removals (1500) fired");
    };
    await expect(sweepList(api, run, reads, () => undefined, refuse)).rejects.toThrow("max_list_removals");
    expect(asked).toEqual([2_500]);
    expect(removals).toEqual([]);
  });

  it("removes every stale member in requests of 1,000 once the guard lets them", async () => {
    const { api, run, reads, removals } = sweepCase(2_501);
    const asked: number[] = [];
    const result = await sweepList(
      api,
      run,
      reads,
      () => undefined,
      async (count) => {
        asked.push(count);
      },
    );
    expect(asked).toEqual([2_500]);
    expect(removals.map((ids) => ids.length)).toEqual([1_000, 1_000, 500]);
    expect(result).toEqual({ removed: 2_500, kept: 1 });
  });
});
