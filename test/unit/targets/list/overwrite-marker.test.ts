import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../src/errors.js";
import type { ListCalls } from "../../../../src/targets/list/api.js";
import {
  claimOverwrite,
  markerSince,
  refuseDuringRawOverwrite,
  releaseMarker,
} from "../../../../src/targets/list/overwrite-marker.js";
import type { HubSpotList } from "../../../../src/targets/list/wire.js";

/**
 * The Lists API calls a marker makes, over lists kept in memory. Each call first yields to the event loop, so that
 * two claims started together interleave as two processes would: both create, then both search.
 */
function listsInMemory(names: string[] = []) {
  const lists = new Map<string, HubSpotList>();
  let next = 1;
  const add = (name: string) => {
    const list = { listId: String(next++), name, objectTypeId: "0-1", processingType: "MANUAL" };
    lists.set(list.listId, list);
    return list;
  };
  for (const name of names) add(name);
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  const calls = {
    async createManual(name: string) {
      await turn();
      return add(name);
    },
    async search(query: string) {
      await turn();
      return [...lists.values()].filter((list) => list.name.toLowerCase().includes(query.toLowerCase()));
    },
    async delete(listId: string) {
      await turn();
      lists.delete(listId);
    },
  } as unknown as ListCalls;
  return { calls, names: () => [...lists.values()].map((list) => list.name) };
}

const NEWSLETTER: HubSpotList = {
  listId: "99",
  name: "Newsletter",
  objectTypeId: "0-1",
  processingType: "MANUAL",
};

describe("overwrite markers", () => {
  it("let a run claim a list no other run marks, and find nothing since", async () => {
    const hubspot = listsInMemory(["Newsletter 2 · overwrite run abcd", "Newsletter · sync generation 3"]);
    const marker = await claimOverwrite(hubspot.calls, NEWSLETTER);
    expect(marker.name).toMatch(/^Newsletter · overwrite run [0-9a-f]{8}$/);
    expect(hubspot.names()).toContain(marker.name);
    expect(await markerSince(hubspot.calls, "Newsletter", marker)).toBeUndefined();
  });

  it("refuse both of two runs that start together, and leave no marker of either", async () => {
    const hubspot = listsInMemory();
    const results = await Promise.allSettled([
      claimOverwrite(hubspot.calls, NEWSLETTER),
      claimOverwrite(hubspot.calls, NEWSLETTER),
    ]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    for (const result of results) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ConfigError);
    }
    expect(hubspot.names()).toEqual([]);
  });

  it("refuse an Airbyte-mode overwrite while a raw one's marker is there, naming it", async () => {
    const hubspot = listsInMemory(["newsletter · overwrite run 0badcafe"]);
    await expect(refuseDuringRawOverwrite(hubspot.calls, NEWSLETTER)).rejects.toThrow(
      /HubSpot has its marker list "newsletter · overwrite run 0badcafe".*delete the list "newsletter · overwrite run 0badcafe"/,
    );
    expect(hubspot.names()).toEqual(["newsletter · overwrite run 0badcafe"]);
  });

  it("say, not throw, when the marker cannot be deleted at the end", async () => {
    const failing = { delete: () => Promise.reject(new Error("HubSpot is down")) } as unknown as ListCalls;
    const warnings: string[] = [];
    await releaseMarker(
      failing,
      { listId: "7", name: "Newsletter · overwrite run 1234abcd" },
      (_level, text) => warnings.push(text),
    );
    expect(warnings).toEqual([
      expect.stringContaining("Could not delete Newsletter · overwrite run 1234abcd"),
    ]);
  });
});
