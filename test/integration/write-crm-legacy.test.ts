/**
 * `api_version: "legacy"` (the numbered /crm/v3 paths), for portals and proxies that still need them. The CRM
 * write suite (write-crm.test.ts) runs on the default dated paths; what differs here is only which paths are
 * called and how their answers read (a partly failed batch is a 207 on the numbered paths, a 200 with `errors` on
 * 2026-09), so one run of each write mode proves both: every path called is numbered, and every answer was read.
 */
import { describe, expect, it } from "vitest";
import { runWrite, useS3, useSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream, streamStates } from "../support/messages.js";

const s3 = useS3();

/** Every path the sandbox was asked for, with the status it answered. */
const answered: Array<{ path: string; status: string }> = [];
const sandbox = useSandbox(() => ({
  // HubSpot refuses a phone that is not +digits for contacts (an admin's validation rule, on every version).
  validationRules: [
    { object: "contacts", property: "phone", pattern: "^\\+[0-9]+$", message: "Use +digits" },
  ],
  validationRulesOnEveryVersion: true,
  logger: (line) => {
    const [, path = "", status = ""] = line.split(" ");
    answered.push({ path, status });
  },
}));

const LEGACY = { api_version: "legacy", linger_ms: 20 };

describe("write on the legacy (numbered) paths", () => {
  it("upserts, updates and archives on /crm/v3 only, reading created, updated, 207 errors and archives", async () => {
    const people = stream("people", "CONTACT", "email");
    const fleet = stream("fleet", "cars", "car_id");
    const first = await runWrite(sandbox, {
      streams: [people, fleet],
      lines: [
        recordLine("people", { email: "a@x.co", firstname: "Old" }),
        recordLine("people", { email: "b@x.co", phone: "+4930" }),
        recordLine("people", { email: "c@x.co", phone: "call me" }),
        recordLine("fleet", { car_id: "VIN-1", make: "Saab" }),
        recordLine("fleet", { car_id: "VIN-2", make: "Volvo" }),
        stateLine("people", 1),
        stateLine("fleet", 1),
      ],
      extra: LEGACY,
      s3,
    });
    expect(first.exitCode, first.stderr).toBe(0);
    // HubSpot refused the batch for one record's value, naming it: the others of its batch were written.
    expect(first.rejects.map((row) => [row._airbyte_data.email, row._rejection.code])).toEqual([
      ["c@x.co", "INVALID_REGEX"],
    ]);
    expect(sandbox.store.findRecord("contacts", "email", "b@x.co")?.properties.phone).toBe("+4930");
    expect(sandbox.store.findRecord("cars", "car_id", "VIN-2")?.properties.make).toBe("Volvo");
    expect(JSON.stringify(first.messages)).toContain("created 2, updated 0");

    const second = await runWrite(sandbox, {
      streams: [
        { ...stream("people", "CONTACT", "email", "update") },
        stream("fleet", "cars", "car_id", "soft_delete"),
        stream("again", "CONTACT", "email"),
      ],
      lines: [
        recordLine("people", { email: "a@x.co", firstname: "New" }),
        recordLine("people", { email: "nobody@x.co", firstname: "Ghost" }),
        recordLine("fleet", { car_id: "VIN-1" }),
        recordLine("fleet", { car_id: "VIN-404" }),
        recordLine("again", { email: "b@x.co", firstname: "Bea" }),
        stateLine("people", 2),
        stateLine("fleet", 2),
        stateLine("again", 2),
      ],
      extra: LEGACY,
      s3,
    });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(sandbox.store.findRecord("contacts", "email", "a@x.co")?.properties.firstname).toBe("New");
    expect(second.rejects.map((row) => [row._airbyte_data.email, row._rejection.code])).toEqual([
      ["nobody@x.co", "OBJECT_NOT_FOUND"],
    ]);
    expect(sandbox.store.findRecord("cars", "car_id", "VIN-1")).toBeUndefined();
    expect(sandbox.store.findRecord("cars", "car_id", "VIN-2")).toBeDefined();
    expect(JSON.stringify(second.messages)).toContain("created 0, updated 1");
    expect(streamStates(second.messages)).toEqual([
      { name: "people", recordCount: 1, rejectedRecordCount: 1 },
      { name: "fleet", recordCount: 2, rejectedRecordCount: undefined },
      { name: "again", recordCount: 1, rejectedRecordCount: undefined },
    ]);

    // Each write mode went out on the numbered paths, and nothing on a dated one.
    const crm = answered.filter(({ path }) => path.startsWith("/crm"));
    expect(crm.filter(({ path }) => !/\/v[1-4]\//.test(path))).toEqual([]);
    for (const action of ["upsert", "update", "archive"])
      expect(
        crm.some(({ path }) => path.startsWith("/crm/v3/objects/") && path.endsWith(`/batch/${action}`)),
      ).toBe(true);
    // The update's unknown key came back as a 207 with an error naming it.
    expect(crm.some(({ path, status }) => path.endsWith("/batch/update") && status === "207")).toBe(true);
  });
});
