/**
 * Updates and archives by HubSpot record id (`hs_object_id`), merged ids followed: what HubSpot received is counted
 * from the sandbox's ledger and its requests per route, never taken from the connector's own summary.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { mergeRecords } from "../../src/sandbox/server.js";
import { createRecords, runWrite, traceError, useSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream, streamStates } from "../support/messages.js";
import { tempPath } from "../support/process.js";
import { readPlan } from "./operate-harness.js";
import { listStream } from "../support/lists.js";
import { pick, seeded } from "../support/random.js";

const sandbox = useSandbox({ ledgerHistory: true });

/** Companies made in the store (HubSpot already holds them): their ids, in order. */
const companies = (...names: string[]) =>
  createRecords(
    sandbox,
    "companies",
    names.map((name) => ({ name })),
  );

/** Merges `merged` into `primary` as HubSpot does (a new id for the survivor); answers the survivor's id. */
function merge(primary: string, merged: string, objectType = "companies"): string {
  const state = sandbox.store.resolve(objectType);
  if (!state) throw new Error("no companies");
  const survivor = mergeRecords(sandbox.store, state, primary, merged);
  if (!("id" in survivor)) throw new Error(`merge refused: ${JSON.stringify(survivor)}`);
  return survivor.id;
}

const requests = (route: string) => sandbox.stats.byRoute.get(route) ?? 0;
const history = (id: string) => sandbox.ledger.get("companies", `id:${id}`)?.history ?? [];

/** Values that are no record id, drawn with a seeded generator (replayable): each must be refused unsent. */
function hostileIds(seed: number, count: number): unknown[] {
  const random = seeded(seed);
  const shapes: Array<() => unknown> = [
    () => "abc",
    () => -1 - Math.floor(random() * 1000),
    () => Math.floor(random() * 1000) + 0.5,
    () => (2n ** 64n + BigInt(Math.floor(random() * 1000))).toString(),
    () => `0${Math.floor(random() * 1000) + 1}`,
    () => 0,
    () => " 12",
    () => "1e3",
    () => Number.MAX_VALUE,
    () => "9223372036854775808",
    () => true,
    () => ({ id: 5 }),
    () => [7],
  ];
  return Array.from({ length: count }, () => pick(random, shapes)());
}

