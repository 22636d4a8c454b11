import { describe, expect, it } from "vitest";
import type { MembershipChange } from "../../../../src/targets/list/api.js";
import {
  changeMembers,
  type ListSize,
  type MembershipApi,
} from "../../../../src/targets/list/memberships.js";
import type { HubSpotList } from "../../../../src/targets/list/wire.js";

/** A list held in memory, answering as HubSpot's memberships API does; records 1–999 exist. */
function fakeList(members: string[] = [], options: { sizeReported?: number; refuseOver?: number } = {}) {
  const state = { members: new Set(members), requests: [] as { action: string; ids: string[] }[], gets: 0 };
  const exists = (id: string) => Number(id) >= 1 && Number(id) <= 999;
  const api: MembershipApi = {
    async change(_listId, action, ids): Promise<MembershipChange> {
      state.requests.push({ action, ids: [...ids] });
      const change: MembershipChange = { added: [], removed: [], missing: ids.filter((id) => !exists(id)) };
      const fresh = ids.filter((id) => exists(id) && !state.members.has(id));
      if (
        action === "add" &&
        options.refuseOver !== undefined &&
        state.members.size + fresh.length > options.refuseOver
      ) {
        throw Object.assign(new Error("over"), {
          status: 400,
          body: { category: "VALIDATION_ERROR", message: "full" },
        });
      }
      for (const id of ids.filter(exists)) {
        if (action === "add" && !state.members.has(id)) change.added.push(id);
        if (action === "remove" && state.members.has(id)) change.removed.push(id);
      }
      for (const id of change.added) state.members.add(id);
      for (const id of change.removed) state.members.delete(id);
      return change;
    },
    async get(listId): Promise<HubSpotList> {
      state.gets += 1;
      const size = options.sizeReported ?? state.members.size;
      return { listId, name: "Newsletter", objectTypeId: "0-1", processingType: "MANUAL", size };
    },
  };
  return { api, state };
}

const sized = (size: number, readAt = 0): ListSize => ({
  listId: "1",
  name: "Newsletter",
  size,
  reserved: 0,
  readAt,
});
const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => String(from + i));

describe("changeMembers", () => {
  it("adds in requests of at most 1,000 ids and says which joined, which were members and which do not exist", async () => {
    const { api, state } = fakeList(["5"]);
    const outcomes = await changeMembers(api, sized(1), "add", [...ids(1, 1_500), "5000"]);
    expect(state.requests.map((request) => request.ids.length)).toEqual([1_000, 501]);
    expect(outcomes.get("1")).toEqual({ status: "written", effect: "added", recordId: "1" });
    expect(outcomes.get("5")).toEqual({ status: "written", effect: "already-member", recordId: "5" });
    expect(outcomes.get("5000")).toMatchObject({
      status: "rejected",
      rejection: { code: "RECORD_NOT_FOUND" },
    });
  });

  it("removes, telling members removed from ids that were not members", async () => {
    const { api } = fakeList(["1", "2"]);
    const list = sized(2);
    const outcomes = await changeMembers(api, list, "remove", ["1", "3", "5000"]);
    expect([...outcomes.values()].map((outcome) => outcome.status === "written" && outcome.effect)).toEqual([
      "removed",
      "not-member",
      "not-member",
    ]);
    expect(list.size).toBe(1);
  });

  it("never asks a list to pass its cap: fills the room left, then rejects the rest LIST_FULL without a request", async () => {
    const { api, state } = fakeList(ids(1, 3));
    const list = sized(3, Date.now());
    const outcomes = await changeMembers(api, list, "add", ids(1, 8), { maxMembers: 5 });
    // Room for 2: the first request may only grow the list by 2, so it carries 2 ids; both were members already,
    // so a second carries 2 more, which join; then the list is full.
    expect(state.requests.map((request) => request.ids)).toEqual([["1", "2"], ["3", "4"], ["5"]]);
    expect(state.members.size).toBe(5);
    expect(outcomes.get("6")).toMatchObject({ status: "rejected", rejection: { code: "LIST_FULL" } });
    expect(list.size).toBe(5);
  });

  it("reads a list it thinks full again for its size, and adds when HubSpot says there is room", async () => {
    const { api, state } = fakeList(["1"], { sizeReported: 1 });
    const list = sized(5, 0);
    const outcomes = await changeMembers(api, list, "add", ["2"], { maxMembers: 5, now: () => 60_000 });
    expect(state.gets).toBe(1);
    expect(outcomes.get("2")).toMatchObject({ status: "written", effect: "added" });
  });

  it("isolates the ids of a request HubSpot refuses whole, adding those that fit", async () => {
    const { api, state } = fakeList([], { refuseOver: 1 });
    const outcomes = await changeMembers(api, sized(0), "add", ["1", "2"]);
    expect(state.members.size).toBe(1);
    const statuses = [...outcomes.values()].map((outcome) => outcome.status).sort();
    expect(statuses).toEqual(["rejected", "written"]);
  });

  it("lets each remove request through beforeRemove first, with the ids it asks to remove, in request order", async () => {
    const { api, state } = fakeList(ids(1, 900));
    const asked: number[] = [];
    await changeMembers(api, sized(900), "remove", ids(1, 2_500), {
      beforeRemove: async (count) => {
        asked.push(count);
      },
    });
    expect(asked).toEqual([1_000, 1_000, 500]);
    expect(state.requests).toHaveLength(3);
  });

  it("sends no remove request beforeRemove refuses, nor any after it, and answers those it let go first", async () => {
    const { api, state } = fakeList(ids(1, 900));
    let answered = 0;
    const slow: MembershipApi = {
      ...api,
      change: async (listId, action, recordIds) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        answered += 1;
        return api.change(listId, action, recordIds);
      },
    };
    let allowed = 1;
    const removing = changeMembers(slow, sized(900), "remove", ids(1, 2_500), {
      beforeRemove: async () => {
        if (allowed-- <= 0) throw new Error("Guard max_list_removals fired");
      },
    });
    await expect(removing).rejects.toThrow("Guard max_list_removals fired");
    // The first request was sent and answered before the refusal surfaced; the second and third never went.
    expect(answered).toBe(1);
    expect(state.requests.map((request) => request.ids.length)).toEqual([1_000]);
  });
});
