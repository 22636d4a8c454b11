/**
 * Associations that change what a record is linked to, and runs that must change nothing: `replace` (labelled and
 * unlabeled), a re-run of the same input counted by what the sandbox received, and entries refused before any
 * record is read.
 */
import { describe, expect, it } from "vitest";
import { ALL_SCOPES } from "../../src/sandbox/server.js";
import { createRecords } from "../support/harness.js";
import {
  ALL,
  companies,
  company,
  createLabel,
  DEAL_LINKS,
  deal,
  deals,
  EMPLOYER,
  idOf,
  linkDirectly,
  linksByKey,
  people,
  person,
  received,
  withSandbox,
  write,
} from "./associations-harness.js";

describe("write: associations that replace, repeat or cannot run", () => {
  it("with replace, removes the stale label and keeps the link's other labels and the record's other links", async () => {
    await withSandbox({}, async (sandbox) => {
      createRecords(sandbox, "companies", [
        { company_external_id: "old-co", name: "Company old-co" },
        { company_external_id: "new-co", name: "Company new-co" },
      ]);
      createRecords(
        sandbox,
        "contacts",
        ["cat", "dan", "eve"].map((name) => ({ email: `${name}@x.co`, firstname: name })),
      );
      createRecords(sandbox, "deals", [
        {
          deal_external_id: "cat-deal",
          dealname: "Deal cat-deal",
          dealstage: "appointmentscheduled",
          pipeline: "default",
        },
      ]);
      const [cat, dan, oldCo, newCo] = [
        idOf(sandbox, "contacts", "cat@x.co"),
        idOf(sandbox, "contacts", "dan@x.co"),
        idOf(sandbox, "companies", "old-co"),
        idOf(sandbox, "companies", "new-co"),
      ];
      const eve = idOf(sandbox, "contacts", "eve@x.co");
      const employee = { associationCategory: "USER_DEFINED", associationTypeId: 1405 };
      const primary = { associationCategory: "HUBSPOT_DEFINED", associationTypeId: 1 };
      const billing = await createLabel(sandbox, "contacts", "companies", "billing", "Billing contact");
      await linkDirectly(sandbox, ["contacts", cat], ["companies", oldCo], [employee, primary]);
      await linkDirectly(sandbox, ["contacts", cat], ["companies", newCo], [billing]);
      await linkDirectly(sandbox, ["contacts", dan], ["companies", oldCo], [employee]);
      await linkDirectly(sandbox, ["contacts", eve], ["companies", oldCo], [employee]);
      await linkDirectly(
        sandbox,
        ["deals", idOf(sandbox, "deals", "cat-deal")],
        ["contacts", cat],
        [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 3 }],
      );

      const result = await write(sandbox, {
        streams: [people],
        associations: [{ ...EMPLOYER, replace: true }],
        lines: [
          person("cat@x.co", { employer: "new-co" }),
          person("dan@x.co", { employer: null }),
          // No employer field at all: like an absent property, it leaves the links as they are.
          person("eve@x.co"),
        ],
      });
      expect(result.exitCode).toBe(0);
      expect(result.rejects).toEqual([]);
      expect(linksByKey(sandbox, "contacts", "cat@x.co", "companies")).toEqual({
        "new-co": "(unlabeled), Billing contact, Employee",
        "old-co": "(unlabeled), Primary",
      });
      expect(linksByKey(sandbox, "contacts", "dan@x.co", "companies")).toEqual({ "old-co": "(unlabeled)" });
      expect(linksByKey(sandbox, "contacts", "eve@x.co", "companies")).toEqual({
        "old-co": "(unlabeled), Employee",
      });
      expect(linksByKey(sandbox, "contacts", "cat@x.co", "deals")).toEqual({ "cat-deal": "(unlabeled)" });
    });
  });

  it("with replace on the default association, unlinks the targets the record no longer lists", async () => {
    await withSandbox({}, async (sandbox) => {
      const lines = [company("keep-co"), company("drop-co"), deal("d", { company: ["keep-co", "drop-co"] })];
      const entry = { ...DEAL_LINKS[0], replace: true };
      await write(sandbox, { streams: [companies, deals], associations: [entry], lines });
      expect(linksByKey(sandbox, "deals", "d", "companies")).toEqual({
        "drop-co": "(unlabeled)",
        "keep-co": "(unlabeled)",
      });
      const result = await write(sandbox, {
        streams: [deals],
        associations: [entry],
        lines: [deal("d", { company: "keep-co" })],
      });
      expect(result.exitCode).toBe(0);
      expect(linksByKey(sandbox, "deals", "d", "companies")).toEqual({ "keep-co": "(unlabeled)" });
      expect(received(sandbox).batchArchive).toBe(1);
    });
  });

  it("changes nothing and writes no labelled link again on a re-run of the same input", async () => {
    await withSandbox({}, async (sandbox) => {
      const run = () =>
        write(sandbox, {
          streams: ALL,
          associations: [...DEAL_LINKS, { ...EMPLOYER, replace: true }],
          lines: [
            company("acme"),
            person("ann@x.co", { employer: "acme" }),
            person("bob@x.co", { employer: "acme" }),
            deal("d1", { company: "acme", contacts: ["ann@x.co", "bob@x.co"] }),
          ],
        });
      expect((await run()).exitCode).toBe(0);
      const before = received(sandbox);
      const links = () => [
        linksByKey(sandbox, "deals", "d1", "contacts"),
        linksByKey(sandbox, "deals", "d1", "companies"),
        linksByKey(sandbox, "contacts", "ann@x.co", "companies"),
        linksByKey(sandbox, "contacts", "bob@x.co", "companies"),
      ];
      const linked = links();
      expect((await run()).exitCode).toBe(0);
      const after = received(sandbox);
      expect(links()).toEqual(linked);
      // The labelled links were read back and found in place: not one create, archive or label archive.
      expect(after.batchCreate - before.batchCreate).toBe(0);
      expect(after.batchArchive - before.batchArchive).toBe(0);
      expect(after.batchLabelsArchive - before.batchLabelsArchive).toBe(0);
      // Default links are sent again (the run did not read them); HubSpot leaves them as they are.
      expect(after.batchDefault - before.batchDefault).toBe(3);
    });
  });

  it.each([
    [
      "an unknown label",
      { ...EMPLOYER, label: "Landlord" },
      /"Landlord" is not an association label from CONTACT to COMPANY; its labels are .*Employee \(1405\)/,
    ],
    [
      "a label of another object pair",
      { ...EMPLOYER, label: "Decision maker" },
      /"Decision maker" is not an association label/,
    ],
    [
      "a pair HubSpot cannot associate",
      { stream: "people", field: "f", to_object: "PRODUCT", to_key: "product_external_id" },
      /HubSpot cannot associate CONTACT with PRODUCT/,
    ],
    [
      "a to_key that is not unique",
      { ...EMPLOYER, to_key: "name" },
      /name is not a unique-value property of COMPANY/,
    ],
    ["a stream that is not configured", { ...EMPLOYER, stream: "staff" }, /no configured stream is staff/],
  ])(
    "refuses %s as a config_error naming the entry, before reading any record",
    async (_what, entry, message) => {
      await withSandbox({}, async (sandbox) => {
        const result = await write(sandbox, {
          streams: [companies, people],
          associations: [entry],
          lines: [person("ann@x.co", { employer: "acme" })],
        });
        expect(result.exitCode).not.toBe(0);
        const error = result.messages.find((message) => message.type === "TRACE")?.trace?.error;
        expect(error?.failure_type).toBe("config_error");
        expect(error?.message).toMatch(/associations\[0\] \(/);
        expect(error?.message).toMatch(message);
        expect(sandbox.store.listRecords("contacts")).toEqual([]);
      });
    },
  );

  it("refuses, before reading any record, a token that cannot write the linked object, naming the entry", async () => {
    const scopes = ALL_SCOPES.filter((scope) => scope !== "crm.objects.companies.write");
    await withSandbox({ privateAppTokens: [{ token: "no-company-writes", scopes }] }, async (sandbox) => {
      const result = await write(sandbox, {
        streams: [deals],
        associations: [DEAL_LINKS[0]],
        lines: [deal("d1", { company: "acme" })],
        extra: { credentials: { type: "Private App", access_token: "no-company-writes" } },
      });
      const error = result.messages.find((message) => message.type === "TRACE")?.trace?.error;
      expect(error?.failure_type).toBe("config_error");
      expect(error?.message).toContain(
        "associations[0] (deals.company → COMPANY) needs crm.objects.companies.write",
      );
      expect(sandbox.store.listRecords("deals")).toEqual([]);
    });
  });
});
