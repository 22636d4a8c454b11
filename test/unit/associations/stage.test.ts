import { describe, expect, it } from "vitest";
import { LinksApi } from "../../../src/associations/links-api.js";
import type { JsonTransport } from "../../../src/hubspot/transport.js";
import { AssociationStage, type AssociationStageOptions } from "../../../src/associations/stage.js";
import type { Resolution } from "../../../src/associations/types.js";
import type { StageRecord, StageVerdict, WriteTarget } from "../../../src/contract.js";
import { apiPaths } from "../../../src/hubspot/api-paths.js";
import { spec } from "./fixtures.js";
import { CRM_OBJECT_TARGET } from "../../../src/targets/crm-object/target.js";

const deals: WriteTarget = {
  key: "deals",
  streamName: "deals",
  namespace: undefined,
  objectName: "DEAL",
  objectType: "0-3",
  mode: "upsert",
  idProperty: "deal_external_id",
  ...CRM_OBJECT_TARGET,
};
const companies: WriteTarget = {
  ...deals,
  key: "companies",
  streamName: "companies",
  objectName: "COMPANY",
  objectType: "0-2",
  idProperty: "company_external_id",
};
const toCompany = spec({
  streamKey: "deals",
  field: "company",
  fromObjectType: "0-3",
  unlabeled: { category: "HUBSPOT_DEFINED", typeId: 341 },
  type: { category: "HUBSPOT_DEFINED", typeId: 341 },
  labelled: false,
});

/** The sandbox-free HubSpot: every link is made (and recorded); `failWith` makes the next write fail. */
function hubspot() {
  const writes: Array<{ path: string; pairs: string[] }> = [];
  const self = {
    writes,
    failWith: undefined as Error | undefined,
    async postJson<T>(path: string, body: unknown) {
      if (self.failWith) throw self.failWith;
      const inputs = (body as { inputs: Array<{ from: { id: string }; to: { id: string } }> }).inputs;
      writes.push({ path, pairs: inputs.map((input) => `${input.from.id}>${input.to.id}`) });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const results = inputs.map((input) => ({ from: { id: input.from.id }, to: { id: input.to.id } }));
      return { status: 200, body: { results } as T };
    },
  } satisfies JsonTransport & Record<string, unknown>;
  return self;
}

function stage(
  known: Record<string, string>,
  options: Partial<Pick<AssociationStageOptions, "maxWaitingRecords" | "onLinks" | "describe">> = {},
) {
  const portal = hubspot();
  const lookups: string[][] = [];
  const failures: unknown[] = [];
  const subject = new AssociationStage({
    specs: new Map([["deals", [toCompany]]]),
    api: new LinksApi(portal, apiPaths()),
    lookup: async (_target, values) => {
      lookups.push(values);
      return new Map<string, Resolution>(
        values.map((value) => [
          value,
          known[value] ? { status: "found", id: known[value] } : { status: "missing" },
        ]),
      );
    },
    writtenObjects: new Set(["0-2", "0-3"]),
    lingerMs: 10,
    ...options,
  });
  const stop = new AbortController();
  subject.start({ fail: (error) => failures.push(error), stop: stop.signal });
  const verdicts = new Map<string, StageVerdict>();
  const take = (key: string, recordId: string, company: unknown) => {
    const record: StageRecord = {
      target: deals,
      key,
      data: { deal_external_id: key, company },
      properties: {},
      recordId,
      effect: "created",
      lineNumber: 1,
      detail: { current: { dealname: "Old" } },
    };
    subject.take(record, (verdict) => verdicts.set(`${key}#${verdicts.size}`, verdict));
  };
  return { subject, portal, lookups, failures, verdicts, take, stop };
}
const verdictOf = (verdicts: Map<string, StageVerdict>, key: string) =>
  [...verdicts].find(([name]) => name.startsWith(`${key}#`))?.[1];
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const codes = (verdicts: Map<string, StageVerdict>) =>
  [...verdicts].map(([key, verdict]) => [
    key.split("#")[0],
    verdict.status === "written" ? "written" : verdict.rejection.code,
  ]);

