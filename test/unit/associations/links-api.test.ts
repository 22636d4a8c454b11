import { describe, expect, it } from "vitest";
import { LinksApi } from "../../../src/associations/links-api.js";
import type { JsonTransport } from "../../../src/hubspot/transport.js";
import { lookupIds } from "../../../src/associations/lookups.js";
import { apiPaths } from "../../../src/hubspot/api-paths.js";

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

type Call = { path: string; body: { inputs: Array<Record<string, unknown>> } };

/** A scripted transport: answers each call from a function of the request, and records the calls. */
function transport(
  answer: (call: Call) => { status: number; body?: unknown },
): JsonTransport & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async postJson<T>(path: string, body: unknown) {
      const call = { path, body: body as Call["body"] };
      calls.push(call);
      const response = answer(call);
      if (response.status >= 400) throw new HttpError(response.status, response.body);
      return response as { status: number; body: T };
    },
  };
}

const link = (traceId: string, fromId: string, toId: string) => ({
  traceId,
  id: fromId,
  properties: {},
  fromId,
  toId,
});
const ends = (input: Record<string, unknown>) => [
  (input.from as { id: string }).id,
  ((Array.isArray(input.to) ? input.to[0] : input.to) as { id: string }).id,
];
const limitError = (fromId: string, toId: string) => ({
  status: "error",
  category: "VALIDATION_ERROR",
  message: `contact ${fromId} already has 1 companies associated with type 279, the limit configured for it`,
  context: { fromObjectId: [fromId], toObjectId: [toId] },
});
const created = (call: Call, refused: string[]) =>
  call.body.inputs
    .map(ends)
    .filter(([from]) => !refused.includes(from as string))
    .map(([fromObjectId, toObjectId]) => ({
      fromObjectId: Number(fromObjectId),
      toObjectId: Number(toObjectId),
      labels: [],
    }));

describe("LinksApi.write", () => {
  it.each([
    ["legacy", 207],
    ["2026-09", 200],
  ] as const)(
    "on %s reads a partial answer (%i with errors) per link: only the named one is refused",
    async (version, status) => {
      const hubspot = transport((call) => ({
        status,
        body: {
          status: "COMPLETE",
          results: created(call, ["2"]),
          errors: [limitError("2", "20")],
          numErrors: 1,
        },
      }));
      const api = new LinksApi(hubspot, apiPaths(version));
      const outcomes = await api.write("create", "0-1", "0-2", [
        link("a", "1", "10"),
        link("b", "2", "20"),
        link("c", "3", "30"),
      ]);
      expect(outcomes.get("a")).toEqual({ status: "written" });
      expect(outcomes.get("b")).toMatchObject({
        status: "rejected",
        rejection: { code: "VALIDATION_ERROR", httpStatus: status },
      });
      expect(outcomes.get("c")).toEqual({ status: "written" });
      expect(hubspot.calls.map((call) => call.path)).toEqual([
        version === "legacy"
          ? "/crm/v4/associations/0-1/0-2/batch/create"
          : "/crm/associations/2026-09/0-1/0-2/batch/create",
      ]);
    },
  );

  it("names records that do not exist by HubSpot's INVALID_OBJECT_IDS", async () => {
    const hubspot = transport(() => ({
      status: 200,
      body: {
        results: [],
        errors: [
          {
            status: "error",
            category: "VALIDATION_ERROR",
            message: "One or more associations are invalid",
            context: {
              INVALID_OBJECT_IDS: ["COMPANY=99 is not valid"],
              objectId: ["99"],
              objectType: ["COMPANY"],
            },
          },
        ],
      },
    }));
    const outcomes = await new LinksApi(hubspot, apiPaths()).write("associate/default", "0-1", "0-2", [
      link("a", "1", "99"),
      link("b", "2", "99"),
    ]);
    expect(
      [...outcomes.values()].map((outcome) => outcome.status === "rejected" && outcome.rejection.code),
    ).toEqual(["INVALID_OBJECT_IDS", "INVALID_OBJECT_IDS"]);
  });

  it("isolates a whole-batch 400 from the link it names, without splitting the batch blindly", async () => {
    const hubspot = transport((call) => {
      const refused = call.body.inputs.map(ends).filter(([from]) => from === "2" || from === "3");
      if (refused.length === 0) return { status: 201, body: { results: created(call, []) } };
      const [from, to] = refused[0] as string[];
      return {
        status: 400,
        body: { ...limitError(from as string, to as string), subCategory: "crm.associations.TOO_MANY" },
      };
    });
    const outcomes = await new LinksApi(hubspot, apiPaths("legacy")).write("create", "0-1", "0-2", [
      link("a", "2", "20"),
      link("b", "3", "30"),
      link("c", "1", "10"),
    ]);
    expect(outcomes.get("a")).toMatchObject({
      status: "rejected",
      rejection: { code: "TOO_MANY", httpStatus: 400 },
    });
    expect(outcomes.get("b")).toMatchObject({ status: "rejected", rejection: { code: "TOO_MANY" } });
    expect(outcomes.get("c")).toEqual({ status: "written" });
    expect(hubspot.calls.map((call) => call.body.inputs.length)).toEqual([3, 2, 1]);
  });

  it("sends a link again alone when a partial answer names neither it nor a result for it", async () => {
    let first = true;
    const hubspot = transport((call) => {
      if (first) {
        first = false;
        return {
          status: 207,
          body: { results: [], errors: [{ status: "error", category: "ERROR", message: "?" }] },
        };
      }
      return { status: 201, body: { results: created(call, []) } };
    });
    const outcomes = await new LinksApi(hubspot, apiPaths("legacy")).write("create", "0-1", "0-2", [
      link("a", "1", "10"),
      link("b", "2", "20"),
    ]);
    expect([...outcomes.values()]).toEqual([{ status: "written" }, { status: "written" }]);
    expect(hubspot.calls.map((call) => call.body.inputs.length)).toEqual([2, 1, 1]);
  });

  it("counts an archive answered 204 without a body as done (legacy), and sends each pair as its own input", async () => {
    const hubspot = transport(() => ({ status: 204 }));
    const outcomes = await new LinksApi(hubspot, apiPaths("legacy")).write("archive", "0-3", "0-2", [
      link("a", "1", "10"),
    ]);
    expect(outcomes.get("a")).toEqual({ status: "written" });
    expect(hubspot.calls[0]?.body).toEqual({ inputs: [{ from: { id: "1" }, to: [{ id: "10" }] }] });
  });
});

