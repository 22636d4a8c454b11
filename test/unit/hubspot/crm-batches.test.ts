import { describe, expect, it } from "vitest";
import { type CrmTransport, createCrmSender } from "../../../src/hubspot/crm-batches.js";
import type { WriteTarget } from "../../../src/load/types.js";

const target = (mode: WriteTarget["mode"], idProperty = "email"): WriteTarget => ({
  key: "users",
  streamName: "users",
  namespace: undefined,
  objectName: "CONTACT",
  objectType: "0-1",
  mode,
  idProperty,
  kind: "crm",
});

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

type Call = { path: string; body: { inputs: { id: string; objectWriteTraceId?: string }[] } };

/** A scripted transport: answers each call from a function of the request, and records the calls. */
function transport(
  answer: (call: Call) => { status: number; body: unknown },
): CrmTransport & { calls: Call[] } {
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

const inputs = (...emails: string[]) =>
  emails.map((id, i) => ({ traceId: `t${i}`, id, properties: { email: id } }));

const invalidEmail = (email: string) => ({
  status: "error",
  category: "VALIDATION_ERROR",
  message: `Property values were not valid: [{"isValid":false,"message":"Email address ${email} is invalid","error":"INVALID_EMAIL","name":"email"}]`,
});

describe("createCrmSender", () => {
  it("maps each result of an upsert to its input, with created and updated", async () => {
    const t = transport((call) => ({
      status: 200,
      body: {
        results: call.body.inputs.map((input, i) => ({
          id: String(100 + i),
          new: i === 0,
          objectWriteTraceId: input.objectWriteTraceId,
          properties: { email: input.id },
        })),
      },
    }));
    const outcomes = await createCrmSender(t)(target("upsert"), inputs("a@x.co", "b@x.co"));
    expect(outcomes.get("t0")).toEqual({ ok: true, created: true });
    expect(outcomes.get("t1")).toEqual({ ok: true, created: false });
    expect(t.calls[0]?.path).toBe("/crm/v3/objects/0-1/batch/upsert");
  });

  it("matches results without trace ids by the key HubSpot lower-cased", async () => {
    const t = transport(() => ({
      status: 200,
      body: { results: [{ id: "1", new: true, properties: { email: "ann@x.co" } }] },
    }));
    const outcomes = await createCrmSender(t)(target("upsert"), [
      { traceId: "t0", id: "Ann@X.co", properties: {} },
    ]);
    expect(outcomes.get("t0")).toEqual({ ok: true, created: true });
  });

  it("rejects only the input a 207 names and keeps its code and field", async () => {
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
    const outcomes = await createCrmSender(t)(target("upsert"), inputs("a@x.co", "bad"));
    expect(outcomes.get("t1")).toMatchObject({
      ok: false,
      rejection: { code: "INVALID_EMAIL", field: "email", httpStatus: 207, category: "VALIDATION_ERROR" },
    });
    expect(outcomes.get("t0")).toBeUndefined();
  });

  it("splits a batch HubSpot refuses whole until the bad input stands alone", async () => {
    const t = transport((call) =>
      call.body.inputs.some((input) => input.id === "bad")
        ? { status: 400, body: invalidEmail("bad") }
        : { status: 200, body: { results: [] } },
    );
    const emails = Array.from({ length: 8 }, (_, i) => (i === 5 ? "bad" : `u${i}@x.co`));
    const outcomes = await createCrmSender(t)(target("upsert"), inputs(...emails));
    expect(outcomes.get("t5")).toMatchObject({
      ok: false,
      rejection: { code: "INVALID_EMAIL", httpStatus: 400 },
    });
    expect([...outcomes.values()].filter((o) => !o.ok)).toHaveLength(1);
    // 8 → 4+4 → (2+2) → (1+1): one call per level on the bad side plus the good halves.
    expect(t.calls.length).toBe(7);
  });

  it("rejects a single input refused with 409 with HubSpot's reason", async () => {
    const t = transport(() => ({
      status: 409,
      body: { status: "error", category: "CONFLICT", message: "Conflict", error: "CONTACT_EXISTS" },
    }));
    const outcomes = await createCrmSender(t)(target("upsert"), inputs("a@x.co"));
    expect(outcomes.get("t0")).toMatchObject({
      ok: false,
      rejection: { code: "CONTACT_EXISTS", httpStatus: 409 },
    });
  });

  it("throws a failure that is not about the batch content, such as a 403", async () => {
    const t = transport(() => ({ status: 403, body: { category: "MISSING_SCOPES" } }));
    await expect(createCrmSender(t)(target("upsert"), inputs("a@x.co"))).rejects.toMatchObject({
      status: 403,
    });
  });

  it("rejects an update whose key matches no record as OBJECT_NOT_FOUND", async () => {
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
    const outcomes = await createCrmSender(t)(target("update"), inputs("a@x.co", "nobody@x.co"));
    expect(outcomes.get("t1")).toMatchObject({ ok: false, rejection: { code: "OBJECT_NOT_FOUND" } });
    expect(outcomes.get("t0")).toEqual({ ok: true });
    expect(t.calls[0]?.path).toBe("/crm/v3/objects/0-1/batch/update");
  });

  it("archives the records found by key and counts missing keys as already archived", async () => {
    const t = transport((call) =>
      call.path.endsWith("/batch/read")
        ? { status: 207, body: { results: [{ id: "42", properties: { email: "a@x.co" } }], errors: [] } }
        : { status: 204, body: undefined },
    );
    const outcomes = await createCrmSender(t)(target("archive"), inputs("a@x.co", "gone@x.co"));
    expect([...outcomes.values()].every((o) => o.ok)).toBe(true);
    expect(t.calls.map((c) => c.path)).toEqual([
      "/crm/v3/objects/0-1/batch/read",
      "/crm/v3/objects/0-1/batch/archive",
    ]);
    expect(t.calls[1]?.body.inputs).toEqual([{ id: "42" }]);
  });
});
