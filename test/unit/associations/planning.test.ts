import { describe, expect, it } from "vitest";
import type { LinkCalls, LinkInput, ReadOutcome } from "../../../src/associations/index.js";
import type { WriteTarget } from "../../../src/contract.js";
import { planningLinkCalls } from "../../../src/associations/planning.js";
import { plannedRecordId } from "../../../src/dry-run/planned-ids.js";
import { EMPLOYEE, spec, UNLABELED } from "./fixtures.js";
import { recordingContext } from "../dry-run/context.js";
import { CRM_OBJECT_TARGET } from "../../../src/targets/crm-object/target.js";

const people: WriteTarget = {
  key: "people",
  streamName: "people",
  namespace: undefined,
  objectName: "CONTACT",
  objectType: "0-1",
  mode: "upsert",
  idProperty: "email",
  ...CRM_OBJECT_TARGET,
};
const specs = new Map([["people", [spec()]]]);
const input = (fromId: string) => ({ traceId: `t${fromId}`, id: fromId, properties: {}, fromId });
const link = (fromId: string, toId: string, types?: LinkInput["types"]): LinkInput => ({
  ...input(fromId),
  traceId: `t${fromId}>${toId}`,
  toId,
  types,
});

/** HubSpot's link calls: record 7 has two pages of links, other records none; writes must never come. */
function hubspot() {
  const reads: string[][] = [];
  const api: LinkCalls = {
    async write() {
      throw new Error("a plan sent a link write");
    },
    async read(_from, _to, inputs) {
      reads.push(inputs.map((one) => `${one.fromId}${one.after ? `@${one.after}` : ""}`));
      return new Map<string, ReadOutcome>(
        inputs.map((one) => {
          if (one.fromId !== "7") return [one.traceId, { status: "read", page: { links: [] } }];
          return one.after
            ? [one.traceId, { status: "read", page: { links: [{ toId: "2", types: [UNLABELED] }] } }]
            : [
                one.traceId,
                {
                  status: "read",
                  page: { links: [{ toId: "1", types: [UNLABELED, EMPLOYEE] }], after: "p2" },
                },
              ];
        }),
      );
    },
  };
  const transport = {
    posts: [] as string[],
    async postJson<T>(path: string) {
      transport.posts.push(path);
      return { status: 200, body: { results: [] } as T };
    },
  };
  return { api, reads, transport };
}

function planner() {
  const portal = hubspot();
  const { context, told } = recordingContext();
  const links = planningLinkCalls(
    { context, targets: new Map([["people", people]]), transport: portal.transport },
    specs,
    portal.api,
  );
  return { ...portal, links, told };
}

const linksOf = (outcome: ReadOutcome | undefined) =>
  outcome?.status === "read"
    ? Object.fromEntries(outcome.page.links.map((link) => [link.toId, link.types.map((type) => type.typeId)]))
    : outcome;

describe("the plan's link calls", () => {
  it("answers every link write as HubSpot answers success without sending it, and counts one request a call", async () => {
    const { links, told } = planner();
    const outcomes = await links.api.write("associate/default", "0-1", "0-2", [
      link("7", "3"),
      link("8", "3"),
    ]);
    expect([...outcomes.values()]).toEqual([{ status: "written" }, { status: "written" }]);
    expect(told.requests).toEqual([["people", 1]]);
  });

  it("reads every page of a record's links, counting each round, and answers a record it would create without a request", async () => {
    const { links, reads, told } = planner();
    const planned = plannedRecordId("0-1", "new@x.co");
    const read = await links.api.read("0-1", "0-2", [input("7"), input(planned), input("9")]);
    expect(reads).toEqual([["7", "9"], ["7@p2"]]);
    expect(linksOf(read.get("t7"))).toEqual({
      1: [UNLABELED.typeId, EMPLOYEE.typeId],
      2: [UNLABELED.typeId],
    });
    expect(linksOf(read.get(`t${planned}`))).toEqual({});
    expect(told.requests).toEqual([
      ["people", 1],
      ["people", 1],
    ]);
  });

  it("lays its earlier changes to a record over HubSpot's links, as the write would find them", async () => {
    const { links } = planner();
    const other = { category: "USER_DEFINED", typeId: 1410 };
    await links.api.write("create", "0-1", "0-2", [link("7", "3", [other])]);
    await links.api.write("labels/archive", "0-1", "0-2", [{ ...link("7", "1"), types: [EMPLOYEE] }]);
    await links.api.write("archive", "0-1", "0-2", [link("7", "2")]);
    await links.api.write("associate/default", "0-1", "0-2", [link("7", "4")]);
    const read = await links.api.read("0-1", "0-2", [input("7")]);
    expect(linksOf(read.get("t7"))).toEqual({ 1: [UNLABELED.typeId], 3: [other.typeId], 4: [] });
    // The same record's links to another object are untouched.
    const elsewhere = await links.api.read("0-1", "0-3", [input("7")]);
    expect(linksOf(elsewhere.get("t7"))).toEqual({
      1: [UNLABELED.typeId, EMPLOYEE.typeId],
      2: [UNLABELED.typeId],
    });
  });

  it("passes target lookups through to HubSpot and counts them for the stream linking to that object", async () => {
    const { links, transport, told } = planner();
    await links.lookupTransport("0-2").postJson("/crm/objects/0-2/batch/read", {});
    expect(transport.posts).toEqual(["/crm/objects/0-2/batch/read"]);
    expect(told.requests).toEqual([["people", 1]]);
  });
});
