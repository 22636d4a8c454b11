import { describe, expect, it } from "vitest";
import type { WireInput, WriteTarget } from "../../../../src/contract.js";
import type { Outcomes } from "../../../../src/hubspot/isolate.js";
import { mergingSameRecord, sentProperties } from "../../../../src/targets/crm-object/same-record.js";

const target = { idProperty: "email", objectType: "0-1" } as WriteTarget;
const input = (traceId: string, id: string, properties: Record<string, string>): WireInput => ({
  traceId,
  id,
  properties: { email: id, ...properties },
});

/** A refusal as the client throws it. */
const refused = (ids: string[]) =>
  Object.assign(new Error("refused"), {
    status: 400,
    body: { category: "VALIDATION_ERROR", message: "Duplicate IDs found in batch input", context: { ids } },
  });

/** HubSpot as far as pairs go: `aliases` maps a secondary address to its primary one. */
function fakeHubSpot(aliases: Record<string, string>) {
  const sent: WireInput[][] = [];
  const send = async (inputs: readonly WireInput[]): Promise<Outcomes> => {
    sent.push([...inputs]);
    const byRecord = new Map<string, string[]>();
    for (const { id } of inputs) {
      const record = aliases[id] ?? id;
      byRecord.set(record, [...(byRecord.get(record) ?? []), id]);
    }
    const clash = [...byRecord.values()].find((ids) => ids.length > 1);
    if (clash) throw refused(clash);
    return new Map(
      inputs.map((i) => [
        i.traceId,
        { status: "written", effect: "updated", recordId: aliases[i.id] ?? i.id },
      ]),
    );
  };
  return { sent, send };
}

describe("mergingSameRecord", () => {
  it("merges each pair HubSpot names, later values winning, one extra request a refusal", async () => {
    const hubspot = fakeHubSpot({ "s1@x.co": "p1@x.co", "s2@x.co": "p2@x.co" });
    let extra = 0;
    const send = mergingSameRecord(target, hubspot.send, undefined, () => (extra += 1));
    const outcomes = await send([
      input("t0", "s1@x.co", { firstname: "Early", lastname: "Kept" }),
      input("t1", "p2@x.co", { firstname: "B" }),
      input("t2", "p1@x.co", { firstname: "Late" }),
      input("t3", "s2@x.co", { firstname: "B2" }),
    ]);
    expect(hubspot.sent.map((batch) => batch.length)).toEqual([4, 3, 2]);
    expect(extra).toBe(2);
    expect(hubspot.sent[2]).toEqual([
      { traceId: "t0", id: "s1@x.co", properties: { email: "s1@x.co", firstname: "Late", lastname: "Kept" } },
      { traceId: "t1", id: "p2@x.co", properties: { email: "p2@x.co", firstname: "B2" } },
    ]);
    expect([...outcomes.keys()].sort()).toEqual(["t0", "t1", "t2", "t3"]);
    expect(outcomes.get("t2")).toMatchObject({ status: "written", effect: "updated", recordId: "p1@x.co" });
  });

  it("merges the same key twice without a request", async () => {
    const hubspot = fakeHubSpot({});
    const send = mergingSameRecord(target, hubspot.send);
    await send([input("t0", "a@x.co", { firstname: "A" }), input("t1", "A@X.co ", { lastname: "Z" })]);
    expect(hubspot.sent).toHaveLength(1);
    expect(hubspot.sent[0]?.[0]?.properties).toEqual({ email: "a@x.co", firstname: "A", lastname: "Z" });
  });

  it("throws any other refusal as it came", async () => {
    const failure = Object.assign(new Error("bad"), { status: 400, body: { category: "VALIDATION_ERROR" } });
    const send = mergingSameRecord(target, () => Promise.reject(failure));
    await expect(send([input("t0", "a@x.co", {})])).rejects.toBe(failure);
  });
});

describe("sentProperties", () => {
  it("sends no email equal to an email key, and every other property", () => {
    expect(sentProperties(target, input("t0", "Ada@X.co", { email: "ada@x.co", firstname: "A" }))).toEqual({
      firstname: "A",
    });
    const byOther = { idProperty: "external_id", objectType: "0-1" } as WriteTarget;
    expect(sentProperties(byOther, { traceId: "t", id: "E-1", properties: { email: "a@x.co" } })).toEqual({
      email: "a@x.co",
    });
  });
});
