import { describe, expect, it } from "vitest";
import type { InputOutcome, WireInput, WriteTarget } from "../../../../src/contract.js";
import { apiPaths } from "../../../../src/hubspot/api-paths.js";
import type { ListCalls } from "../../../../src/targets/list/api.js";
import type { ListRun } from "../../../../src/targets/list/run.js";
import { listPlanner, PlanningLists } from "../../../../src/targets/list/planning.js";
import { recordingContext } from "../../dry-run/context.js";
import { CRM_OBJECT_TARGET } from "../../../../src/targets/crm-object/target.js";
import { LIST_TARGET } from "../../../../src/targets/list/target.js";

const target = (key: string, mode: WriteTarget["mode"]): WriteTarget => ({
  key,
  streamName: key,
  namespace: undefined,
  objectName: "list:Newsletter",
  objectType: "0-1",
  mode,
  idProperty: "email",
  ...LIST_TARGET,
});

const run = (listId: string, t: WriteTarget): ListRun => ({
  target: t,
  list: { listId, name: `List ${listId}`, size: 2, reserved: 0, readAt: 0 },
  objectName: "CONTACT",
  createdThisRun: false,
  staging: undefined,
  createMissing: false,
  replay: false,
  upsertTarget: { ...t, ...CRM_OBJECT_TARGET, mode: "upsert" },
  seen: undefined,
  createdRecords: 0,
  unresolved: 0,
});

/** HubSpot's lists: list 1 and list 2 hold records 10 and 11 (a@x.co, b@x.co); changes must never come. */
function hubspot() {
  const calls: string[] = [];
  const real: ListCalls = {
    findByName: async (_type, name) => (calls.push(`find ${name}`), undefined),
    get: async () => undefined,
    search: async () => [],
    createManual: async () => {
      throw new Error("a plan created a list");
    },
    delete: async () => {
      throw new Error("a plan deleted a list");
    },
    members: async (listId) => (calls.push(`members ${listId}`), ["10", "11"]),
    change: async () => {
      throw new Error("a plan changed a list's members");
    },
  };
  const emails: Record<string, string> = { 10: "a@x.co", 11: "b@x.co" };
  const transport = {
    async postJson<T>(path: string, body: unknown) {
      calls.push(`read ${path}`);
      const inputs = (body as { inputs: Array<{ id: string }> }).inputs;
      const results = inputs.map(({ id }) => ({ id, properties: { email: emails[id] } }));
      return { status: 200, body: { results } as T };
    },
  };
  return { real, calls, transport };
}

function planning() {
  const portal = hubspot();
  const { context, told } = recordingContext();
  const runs = new Map([
    ["audience", run("1", target("audience", "replace"))],
    ["joiners", run("2", target("joiners", "add"))],
  ]);
  const lists = new PlanningLists(portal.real, runs, {
    context,
    transport: portal.transport,
    paths: apiPaths("legacy"),
  });
  return { ...portal, lists, told };
}

describe("the plan's Lists API calls", () => {
  it("answers membership changes as HubSpot would, from the members read once and the plan's own changes", async () => {
    const { lists, calls, told } = planning();
    expect(await lists.change("2", "add", ["10", "12"])).toEqual({ added: ["12"], removed: [], missing: [] });
    expect((await lists.change("2", "add", ["12"])).added).toEqual([]);
    expect((await lists.change("2", "remove", ["10", "13"])).removed).toEqual(["10"]);
    expect(calls).toEqual(["members 2"]);
    expect(told.requests).toEqual([
      ["joiners", 1],
      ["joiners", 1],
      ["joiners", 1],
    ]);
    // A remove stream's removals are its records' own verdicts: no line of their own.
    expect(told.lines).toEqual([]);
  });

  it("creates a list in the plan only: a planned id, no members, found again by name, counted as a setup write", async () => {
    const { lists, calls, told } = planning();
    const list = await lists.createManual("VIPs", "0-1");
    expect(list).toMatchObject({
      listId: "planned:list:vips",
      name: "VIPs",
      processingType: "MANUAL",
      size: 0,
    });
    expect(await lists.findByName("0-1", "vips")).toBe(list);
    expect(await lists.members(list.listId)).toEqual([]);
    expect((await lists.change(list.listId, "add", ["10"])).added).toEqual(["10"]);
    expect(calls).toEqual([]);
    expect(told.requests[0]).toEqual([undefined, 1]);
  });

  it("makes an overwrite's removals from its own list lines of their own, with each member's key", async () => {
    const { lists, told } = planning();
    await lists.change("1", "remove", ["11", "99"]);
    expect(told.lines.map(({ target: t, key, verdict }) => [t.key, key, verdict])).toEqual([
      ["audience", "b@x.co", "remove"],
    ]);
  });

  it("counts a sweep's member pages as the write's requests", async () => {
    const { lists, told } = planning();
    expect(await lists.members("1")).toEqual(["10", "11"]);
    expect(told.requests).toEqual([["audience", 1]]);
  });
});

describe("the list planner", () => {
  it("counts a batch, and for a remove stream every input toward max_list_removals, as the write's guard does", async () => {
    const { context, told } = recordingContext();
    const inputs: WireInput[] = ["a", "b", "c"].map((id) => ({ traceId: id, id, properties: {} }));
    const send = async (_t: WriteTarget, batch: readonly WireInput[]) =>
      new Map<string, InputOutcome>(
        batch.map((one) => [one.traceId, { status: "written", effect: "removed" }]),
      );
    const planner = listPlanner(send);
    await planner.plan(target("leavers", "remove"), inputs, context);
    await planner.plan(target("joiners", "add"), inputs, context);
    expect(told.removals).toEqual([3]);
    expect(told.batches).toEqual([
      ["leavers", 0],
      ["joiners", 0],
    ]);
  });
});
