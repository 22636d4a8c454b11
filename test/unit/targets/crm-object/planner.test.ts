import { describe, expect, it } from "vitest";
import type { PlanContext, WireInput, WriteTarget } from "../../../../src/contract.js";
import { apiPaths } from "../../../../src/hubspot/api-paths.js";
import type { JsonTransport } from "../../../../src/hubspot/transport.js";
import { createCrmPlanner } from "../../../../src/targets/crm-object/planner.js";
import { Projection } from "../../../../src/dry-run/projection.js";
import { CRM_OBJECT_TARGET } from "../../../../src/targets/crm-object/target.js";

const target = (mode: WriteTarget["mode"]): WriteTarget => ({
  key: "users",
  streamName: "users",
  namespace: undefined,
  objectName: "CONTACT",
  objectType: "0-1",
  mode,
  idProperty: "email",
  ...CRM_OBJECT_TARGET,
});

/** HubSpot holding these contacts, answering batch reads by email as HubSpot does (OBJECT_NOT_FOUND for the rest). */
function hubspot(records: Record<string, Record<string, string>>): JsonTransport & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    async postJson<T>(path: string, body: unknown) {
      paths.push(path);
      const request = body as { inputs: { id: string }[]; properties: string[] };
      const found = request.inputs.filter((input) => records[input.id]);
      const missing = request.inputs.filter((input) => !records[input.id]).map((input) => input.id);
      const results = found.map((input, index) => ({
        id: String(100 + index),
        properties: Object.fromEntries(request.properties.map((name) => [name, records[input.id]?.[name]])),
      }));
      const errors = missing.length
        ? [{ category: "OBJECT_NOT_FOUND", message: "not found", context: { ids: missing } }]
        : [];
      return { status: errors.length ? 207 : 200, body: { results, errors } as T };
    },
  };
}

const context = (): PlanContext & { requests: number[] } => {
  const requests: number[] = [];
  return {
    requests,
    wouldSend: (_target, count) => requests.push(count),
    wouldRequest: () => undefined,
    wouldRemoveListMembers: () => undefined,
    addLine: () => undefined,
    note: () => undefined,
    caveat: () => undefined,
  };
};
const input = (id: string, properties: Record<string, string> = {}, trace = id): WireInput => ({
  traceId: trace,
  id,
  properties: { email: id, ...properties },
});

describe("the CRM planner", () => {
  it("answers an upsert as the write would settle it, with HubSpot's current values and id, and reads nothing else", async () => {
    const transport = hubspot({ "a@x.co": { email: "a@x.co", firstname: "Ada" } });
    const planner = createCrmPlanner({ transport, paths: apiPaths("legacy"), definitions: () => new Map() });
    const ctx = context();
    const outcomes = await planner.plan(
      target("upsert"),
      [input("a@x.co", { firstname: "Ava" }), input("b@x.co")],
      ctx,
    );
    expect(outcomes.get("a@x.co")).toEqual({
      status: "written",
      effect: "updated",
      recordId: "100",
      detail: { current: { email: "a@x.co", firstname: "Ada" } },
    });
    // A record the write would create stands in with a planned id, so that stages can learn it as in a write.
    expect(outcomes.get("b@x.co")).toMatchObject({
      status: "written",
      effect: "created",
      recordId: "planned:0-1:b@x.co",
    });
    expect(transport.paths).toEqual(["/crm/v3/objects/0-1/batch/read"]);
    expect(ctx.requests).toEqual([1]);
  });

  it("rejects an update of a key that matches nothing with HubSpot's OBJECT_NOT_FOUND", async () => {
    const planner = createCrmPlanner({
      transport: hubspot({}),
      paths: apiPaths("legacy"),
      definitions: () => new Map(),
    });
    const outcomes = await planner.plan(target("update"), [input("x@x.co")], context());
    expect(outcomes.get("x@x.co")).toMatchObject({
      status: "rejected",
      rejection: { code: "OBJECT_NOT_FOUND" },
    });
  });

  it("counts a read and an archive for an archive batch that finds records, a read alone for one that finds none", async () => {
    const planner = createCrmPlanner({
      transport: hubspot({ "a@x.co": { email: "a@x.co" } }),
      paths: apiPaths("legacy"),
      definitions: () => new Map(),
    });
    const ctx = context();
    const found = await planner.plan(target("archive"), [input("a@x.co")], ctx);
    const none = await planner.plan(target("archive"), [input("z@x.co")], ctx);
    expect(
      [found.get("a@x.co"), none.get("z@x.co")].map(
        (outcome) => outcome?.status === "written" && outcome.effect,
      ),
    ).toEqual(["archived", "absent"]);
    expect(ctx.requests).toEqual([2, 1]);
  });

  it("judges a key it planned before against what that verdict would leave, without reading it again", async () => {
    const transport = hubspot({});
    const planner = createCrmPlanner({ transport, paths: apiPaths("legacy"), definitions: () => new Map() });
    await planner.plan(target("upsert"), [input("n@x.co", { firstname: "New" })], context());
    const again = await planner.plan(
      target("upsert"),
      [input("n@x.co", { firstname: "Newer" }, "t2")],
      context(),
    );
    expect(again.get("t2")).toEqual({
      status: "written",
      effect: "updated",
      recordId: "planned:0-1:n@x.co",
      detail: { current: { email: "n@x.co", firstname: "New" } },
    });
    const archived = await planner.plan(target("archive"), [input("n@x.co", {}, "t3")], context());
    expect(archived.get("t3")).toMatchObject({ effect: "archived" });
    const gone = await planner.plan(target("update"), [input("n@x.co", {}, "t4")], context());
    expect(gone.get("t4")).toMatchObject({ status: "rejected" });
    expect(transport.paths).toHaveLength(1);
  });

  it("forgets the oldest keys past its bound, and counts them", () => {
    const projection = new Projection(2);
    for (const key of ["a", "b", "c"]) projection.set(target("upsert"), key, { exists: true, values: {} });
    expect(projection.get(target("upsert"), "a")).toBeUndefined();
    expect(projection.get(target("upsert"), "c")).toBeDefined();
    expect(projection.forgotten).toBe(1);
  });
});