describe("AssociationStage", () => {
  it("settles a record with nothing to link at once, without a request", async () => {
    const { subject, portal, verdicts, take } = stage({});
    take("d1", "101", null);
    await subject.finish();
    expect(codes(verdicts)).toEqual([["d1", "written"]]);
    expect(portal.writes).toEqual([]);
  });

  it("keeps at most maxWaitingRecords waiting: past it the oldest are looked up again and settled for good", async () => {
    const { subject, lookups, verdicts, take } = stage({}, { maxWaitingRecords: 2 });
    take("d1", "101", "c1");
    take("d2", "102", "c2");
    await wait(30);
    expect(subject.pending).toBe(2);
    expect(verdicts.size).toBe(0);
    // One over the cap: the excess and a hundredth of the cap (rounded up) go, the oldest first.
    take("d3", "103", "c3");
    await wait(40);
    expect(codes(verdicts)).toEqual([
      ["d1", "ASSOCIATION_TARGET_NOT_FOUND"],
      ["d2", "ASSOCIATION_TARGET_NOT_FOUND"],
    ]);
    expect(lookups.flat().filter((value) => value === "c1")).toHaveLength(2);
    subject.observe(companies, "c3", "203");
    await subject.finish();
    expect(codes(verdicts).at(-1)).toEqual(["d3", "written"]);
  });

  it("lets the oldest waiting record go when told that it alone holds reading up", async () => {
    const { subject, verdicts, take } = stage({});
    take("d1", "101", "c1");
    take("d2", "102", "c2");
    await wait(30);
    subject.relieve();
    await wait(30);
    expect(codes(verdicts)).toEqual([
      ["d1", "ASSOCIATION_TARGET_NOT_FOUND"],
      ["d2", "ASSOCIATION_TARGET_NOT_FOUND"],
    ]);
    expect(subject.pending).toBe(0);
  });

  it("links a later write of the same record only after the earlier one's links are done", async () => {
    const { subject, portal, verdicts, take } = stage({ c1: "201", c2: "202" });
    take("d1", "101", "c1");
    take("d1", "101", "c2");
    await subject.finish();
    expect(portal.writes.map((write) => write.pairs)).toEqual([["101>201"], ["101>202"]]);
    expect(codes(verdicts)).toEqual([
      ["d1", "written"],
      ["d1", "written"],
    ]);
  });

  it("hands a failure of its own requests to the run and sends nothing more", async () => {
    const { subject, portal, failures, take } = stage({ c1: "201", c2: "202" });
    portal.failWith = new Error("401 from HubSpot");
    take("d1", "101", "c1");
    await wait(30);
    expect(failures).toHaveLength(1);
    portal.failWith = undefined;
    take("d2", "102", "c2");
    await wait(30);
    expect(portal.writes).toEqual([]);
    await expect(subject.finish()).resolves.toBeUndefined();
  });

  it("sends nothing once the run is stopped", async () => {
    const { portal, take, stop } = stage({ c1: "201" });
    stop.abort();
    take("d1", "101", "c1");
    await wait(30);
    expect(portal.writes).toEqual([]);
  });

  it("tells the run each record's confirmed links, and in a plan adds them to the record's detail", async () => {
    const told: Array<[string, string[]]> = [];
    const { subject, verdicts, take } = stage(
      { c1: "201" },
      {
        describe: true,
        onLinks: (target, changes) => told.push([target.key, changes.map((change) => change.verdict)]),
      },
    );
    take("d1", "101", "c1");
    take("d2", "102", null);
    await subject.finish();
    expect(told).toEqual([["deals", ["link"]]]);
    expect(verdictOf(verdicts, "d1")).toEqual({
      status: "written",
      effect: "created",
      detail: {
        current: { dealname: "Old" },
        verdicts: [{ verdict: "link", about: 'COMPANY company_external_id "c1"' }],
      },
    });
    // Nothing to link: the record's own detail, untouched, so its line still shows what changes.
    expect(verdictOf(verdicts, "d2")).toEqual({
      status: "written",
      effect: "created",
      detail: { current: { dealname: "Old" }, verdicts: [] },
    });
  });

  it("leaves a write's verdicts without a detail", async () => {
    const { subject, verdicts, take } = stage({ c1: "201" });
    take("d1", "101", "c1");
    await subject.finish();
    expect(verdictOf(verdicts, "d1")).toEqual({ status: "written", effect: "created" });
  });
});
