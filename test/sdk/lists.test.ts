import type { Client } from "@hubspot/api-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../support/sandbox.js";
import { startWithClient } from "./helpers.js";

let sandbox: Sandbox;
let client: Client;

beforeEach(async () => {
  ({ sandbox, client } = await startWithClient());
});
afterEach(async () => {
  await sandbox.close();
});

describe("lists and memberships through @hubspot/api-client", () => {
  it("creates a list, finds it by id, name and search, deletes and restores it", async () => {
    const created = await client.crm.lists.listsApi.create({
      name: "VIPs",
      objectTypeId: "0-1",
      processingType: "MANUAL",
    });
    const id = created.list.listId;
    expect((await client.crm.lists.listsApi.getById(id)).list.name).toBe("VIPs");
    expect((await client.crm.lists.listsApi.getByName("vips", "0-1")).list.listId).toBe(id);
    expect((await client.crm.lists.listsApi.getAll([id, "1"])).lists.map((list) => list.name).sort()).toEqual(
      ["Newsletter", "VIPs"],
    );
    const found = await client.crm.lists.listsApi.doSearch({
      query: "vip",
      offset: 0,
      listIds: [],
      processingTypes: ["MANUAL"],
      additionalProperties: ["hs_list_size"],
    });
    expect(found.lists.map((list) => [list.listId, list.additionalProperties.hs_list_size])).toEqual([
      [id, "0"],
    ]);
    await client.crm.lists.listsApi.remove(id);
    expect(sandbox.store.lists.byName("VIPs")).toBeUndefined();
    await client.crm.lists.listsApi.restore(id);
    expect(sandbox.store.lists.byName("VIPs")?.listId).toBe(id);
  });

  it("adds, removes and swaps members, and pages them in record-id order", async () => {
    const ids: string[] = [];
    for (const email of ["a@x.co", "b@x.co", "c@x.co"]) {
      ids.push((await client.crm.contacts.basicApi.create({ properties: { email }, associations: [] })).id);
    }
    const [a, b, c] = ids as [string, string, string];
    const added = await client.crm.lists.membershipsApi.add("1", [a, b, "999"]);
    expect(added.recordsIdsAdded.sort()).toEqual([a, b].sort());
    expect(added.recordIdsMissing).toEqual(["999"]);
    await client.crm.lists.membershipsApi.remove("1", [a]);
    await client.crm.lists.membershipsApi.addAndRemove("1", { recordIdsToAdd: [c], recordIdsToRemove: [b] });
    expect(sandbox.store.lists.membersOf("1")).toEqual([c]);
    await client.crm.lists.membershipsApi.add("1", [a, b]);
    const first = await client.crm.lists.membershipsApi.getPage("1", undefined, undefined, 2);
    const second = await client.crm.lists.membershipsApi.getPage(
      "1",
      first.paging?.next?.after,
      undefined,
      2,
    );
    expect([...first.results, ...second.results].map((member) => member.recordId)).toEqual([a, b, c]);
    await client.crm.lists.membershipsApi.removeAll("1");
    expect(sandbox.store.lists.membersOf("1")).toEqual([]);
  });
});
