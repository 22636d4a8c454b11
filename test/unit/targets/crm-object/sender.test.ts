import { describe, expect, it } from "vitest";
import type { InputOutcome, InputScreen, WriteTarget } from "../../../../src/contract.js";
import { apiPaths } from "../../../../src/hubspot/api-paths.js";
import { createCrmSender } from "../../../../src/targets/crm-object/sender.js";
import type { JsonTransport } from "../../../../src/hubspot/transport.js";
import { CRM_OBJECT_TARGET } from "../../../../src/targets/crm-object/target.js";

const target = (mode: WriteTarget["mode"], idProperty = "email"): WriteTarget => ({
  key: "users",
  streamName: "users",
  namespace: undefined,
  objectName: "CONTACT",
  objectType: "0-1",
  mode,
  idProperty,
  ...CRM_OBJECT_TARGET,
});

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

type Call = {
  path: string;
  body: { inputs: { id: string; objectWriteTraceId?: string; properties?: Record<string, string> }[] };
};

/** A scripted transport: answers each call from a function of the request, and records the calls. */
function transport(
  answer: (call: Call) => { status: number; body: unknown },
): JsonTransport & { calls: Call[]; maxConcurrent: number } {
  const calls: Call[] = [];
  let active = 0;
  const self = {
    calls,
    maxConcurrent: 0,
    async postJson<T>(path: string, body: unknown) {
      const call = { path, body: body as Call["body"] };
      calls.push(call);
      active += 1;
      self.maxConcurrent = Math.max(self.maxConcurrent, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active -= 1;
      const response = answer(call);
      if (response.status >= 400) throw new HttpError(response.status, response.body);
      return response as { status: number; body: T };
    },
  };
  return self;
}

const sender = (t: JsonTransport, version: Parameters<typeof apiPaths>[0] = "legacy") =>
  createCrmSender(t, apiPaths(version));

const inputs = (...emails: string[]) =>
  emails.map((id, i) => ({ traceId: `t${i}`, id, properties: { email: id } }));

const invalidEmail = (email: string) => ({
  status: "error",
  category: "VALIDATION_ERROR",
  message: `Property values were not valid: [{"isValid":false,"message":"Email address ${email} is invalid","error":"INVALID_EMAIL","name":"email"}]`,
});

const echoResults = (call: Call, created = true) => ({
  status: 200,
  body: {
    results: call.body.inputs.map((input, i) => ({
      id: String(100 + i),
      new: created,
      objectWriteTraceId: input.objectWriteTraceId,
      properties: { email: input.id },
    })),
  },
});

/** A whole-batch VALIDATION_ERROR body with one embedded property problem. */
const problem = (code: string, name: string, message: string) => ({
  status: "error",
  category: "VALIDATION_ERROR",
  message: `Property values were not valid: ${JSON.stringify([{ isValid: false, message, error: code, name }])}`,
});

/** Refuses, whole, any batch holding `bad` for `property`; writes every other batch. */
const refusingValue = (property: string, bad: string, body: unknown) =>
  transport((call) =>
    call.body.inputs.some((input) => input.properties?.[property] === bad)
      ? { status: 400, body }
      : echoResults(call),
  );

/** Contacts u0@x.co, u1@x.co, … with `values[i]` for `property`. */
const valued = (property: string, values: readonly string[]) =>
  values.map((value, i) => ({
    traceId: `t${i}`,
    id: `u${i}@x.co`,
    properties: { email: `u${i}@x.co`, [property]: value },
  }));

const statusOf = (outcome: InputOutcome | undefined) =>
  outcome?.status === "rejected" ? `rejected:${outcome.rejection.code}` : outcome?.status;

/** Each input's outcome, in input order (t0, t1, …). */
const inOrder = (outcomes: Map<string, InputOutcome>) =>
  Array.from({ length: outcomes.size }, (_, i) => statusOf(outcomes.get(`t${i}`)));

describe("createCrmSender", () => {
  it("maps each result of an upsert to its input, saying created or updated", async () => {
    const t = transport((call) => {
      const answer = echoResults(call);
      answer.body.results[1]!.new = false;
      return answer;
    });
    const outcomes = await sender(t)(target("upsert"), inputs("a@x.co", "b@x.co"));
    expect(outcomes.get("t0")).toEqual({ status: "written", effect: "created", recordId: "100" });
    expect(outcomes.get("t1")).toEqual({ status: "written", effect: "updated", recordId: "101" });
    expect(t.calls[0]?.path).toBe("/crm/v3/objects/0-1/batch/upsert");
  });

  it("calls the dated path of the configured API version", async () => {
    const t = transport((call) => echoResults(call));
    await sender(t, "2026-09")(target("upsert"), inputs("a@x.co"));
    await sender(t, "2026-03")(target("update"), inputs("a@x.co"));
    expect(t.calls.map((call) => call.path)).toEqual([
      "/crm/objects/2026-09/0-1/batch/upsert",
      "/crm/objects/2026-03/0-1/batch/update",
    ]);
  });

  it("matches results without trace ids by the key HubSpot lower-cased", async () => {
    const t = transport(() => ({
      status: 200,
      body: { results: [{ id: "1", new: true, properties: { email: "ann@x.co" } }] },
    }));
    const outcomes = await sender(t)(target("upsert"), [{ traceId: "t0", id: "Ann@X.co", properties: {} }]);
    expect(outcomes.get("t0")).toEqual({ status: "written", effect: "created", recordId: "1" });
  });

  it("counts every input written when a 200 carries no error, even without results to match", async () => {
    const t = transport(() => ({ status: 200, body: { status: "COMPLETE", results: [] } }));
    const outcomes = await sender(t)(target("upsert"), inputs("a@x.co", "b@x.co"));
    expect(inOrder(outcomes)).toEqual(["written", "written"]);
  });

  it("rejects the input a 207 names and leaves an input with no result unaccounted, never written", async () => {
    const t = transport((call) => ({
      status: 207,
      body: {
        results: [],
        errors: [
          {
            ...invalidEmail("bad"),
            context: { objectWriteTraceId: [call.body.inputs[1]?.objectWriteTraceId] },
          },
        ],
      },
    }));
    const outcomes = await sender(t)(target("upsert"), inputs("a@x.co", "bad"));
    expect(outcomes.get("t1")).toMatchObject({
      status: "rejected",
      rejection: { code: "INVALID_EMAIL", field: "email", httpStatus: 207, category: "VALIDATION_ERROR" },
    });
    expect(statusOf(outcomes.get("t0"))).toBe("unaccounted");
  });

  it("leaves every unnamed input unaccounted when a 207 error names no input at all", async () => {
    const t = transport((call) => ({
      status: 207,
      body: {
        results: [{ id: "1", new: true, objectWriteTraceId: call.body.inputs[0]?.objectWriteTraceId }],
        errors: [invalidEmail("who")],
      },
    }));
    const outcomes = await sender(t)(target("upsert"), inputs("a@x.co", "b@x.co", "c@x.co"));
    expect(inOrder(outcomes)).toEqual(["written", "unaccounted", "unaccounted"]);
  });

  it("reads per-input errors from a 2026-09 answer of 200 as it would from a 207", async () => {
    const t = transport((call) => ({
      status: 200,
      body: {
        status: "COMPLETE",
        numErrors: 1,
        results: [{ id: "1", new: true, objectWriteTraceId: call.body.inputs[0]?.objectWriteTraceId }],
        errors: [
          {
            ...invalidEmail("bad"),
            context: { objectWriteTraceId: [call.body.inputs[1]?.objectWriteTraceId] },
          },
        ],
      },
    }));
    const outcomes = await sender(t, "2026-09")(target("upsert"), inputs("a@x.co", "bad"));
    expect(inOrder(outcomes)).toEqual(["written", "rejected:INVALID_EMAIL"]);
  });

  it("takes out the input whose value a whole-batch 400 quotes and sends the rest at once: 2 requests for 1 bad", async () => {
    const t = transport((call) => {
      const bad = call.body.inputs.find((input) => input.id.endsWith(".con"));
      return bad ? { status: 400, body: invalidEmail(bad.id) } : echoResults(call);
    });
    const emails = Array.from({ length: 8 }, (_, i) => (i === 5 ? "u5@x.con" : `u${i}@x.co`));
    const outcomes = await sender(t)(target("upsert"), inputs(...emails));
    expect(outcomes.get("t5")).toMatchObject({
      status: "rejected",
      rejection: { code: "INVALID_EMAIL", httpStatus: 400 },
    });
    expect([...outcomes.values()].filter((o) => o.status === "written")).toHaveLength(7);
    expect(t.calls).toHaveLength(2);
  });

  it("tells the screen of a refused address before sending the rest again, and screens what it sends again", async () => {
    const t = transport((call) => {
      const bad = call.body.inputs.find((input) => input.id.endsWith(".con"));
      return bad ? { status: 400, body: invalidEmail(bad.id) } : echoResults(call);
    });
    const told: { id: string; code: string; callsSoFar: number }[] = [];
    // A value refused meanwhile by another batch's answer: u2's address is no longer sent.
    const screen: InputScreen = (input) =>
      input.id === "u2@x.co"
        ? { code: "INVALID_EMAIL", message: "refused earlier", field: "email" }
        : undefined;
    screen.refused = (input, rejection) =>
      told.push({ id: input.id, code: rejection.code, callsSoFar: t.calls.length });
    const emails = Array.from({ length: 6 }, (_, i) => (i === 4 ? "u4@x.con" : `u${i}@x.co`));
    const outcomes = await sender(t)(target("upsert"), inputs(...emails), screen);
    expect(told).toEqual([{ id: "u4@x.con", code: "INVALID_EMAIL", callsSoFar: 1 }]);
    expect(inOrder(outcomes)).toEqual([
      "written",
      "written",
      "rejected:INVALID_EMAIL",
      "written",
      "rejected:INVALID_EMAIL",
      "written",
    ]);
    expect(t.calls[1]?.body.inputs.map((input) => input.id)).toEqual([
      "u0@x.co",
      "u1@x.co",
      "u3@x.co",
      "u5@x.co",
    ]);
  });

  it("isolates k refused addresses in k + 1 requests, even when one is a prefix of a good one", async () => {
    const bad = new Set(["ann@x.con", "bob@y.con", "cy@z.con"]);
    const t = transport((call) => {
      const first = call.body.inputs.find((input) => bad.has(input.id));
      return first ? { status: 400, body: invalidEmail(first.id) } : echoResults(call);
    });
    const emails = ["ann@x.con", "ann@x.conz.co", "a@b.co", "bob@y.con", "zz@q.co", "cy@z.con"];
    const outcomes = await sender(t)(target("upsert"), inputs(...emails));
    expect(inOrder(outcomes)).toEqual([
      "rejected:INVALID_EMAIL",
      "written",
      "written",
      "rejected:INVALID_EMAIL",
      "written",
      "rejected:INVALID_EMAIL",
    ]);
    expect(t.calls).toHaveLength(4);
  });

  it("never blames good records whose value an admin rule's own message quotes as an example", async () => {
    const message = "Use a two-letter country code such as US or DE";
    const t = refusingValue("country", "Germany", problem("INVALID_REGEX", "country", message));
    const outcomes = await sender(t)(
      target("upsert"),
      valued("country", ["US", "DE", "FR", "Germany", "US", "DE"]),
    );
    expect(inOrder(outcomes)).toEqual([
      "written",
      "written",
      "written",
      "rejected:INVALID_REGEX",
      "written",
      "written",
    ]);
  });

  it("does not blame a good record whose value is one of the allowed options an INVALID_OPTION lists", async () => {
    const message = "platinum was not one of the allowed options: [gold, silver]";
    const t = refusingValue("tier", "platinum", problem("INVALID_OPTION", "tier", message));
    const outcomes = await sender(t)(
      target("upsert"),
      valued("tier", ["gold", "silver", "platinum", "gold"]),
    );
    expect(inOrder(outcomes)).toEqual(["written", "written", "rejected:INVALID_OPTION", "written"]);
    // The refused value is quoted before the list: one request to learn it, one for the rest.
    expect(t.calls).toHaveLength(2);
  });

  it("does not blame good records whose option is a word of HubSpot's own message ('one' in 'was not one of')", async () => {
    const message = "gone was not one of the allowed options: [one, two]";
    const t = refusingValue("tier", "gone", problem("INVALID_OPTION", "tier", message));
    const outcomes = await sender(t)(target("upsert"), valued("tier", ["one", "gone", "one", "two"]));
    expect(inOrder(outcomes)).toEqual(["written", "rejected:INVALID_OPTION", "written", "written"]);
    expect(t.calls).toHaveLength(2);
  });

  it("splits a refusal that names nothing usable into halves sent in parallel", async () => {
    const t = transport((call) =>
      call.body.inputs.some((input) => input.id === "bad@x.co")
        ? {
            status: 400,
            body: { status: "error", category: "VALIDATION_ERROR", message: "Something is wrong" },
          }
        : echoResults(call),
    );
    const emails = Array.from({ length: 8 }, (_, i) => (i === 5 ? "bad@x.co" : `u${i}@x.co`));
    const outcomes = await sender(t)(target("upsert"), inputs(...emails));
    expect(statusOf(outcomes.get("t5"))).toBe("rejected:VALIDATION_ERROR");
    expect([...outcomes.values()].filter((o) => o.status === "written")).toHaveLength(7);
    expect(t.calls).toHaveLength(7);
    expect(t.maxConcurrent).toBeGreaterThan(1);
  });

  it("rejects a single input refused with 409 with HubSpot's reason", async () => {
    const t = transport(() => ({
      status: 409,
      body: { status: "error", category: "CONFLICT", message: "Conflict", error: "CONTACT_EXISTS" },
    }));
    const outcomes = await sender(t)(target("upsert"), inputs("a@x.co"));
    expect(outcomes.get("t0")).toMatchObject({
      status: "rejected",
      rejection: { code: "CONTACT_EXISTS", httpStatus: 409 },
    });
  });

  it("throws a failure that is not about the batch content, such as a 403", async () => {
    const t = transport(() => ({ status: 403, body: { category: "MISSING_SCOPES" } }));
    await expect(sender(t)(target("upsert"), inputs("a@x.co"))).rejects.toMatchObject({ status: 403 });
  });

  it("counts an update as an update and rejects a key that matches no record as OBJECT_NOT_FOUND", async () => {
    const t = transport(() => ({
      status: 207,
      body: {
        results: [{ id: "1", properties: { email: "a@x.co" } }],
        errors: [
          {
            status: "error",
            category: "OBJECT_NOT_FOUND",
            message: "Could not get some CONTACT objects, they may be deleted or not exist.",
            context: { ids: ["nobody@x.co"] },
          },
        ],
      },
    }));
    const outcomes = await sender(t)(target("update"), inputs("a@x.co", "nobody@x.co"));
    expect(outcomes.get("t1")).toMatchObject({ status: "rejected", rejection: { code: "OBJECT_NOT_FOUND" } });
    expect(outcomes.get("t0")).toEqual({ status: "written", effect: "updated", recordId: "1" });
    expect(t.calls[0]?.path).toBe("/crm/v3/objects/0-1/batch/update");
  });

  it("archives the records found by key and counts the keys HubSpot says are missing as already absent", async () => {
    const t = transport((call) =>
      call.path.endsWith("/batch/read")
        ? {
            status: 207,
            body: {
              results: [{ id: "42", properties: { email: "a@x.co" } }],
              errors: [
                {
                  status: "error",
                  category: "OBJECT_NOT_FOUND",
                  message: "gone",
                  context: { ids: ["gone@x.co"] },
                },
              ],
            },
          }
        : { status: 204, body: undefined },
    );
    const outcomes = await sender(t)(target("archive"), inputs("a@x.co", "gone@x.co"));
    expect(outcomes.get("t0")).toEqual({ status: "written", effect: "archived", recordId: "42" });
    expect(outcomes.get("t1")).toEqual({ status: "written", effect: "absent" });
    expect(t.calls.map((c) => c.path)).toEqual([
      "/crm/v3/objects/0-1/batch/read",
      "/crm/v3/objects/0-1/batch/archive",
    ]);
    expect(t.calls[1]?.body.inputs).toEqual([{ id: "42" }]);
  });

  it("isolates an archive batch whose read HubSpot refuses whole, instead of failing the run", async () => {
    const t = transport((call) => {
      if (call.path.endsWith("/batch/archive")) return { status: 204, body: undefined };
      const bad = call.body.inputs.find((input) => input.id === "x@y.con");
      if (bad) return { status: 400, body: invalidEmail(bad.id) };
      return {
        status: 200,
        body: {
          results: call.body.inputs.map((input, i) => ({
            id: String(i + 1),
            properties: { email: input.id },
          })),
        },
      };
    });
    const outcomes = await sender(t)(target("archive"), inputs("a@x.co", "x@y.con", "b@x.co"));
    expect(inOrder(outcomes)).toEqual(["written", "rejected:INVALID_EMAIL", "written"]);
  });
});
