import { describe, expect, it } from "vitest";
import { GuardsConfig } from "../../../src/config/guards.js";
import type { BatchSender, WireInput, WriteTarget } from "../../../src/contract.js";
import { ConfigError } from "../../../src/errors.js";
import { RunGuards } from "../../../src/guards/index.js";
import type { RequestGate } from "../../../src/hubspot/http-types.js";
import { CRM_OBJECT_TARGET } from "../../../src/targets/crm-object/target.js";
import { LIST_TARGET } from "../../../src/targets/list/target.js";

const target = (mode: WriteTarget["mode"]): WriteTarget => ({
  key: "people",
  streamName: "people",
  namespace: undefined,
  objectName: "CONTACT",
  objectType: "0-1",
  mode,
  idProperty: "email",
  ...CRM_OBJECT_TARGET,
});
const inputs = (count: number, from = 0): WireInput[] =>
  Array.from({ length: count }, (_, index) => ({
    traceId: `t${from + index}`,
    id: `k${from + index}`,
    properties: {},
  }));
const answering =
  (effect: "created" | "updated" | "archived"): BatchSender =>
  async (_target, batch) =>
    new Map(batch.map((input) => [input.traceId, { status: "written", effect }]));

function guards(config: Record<string, unknown>, stops: string[] = []) {
  return new RunGuards(GuardsConfig.parse(config), {
    log: () => {},
    maxConcurrent: 2,
    stopCleanly: (message) => stops.push(message),
  });
}

describe("max_archives", () => {
  it("sends archive batches up to the cap exactly, and halts before the batch that would pass it", async () => {
    const run = guards({ max_archives: 5 });
    const sent: number[] = [];
    const send = run.wrapSender(async (t, batch) => {
      sent.push(batch.length);
      return answering("archived")(t, batch);
    });
    await send(target("archive"), inputs(3));
    await send(target("archive"), inputs(2, 3));
    expect(run.halt.aborted).toBe(false);
    await expect(send(target("archive"), inputs(1, 5))).rejects.toThrow(/Guard max_archives \(5\) fired/);
    expect(sent).toEqual([3, 2]);
    expect(run.halt.aborted).toBe(true);
    expect(run.halt.reason).toBeInstanceOf(ConfigError);
  });

  it("does not count upserts as archives", async () => {
    const run = guards({ max_archives: 0 });
    await run.wrapSender(answering("updated"))(target("upsert"), inputs(10));
    expect(run.halt.aborted).toBe(false);
  });
});

describe("max_list_removals", () => {
  const list = (mode: WriteTarget["mode"]): WriteTarget => ({
    ...target(mode),
    key: "audience",
    objectName: "list:Newsletter",
    ...LIST_TARGET,
  });

  it("counts every input of a remove stream's batches, and none of an overwrite's or an add's", async () => {
    const run = guards({ max_list_removals: 3 });
    const send = run.wrapSender(answering("updated"));
    await send(list("replace"), inputs(10));
    await send(list("add"), inputs(10));
    await send(list("remove"), inputs(3));
    expect(run.halt.aborted).toBe(false);
    await expect(send(list("remove"), inputs(1, 3))).rejects.toThrow(/Guard max_list_removals \(3\) fired/);
    expect(run.halt.aborted).toBe(true);
  });

  it("counts a sweep's removals with the remove streams', refusing the request that would pass the cap", async () => {
    const run = guards({ max_list_removals: 5 });
    await run.wrapSender(answering("updated"))(list("remove"), inputs(2));
    await run.caps.beforeListRemovals(3);
    await expect(run.caps.beforeListRemovals(1)).rejects.toThrow(
      /asked HubSpot to remove from a list 5 records/,
    );
    expect(run.halt.reason).toBeInstanceOf(ConfigError);
  });
});

describe("max_creates", () => {
  it("halts once HubSpot's answers show more creates than the cap, and still returns that batch's outcomes", async () => {
    const run = guards({ max_creates: 4 });
    const send = run.wrapSender(answering("created"));
    await send(target("upsert"), inputs(4));
    expect(run.halt.aborted).toBe(false);
    const outcomes = await send(target("upsert"), inputs(2, 4));
    expect(outcomes.size).toBe(2);
    expect(run.halt.aborted).toBe(true);
    expect(String(run.halt.reason)).toContain("HubSpot's answers show 6 records created");
    await expect(send(target("upsert"), inputs(1, 6))).rejects.toThrow(/max_creates/);
  });

  it("does not count updates", async () => {
    const run = guards({ max_creates: 0 });
    await run.wrapSender(answering("updated"))(target("upsert"), inputs(10));
    expect(run.halt.aborted).toBe(false);
  });
});

describe("max_reject_ratio", () => {
  it("is not judged before min_records records were read, then fires on the first count past the share", () => {
    const run = guards({ max_reject_ratio: 0.2, min_records: 10 });
    run.checkRejects({ read: 9, rejected: 9 });
    expect(run.halt.aborted).toBe(false);
    run.checkRejects({ read: 10, rejected: 2 });
    expect(run.halt.aborted).toBe(false);
    run.checkRejects({ read: 10, rejected: 3 });
    expect(run.halt.aborted).toBe(true);
    expect(String(run.halt.reason)).toContain("3 of the 10 records read were rejected (30 %)");
  });
});

describe("daily_budget_share", () => {
  const gate: RequestGate = { acquire: async () => () => {}, observe: () => {} };
  const daily = (limit: number) => ({ "x-hubspot-ratelimit-daily": String(limit) });

  it("stops cleanly once the requests made, plus one per concurrency slot, reach the share of the daily limit", async () => {
    const stops: string[] = [];
    const watched = guards({ daily_budget_share: 0.1 }, stops).watchGate(gate);
    await watched.acquire();
    watched.observe(200, daily(100));
    for (let index = 1; index < 7; index += 1) await watched.acquire();
    expect(stops).toEqual([]);
    await watched.acquire(); // the 8th: 8 + 2 ≥ 10
    expect(stops).toHaveLength(1);
    expect(stops[0]).toContain("it has made or started 8 requests against the portal's daily limit of 100");
    await watched.acquire();
    expect(stops).toHaveLength(1);
  });

  it("cannot fire without daily headers, and says so after the setup", async () => {
    const logged: string[] = [];
    const run = new RunGuards(GuardsConfig.parse({ daily_budget_share: 0.5 }), {
      log: (_level, message) => logged.push(message),
      maxConcurrent: 1,
    });
    const watched = run.watchGate(gate);
    for (let index = 0; index < 100; index += 1) await watched.acquire();
    run.afterSetup();
    expect(run.halt.aborted).toBe(false);
    expect(logged.join("\n")).toContain("daily_budget_share is not enforced");
  });
});

describe("expected_portal_id", () => {
  it("passes the portal it expects and refuses another, naming both", async () => {
    const run = guards({ expected_portal_id: 123 });
    await expect(run.checkPortal(123, async () => 0)).resolves.toBeUndefined();
    await expect(run.checkPortal(456, async () => 0)).rejects.toThrow(
      /expects HubSpot portal 123.*portal 456/,
    );
  });

  it("asks for the portal only when the token's own answer did not give it", async () => {
    const run = guards({ expected_portal_id: 123 });
    let asked = 0;
    await run.checkPortal(undefined, async () => {
      asked += 1;
      return 123;
    });
    expect(asked).toBe(1);
  });
});