describe("write: update by record id", () => {
  it("settles a mixed stream once each: ids that exist, merged ids followed in input order, missing and bad ids", async () => {
    const [kept, a1, p1, a2, b2] = companies("Kept", "Old A", "Primary 1", "Old B", "Primary 2");
    const s1 = merge(p1 as string, a1 as string);
    const s2 = merge(b2 as string, a2 as string);
    const bad = hostileIds(21, 12);
    sandbox.ledger.clear();
    const lines = [
      recordLine("enrich", { hs_object_id: Number(kept), description: "kept, as an integer" }),
      recordLine("enrich", { hs_object_id: a1, description: "merged into s1" }),
      recordLine("enrich", { hs_object_id: a2, description: "first of a pair", industry: "ACCOUNTING" }),
      ...bad.map((id) => recordLine("enrich", { hs_object_id: id, description: "never sent" })),
      recordLine("enrich", { hs_object_id: "", description: "empty" }),
      recordLine("enrich", { hs_object_id: "999999999", description: "no such record" }),
      recordLine("enrich", { hs_object_id: b2, description: "second of the pair: wins" }),
      stateLine("enrich", 1),
    ];
    const receipt = await tempPath("receipt.json");
    const result = await runWrite(sandbox, {
      streams: [stream("enrich", "COMPANY", "hs_object_id", "update")],
      lines,
      rejectsFile: true,
      extra: { linger_ms: 50 },
      args: ["--receipt", receipt],
    });
    expect(traceError(result)).toBeUndefined();
    expect(result.exitCode).toBe(0);

    // Every record settled once: 4 written, the bad and missing ids rejected naming hs_object_id.
    const rejected = result.rejects.map((row) => [row._rejection.code, row._rejection.field]);
    expect(rejected).toEqual([
      ...bad.map(() => ["INVALID_RECORD_ID", "hs_object_id"]),
      ["MISSING_MATCHING_KEY", "hs_object_id"],
      ["RECORD_NOT_FOUND", "hs_object_id"],
    ]);
    expect(streamStates(result.messages)).toEqual([
      { name: "enrich", recordCount: 4, rejectedRecordCount: bad.length + 2 },
    ]);

    // What HubSpot received: the merged ids' values on their survivors, the pair in input order (later wins).
    expect(history(kept as string)).toEqual([{ description: "kept, as an integer" }]);
    expect(history(s1)).toEqual([{ description: "merged into s1" }]);
    expect(history(s2)).toEqual([
      { description: "first of a pair", industry: "ACCOUNTING" },
      { description: "second of the pair: wins" },
    ]);
    const survivor = sandbox.store.findRecord("companies", "hs_object_id", s2);
    expect(survivor?.properties.description).toBe("second of the pair: wins");
    // No bad id reached HubSpot; the first write sent 5 inputs, the missing one was read once.
    expect(sandbox.stats.inputsByRoute.get("update")).toBe(5 + 3);
    // One first write, one read of the 3 refused ids, then one round per input the pair puts on s2.
    expect([requests("update"), requests("read")]).toEqual([3, 1]);

    const written = JSON.parse(await readFile(receipt, "utf8")) as {
      totals: { updated: number; merged_ids_followed: number };
    };
    expect(written.totals).toMatchObject({ updated: 4, merged_ids_followed: 3 });
  });

  it("keeps input order when a merged id comes before its survivor's own id in one batch", async () => {
    const [a, p] = companies("Old", "Primary");
    const survivor = merge(p as string, a as string);
    sandbox.ledger.clear();
    const result = await runWrite(sandbox, {
      object: "COMPANY",
      args: ["--key", "hs_object_id", "--mode", "update"],
      lines: [
        JSON.stringify({ hs_object_id: a, description: "older", industry: "ACCOUNTING" }),
        JSON.stringify({ hs_object_id: survivor, description: "newer" }),
      ],
      extra: { linger_ms: 50 },
    });
    expect(result.exitCode).toBe(0);
    const record = sandbox.store.findRecord("companies", "hs_object_id", survivor);
    expect(record?.properties).toMatchObject({ description: "newer", industry: "ACCOUNTING" });
    // The merged id's write carried only what the later input did not set.
    expect(history(survivor)).toEqual([{ description: "newer" }, { industry: "ACCOUNTING" }]);
  });
});

describe("write: archive by record id", () => {
  it("archives the survivor of a merged id and takes a missing id as already absent, in one read and one archive", async () => {
    const [kept, a, p] = companies("Kept", "Old", "Primary");
    const survivor = merge(p as string, a as string);
    sandbox.ledger.clear();
    const result = await runWrite(sandbox, {
      object: "COMPANY",
      args: ["--key", "hs_object_id", "--mode", "archive"],
      lines: [kept, a, "424242"].map((id) => JSON.stringify({ hs_object_id: id })),
      extra: { linger_ms: 50 },
    });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/archived 2, already absent 1; merged ids followed 1/);
    expect(sandbox.ledger.get("companies", `id:${kept}`)?.archives).toBe(1);
    expect(sandbox.ledger.get("companies", `id:${survivor}`)?.archives).toBe(1);
    expect([requests("read"), requests("archive")]).toEqual([1, 1]);
  });
});

describe("write: upsert by record id", () => {
  it("is refused before any write, naming hs_object_id and the modes that take it", async () => {
    const result = await runWrite(sandbox, {
      streams: [stream("enrich", "COMPANY", "hs_object_id", "append_dedup")],
      lines: [recordLine("enrich", { hs_object_id: "1", name: "x" })],
    });
    expect(result.exitCode).toBe(1);
    const error = traceError(result);
    expect(error?.failure_type).toBe("config_error");
    expect(error?.message).toMatch(/hs_object_id/);
    expect(error?.message).toMatch(/update or soft_delete/);
    expect(
      [...sandbox.stats.byRoute.keys()].filter((route) => /update|upsert|read|archive/.test(route)),
    ).toEqual([]);
  });
});