describe("LinksApi.read", () => {
  it("answers a page per record, an empty one for NO_ASSOCIATIONS_FOUND, and HubSpot's reason for another error", async () => {
    const hubspot = transport(() => ({
      status: 207,
      body: {
        results: [
          {
            from: { id: "1" },
            to: [
              {
                toObjectId: 10,
                associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 279, label: null }],
              },
            ],
            paging: { next: { after: "c1" } },
          },
        ],
        errors: [
          {
            status: "error",
            category: "OBJECT_NOT_FOUND",
            subCategory: "crm.associations.NO_ASSOCIATIONS_FOUND",
            message: "No company is associated with contact 2.",
            context: { fromObjectId: ["2"] },
          },
          {
            status: "error",
            category: "VALIDATION_ERROR",
            subCategory: "crm.associations.INVALID_IDENTIFIER",
            message: "3x is not a valid object identifier",
            context: { fromObjectId: ["3x"] },
          },
        ],
      },
    }));
    const read = await new LinksApi(hubspot, apiPaths("legacy")).read("0-1", "0-2", [
      { traceId: "a", id: "1", properties: {}, fromId: "1" },
      { traceId: "b", id: "2", properties: {}, fromId: "2" },
      { traceId: "c", id: "3x", properties: {}, fromId: "3x" },
    ]);
    expect(read.get("a")).toEqual({
      status: "read",
      page: { links: [{ toId: "10", types: [{ category: "HUBSPOT_DEFINED", typeId: 279 }] }], after: "c1" },
    });
    expect(read.get("b")).toEqual({ status: "read", page: { links: [] } });
    expect(read.get("c")).toMatchObject({ status: "rejected", rejection: { code: "INVALID_IDENTIFIER" } });
  });
});

describe("lookupIds", () => {
  it("finds ids by a unique value in one request, matching HubSpot's lower-cased emails, and says which are missing", async () => {
    const hubspot = transport(() => ({
      status: 207,
      body: {
        results: [{ id: "11", properties: { email: "ann@x.co" } }],
        errors: [
          {
            status: "error",
            category: "OBJECT_NOT_FOUND",
            message: "Could not get some CONTACT objects",
            context: { ids: ["nobody@x.co"] },
          },
        ],
      },
    }));
    const found = await lookupIds(hubspot, apiPaths(), { objectType: "0-1", property: "email" }, [
      "Ann@x.co",
      "nobody@x.co",
    ]);
    expect([...found]).toEqual([
      ["Ann@x.co", { status: "found", id: "11" }],
      ["nobody@x.co", { status: "missing" }],
    ]);
    expect(hubspot.calls[0]).toEqual({
      path: "/crm/objects/2026-09/0-1/batch/read",
      body: {
        idProperty: "email",
        properties: ["email", "hs_additional_emails"],
        propertiesWithHistory: [],
        inputs: [{ id: "Ann@x.co" }, { id: "nobody@x.co" }],
      },
    });
  });
});
