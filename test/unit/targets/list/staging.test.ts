import { describe, expect, it } from "vitest";
import type { ListCalls } from "../../../../src/targets/list/api.js";
import { prepareStaging, type StagingStream } from "../../../../src/targets/list/staging.js";
import type { HubSpotList } from "../../../../src/targets/list/wire.js";

const NEWSLETTER: HubSpotList = {
  listId: "1",
  name: "Newsletter",
  objectTypeId: "0-1",
  processingType: "MANUAL",
};

/** HubSpot holding Newsletter and its staging lists of `generations`; every call is recorded. */
function hubspot(generations: number[]) {
  const calls: string[] = [];
  const lists: HubSpotList[] = generations.map((generation) => ({
    listId: `s${generation}`,
    name: `Newsletter · sync generation ${generation}`,
    objectTypeId: "0-1",
    processingType: "MANUAL",
  }));
  const api = {
    search: async (query: string) => {
      calls.push(`search ${query}`);
      return lists.filter((list) => list.name.startsWith(query));
    },
    findByName: async (_type: string, name: string) => {
      calls.push(`find ${name}`);
      return lists.find((list) => list.name === name);
    },
    createManual: async (name: string, objectTypeId: string) => {
      calls.push(`create ${name}`);
      const list = { listId: "new", name, objectTypeId, processingType: "MANUAL" };
      lists.push(list);
      return list;
    },
    delete: async (listId: string) => {
      calls.push(`delete ${listId}`);
    },
  } as unknown as ListCalls;
  return { api, calls };
}

const prepare = (api: ListCalls, stream: StagingStream) =>
  prepareStaging(api, NEWSLETTER, stream, () => undefined);

describe("preparing an overwrite's staging list", () => {
  it("deletes only staging lists of earlier generations, keeps a later one, and resumes its own", async () => {
    const { api, calls } = hubspot([5, 7, 9]);
    const staging = await prepare(api, { mode: "replace", generationId: 7, replay: false });
    expect(staging).toMatchObject({ listId: "s7", createdThisRun: false });
    expect(calls.filter((call) => call.startsWith("delete"))).toEqual(["delete s5"]);
    expect(calls.some((call) => call.startsWith("create"))).toBe(false);
  });

  it("creates its own generation's staging list when none exists", async () => {
    const { api, calls } = hubspot([3]);
    const staging = await prepare(api, { mode: "replace", generationId: 4, replay: false });
    expect(staging).toMatchObject({ name: "Newsletter · sync generation 4", createdThisRun: true });
    expect(calls).toContain("delete s3");
  });

  it.each(["add", "remove"] as const)(
    "never reads, deletes or creates a staging list for a %s stream",
    async (mode) => {
      const { api, calls } = hubspot([5, 6]);
      expect(await prepare(api, { mode, generationId: 1, replay: false })).toBeUndefined();
      expect(calls).toEqual([]);
    },
  );

  it("lets a replay of an old generation delete and create nothing", async () => {
    const { api, calls } = hubspot([6]);
    expect(await prepare(api, { mode: "replace", generationId: 5, replay: true })).toBeUndefined();
    expect(calls).toEqual(["find Newsletter · sync generation 5"]);
  });

  it("lets a replay add to its own generation's staging list while that list exists", async () => {
    const { api, calls } = hubspot([6]);
    const staging = await prepare(api, { mode: "replace", generationId: 6, replay: true });
    expect(staging).toMatchObject({ listId: "s6", createdThisRun: false });
    expect(calls).toEqual(["find Newsletter · sync generation 6"]);
  });
});