describe("write --plan by record id", () => {
  it("gives each record its verdict from reads alone: unchanged, update, merged_into, RECORD_NOT_FOUND", async () => {
    const [same, changed, old, primary] = companies("Same", "Changed", "Old", "Primary");
    const survivor = merge(primary as string, old as string);
    const plan = await tempPath("plan.jsonl");
    const result = await runWrite(sandbox, {
      object: "COMPANY",
      args: ["--key", "hs_object_id", "--mode", "update", "--plan", plan],
      lines: [
        { hs_object_id: same, name: "Same" },
        { hs_object_id: Number(changed), name: "Renamed" },
        { hs_object_id: old, name: "Followed" },
        { hs_object_id: "777777777", name: "Nobody" },
        { hs_object_id: "12abc", name: "Bad" },
      ].map((data) => JSON.stringify(data)),
      extra: { linger_ms: 50 },
    });
    expect(traceError(result)).toBeUndefined();
    const lines = (await readPlan(plan)).lines.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const verdicts = lines.map((line) => [line.key, line.verdict, line.code ?? line.merged_into ?? null]);
    expect(verdicts).toEqual([
      [same, "unchanged", null],
      [changed, "update", null],
      [old, "update", survivor],
      [undefined, "reject", "RECORD_NOT_FOUND"],
      [undefined, "reject", "INVALID_RECORD_ID"],
    ]);
    expect(lines[2]?.changes).toEqual({ name: { from: "Primary", to: "Followed" } });
    // Reads only: one batch read of the four ids, nothing written.
    expect([requests("read"), requests("update"), requests("archive")]).toEqual([1, 0, 0]);
  });
});

describe("links and list members by record id", () => {
  it("follow merged ids: a deal linked to a company by hs_object_id, a company updated by id linked from its survivor, a list member added by id", async () => {
    const [ann, oldContact, primaryContact] = createRecords(sandbox, "contacts", [
      { email: "ann@x.co" },
      { email: "old@x.co" },
      { email: "primary@x.co" },
    ]);
    const contactSurvivor = merge(primaryContact as string, oldContact as string, "contacts");
    const [oldCompany, primaryCompany] = companies("Old Co", "Primary Co");
    const companySurvivor = merge(primaryCompany as string, oldCompany as string);
    const result = await runWrite(sandbox, {
      streams: [
        stream("deals", "DEAL", "deal_external_id"),
        stream("enrich", "COMPANY", "hs_object_id", "update"),
        listStream("members", "list:ById", "append", { key: "hs_object_id" }),
      ],
      extra: {
        linger_ms: 50,
        lists: { create_missing_lists: true },
        associations: [
          { stream: "deals", field: "company_id", to_object: "COMPANY", to_key: "hs_object_id" },
          { stream: "enrich", field: "contact", to_object: "CONTACT", to_key: "email" },
        ],
      },
      lines: [
        recordLine("deals", {
          deal_external_id: "d1",
          dealname: "Renewal",
          dealstage: "appointmentscheduled",
          pipeline: "default",
          company_id: oldCompany,
        }),
        recordLine("enrich", { hs_object_id: oldCompany, description: "scored", contact: "ann@x.co" }),
        recordLine("members", { hs_object_id: Number(oldContact) }),
        stateLine("members", 1),
      ],
      rejectsFile: true,
    });
    expect(traceError(result)?.message).toBeUndefined();
    expect(result.rejects).toEqual([]);
    const deal = sandbox.store.findRecord("deals", "deal_external_id", "d1");
    const links = (type: string, id: string, to: string) =>
      sandbox.store.associations.linksOf(type, id, to).map((link) => link.toId);
    expect(links("deals", deal?.id as string, "companies")).toEqual([companySurvivor]);
    expect(links("companies", companySurvivor, "contacts")).toEqual([ann]);
    const list = sandbox.store.lists.byName("ById");
    expect(sandbox.store.lists.membersOf(list?.listId as string)).toEqual([contactSurvivor]);
  });
});
