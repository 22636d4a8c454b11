/**
 * Associations end to end: the built CLI writes companies, contacts and deals into the sandbox and links them by
 * their unique keys. Each test reads back the links the sandbox holds and counts what its association endpoints
 * received, so a link made twice, lost, or sent when the run knew it was there shows.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { recordLine, stateLine, stream, streamStates } from "../support/messages.js";
import {
  ALL,
  company,
  configFile,
  DEAL_LINKS,
  deal,
  deals,
  EMPLOYER,
  idOf,
  linksByKey,
  pause,
  people,
  person,
  received,
  requestLog,
  TARGET_LOOKUP,
  withSandbox,
  write,
} from "./associations-harness.js";

describe.each(["legacy", "2026-03", "2026-09"])("write: associations (api_version %s)", (version) => {
  // One run per version covers what its paths and answers change: links with and without a label made, and a
  // link HubSpot refuses read from its answer. (Two runs per version before; the scenarios are merged.)
  it("links deals to their company and contacts and a contact to its employer with a label, and rejects only the deal whose link HubSpot refuses, with its reason", async () => {
    // The portal allows two contacts per deal through the default deal → contact type (3).
    const limits = [{ fromObjectType: "deals", toObjectType: "contacts", typeId: 3, maxToObjectIds: 2 }];
    await withSandbox({ associations: { limits } }, async (sandbox) => {
      const result = await write(sandbox, {
        streams: ALL,
        associations: [...DEAL_LINKS, EMPLOYER],
        extra: { api_version: version },
        lines: [
          company("acme"),
          person("ann@x.co", { employer: "acme" }),
          person("bob@x.co"),
          person("cy@x.co"),
          deal("d1", { company: "acme", contacts: ["ann@x.co", "BOB@x.co"] }),
          deal("three", { company: "acme", contacts: ["ann@x.co", "bob@x.co", "cy@x.co"] }),
          deal("one", { company: "acme", contacts: ["bob@x.co"] }),
          stateLine("deals", 1),
        ],
      });
      expect(result.exitCode).toBe(0);
      expect(linksByKey(sandbox, "deals", "d1", "companies")).toEqual({ acme: "(unlabeled)" });
      expect(linksByKey(sandbox, "deals", "d1", "contacts")).toEqual({
        "ann@x.co": "(unlabeled)",
        "bob@x.co": "(unlabeled)",
      });
      expect(linksByKey(sandbox, "contacts", "ann@x.co", "companies")).toEqual({
        acme: "(unlabeled), Employee",
      });
      // The association fields are links only: never properties (unknown_properties is reject by default).
      const stored = sandbox.store.findRecord("deals", "deal_external_id", "d1")?.properties ?? {};
      expect(Object.keys(stored)).not.toContain("company");
      expect(Object.keys(stored)).not.toContain("contacts");

      expect(
        result.rejects.map((row) => [
          row._airbyte_data.deal_external_id,
          row._rejection.code,
          row._rejection.field,
        ]),
      ).toEqual([["three", "VALIDATION_ERROR", "contacts"]]);
      expect(result.rejects[0]?._rejection.message).toMatch(
        /^Its properties were written, but HubSpot refused/,
      );
      expect(result.rejects[0]?._rejection.message).toContain("the limit configured for it");
      expect(Object.keys(linksByKey(sandbox, "deals", "three", "contacts"))).toHaveLength(2);
      expect(linksByKey(sandbox, "deals", "three", "companies")).toEqual({ acme: "(unlabeled)" });
      expect(linksByKey(sandbox, "deals", "one", "contacts")).toEqual({ "bob@x.co": "(unlabeled)" });
      // HubSpot's answer named the refused link: no link of that deal was sent again to find out.
      const sent = (email: string) =>
        sandbox.store.associations.writesFor(
          "deals",
          idOf(sandbox, "deals", "three"),
          "contacts",
          idOf(sandbox, "contacts", email),
        );
      expect(sent("ann@x.co") + sent("bob@x.co") + sent("cy@x.co")).toBe(3);
      expect(streamStates(result.messages)).toEqual([
        { name: "deals", recordCount: 2, rejectedRecordCount: 1 },
      ]);
    });
  });
});

describe("write: associations", () => {
  it("links a deal to targets that come later in the input, once they are written", async () => {
    const log = requestLog();
    await withSandbox({ logger: log.logger }, async (sandbox) => {
      const result = await write(sandbox, {
        streams: ALL,
        associations: DEAL_LINKS,
        lines: [
          deal("early", { company: "late-co", contacts: ["late@x.co"] }),
          stateLine("deals", 1),
          // Long enough for the deal to be written and its targets looked up (not found) first.
          pause(1_500),
          person("late@x.co"),
          company("late-co"),
          stateLine("companies", 1),
        ],
      });
      expect(result.exitCode).toBe(0);
      expect(result.rejects).toEqual([]);
      expect(linksByKey(sandbox, "deals", "early", "companies")).toEqual({ "late-co": "(unlabeled)" });
      expect(linksByKey(sandbox, "deals", "early", "contacts")).toEqual({ "late@x.co": "(unlabeled)" });
      expect(received(sandbox).batchDefault).toBe(2);
      // One lookup per target, which missed; the targets' own writes then gave their ids, with no second lookup.
      expect(log.count(TARGET_LOOKUP)).toBe(2);
      expect(streamStates(result.messages).map((state) => state.name)).toEqual(["deals", "companies"]);
    });
  });

  it("finds targets already in HubSpot that the run does not write with one batched lookup", async () => {
    const log = requestLog();
    await withSandbox({ logger: log.logger }, async (sandbox) => {
      const state = sandbox.store.resolve("companies");
      for (const key of ["c1", "c2", "c3", "c4", "c5"])
        sandbox.store.create(state!, { company_external_id: key });
      const result = await write(sandbox, {
        streams: [deals],
        associations: [DEAL_LINKS[0]],
        lines: ["c1", "c2", "c3", "c4", "c5"].map((key) => deal(`d-${key}`, { company: key })),
      });
      expect(result.exitCode).toBe(0);
      expect(result.rejects).toEqual([]);
      for (const key of ["c1", "c2", "c3", "c4", "c5"])
        expect(linksByKey(sandbox, "deals", `d-${key}`, "companies")).toEqual({ [key]: "(unlabeled)" });
      expect(log.count(TARGET_LOOKUP)).toBe(1);
    });
  });

  it("rejects a record whose target never exists with ASSOCIATION_TARGET_NOT_FOUND, after writing it and its other links", async () => {
    await withSandbox({}, async (sandbox) => {
      const result = await write(sandbox, {
        streams: ALL,
        associations: DEAL_LINKS,
        lines: [
          person("ann@x.co"),
          deal("lost", { dealname: "Still written", company: "ghost-co", contacts: ["ann@x.co"] }),
          company("real-co"),
          stateLine("deals", 1),
        ],
      });
      expect(result.exitCode).toBe(0);
      expect(result.rejects).toHaveLength(1);
      const [rejected] = result.rejects;
      expect(rejected?._rejection).toMatchObject({ code: "ASSOCIATION_TARGET_NOT_FOUND", field: "company" });
      expect(rejected?._rejection.message).toContain('"ghost-co"');
      expect(rejected?._rejection.message).toContain("Its properties were written");
      expect(sandbox.store.findRecord("deals", "deal_external_id", "lost")?.properties.dealname).toBe(
        "Still written",
      );
      expect(linksByKey(sandbox, "deals", "lost", "contacts")).toEqual({ "ann@x.co": "(unlabeled)" });
      expect(linksByKey(sandbox, "deals", "lost", "companies")).toEqual({});
      expect(streamStates(result.messages)).toEqual([
        { name: "deals", recordCount: 0, rejectedRecordCount: 1 },
      ]);
    });
  });

  it("isolates a link batch HubSpot refuses whole and rejects each refused record with its reason", async () => {
    const limits = [{ fromObjectType: "deals", toObjectType: "contacts", typeId: 3, maxToObjectIds: 1 }];
    const log = requestLog();
    await withSandbox({ associations: { limits }, logger: log.logger }, async (sandbox) => {
      const lines = [
        person("ann@x.co"),
        person("bob@x.co"),
        person("cy@x.co"),
        deal("full", { contacts: "ann@x.co" }),
      ];
      expect((await write(sandbox, { streams: ALL, associations: DEAL_LINKS, lines })).exitCode).toBe(0);
      // Both new links break the limit: HubSpot refuses the whole batch (400), naming one of them.
      const result = await write(sandbox, {
        streams: [deals],
        associations: DEAL_LINKS,
        lines: [deal("full", { contacts: ["bob@x.co", "cy@x.co"] })],
      });
      expect(result.exitCode).toBe(0);
      expect(result.rejects.map((row) => [row._rejection.code, row._rejection.field])).toEqual([
        ["VALIDATION_ERROR", "contacts"],
      ]);
      expect(result.rejects[0]?._rejection.message).toContain("the limit configured for it");
      expect(linksByKey(sandbox, "deals", "full", "contacts")).toEqual({ "ann@x.co": "(unlabeled)" });
      // The first run's one request, then the refused batch, then the link the refusal did not name, alone.
      expect(log.count(/\/0-3\/0-1\/batch\/associate\/default 400/)).toBe(2);
      expect(log.count(/\/0-3\/0-1\/batch\/associate\/default /)).toBe(3);
    });
  });

  it("links records in raw pipe mode, where the stream is stdin", async () => {
    await withSandbox({}, async (sandbox) => {
      sandbox.store.create(sandbox.store.resolve("companies")!, { company_external_id: "acme" });
      const config = await configFile(sandbox, {
        associations: [{ ...DEAL_LINKS[0], stream: "stdin" }],
      });
      const data = {
        deal_external_id: "raw",
        dealname: "Raw",
        dealstage: "appointmentscheduled",
        pipeline: "default",
      };
      const result = await runCli(
        ["write", "--config", config.path, "--object", "DEAL", "--key", "deal_external_id"],
        {
          stdin: `${JSON.stringify({ ...data, company: "acme" })}\n`,
        },
      );
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toContain("written 1");
      expect(linksByKey(sandbox, "deals", "raw", "companies")).toEqual({ acme: "(unlabeled)" });
    });
  });

  it("links a custom object's records to contacts through the portal's own association type", async () => {
    await withSandbox({}, async (sandbox) => {
      const fleet = stream("fleet", "cars", "car_id");
      const result = await write(sandbox, {
        streams: [people, fleet],
        associations: [{ stream: "fleet", field: "owner", to_object: "CONTACT", to_key: "email" }],
        lines: [
          person("ann@x.co"),
          recordLine("fleet", { car_id: "VIN-1", make: "Volvo", owner: "ANN@x.co" }),
        ],
      });
      expect(result.exitCode).toBe(0);
      expect(result.rejects).toEqual([]);
      const car = sandbox.store.findRecord("cars", "car_id", "VIN-1")?.id as string;
      const links = sandbox.store.associations.linksOf("cars", car, "contacts");
      expect(links.map((link) => link.toId)).toEqual([idOf(sandbox, "contacts", "ann@x.co")]);
      expect(links[0]?.types).toEqual([{ category: "USER_DEFINED", typeId: 1401, label: null }]);
    });
  });
});
