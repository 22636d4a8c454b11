import { afterEach, describe, expect, it } from "vitest";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, createRecords, freshPrefix, runWrite, useS3, useSandbox } from "../support/harness.js";
import { globalStateLine, recordLine, stateLine, stream, streamStates } from "../support/messages.js";
import { s3StorageConfig } from "../support/s3.js";

const s3 = useS3();

/** Every path the sandbox was asked for in the current test. */
let requested: string[] = [];
const sandbox = useSandbox(() => {
  requested = [];
  return { logger: (line) => requested.push(line.split(" ")[1] ?? "") };
});

afterEach(() => {
  // Whatever a test did, it did on the default API version's dated paths only (write-crm-legacy.test.ts covers
  // the numbered ones).
  expect(requested.filter((path) => path.startsWith("/crm") && !/\/2026-09\//.test(path))).toEqual([]);
});

const config = async (extra: Record<string, unknown> = {}) =>
  (await configFor(sandbox, { linger_ms: 50, ...extra })).path;

/** Runs write; rejects go to S3 for the tests of the store, else to a local file (the AWS SDK costs each run). */
async function write(
  catalogStreams: unknown[],
  lines: string[],
  extra: Record<string, unknown> = {},
  store: "s3" | "file" = "file",
) {
  const rejects = store === "s3" ? { s3 } : { rejectsFile: true };
  return runWrite(sandbox, {
    streams: catalogStreams,
    lines,
    extra: { linger_ms: 50, ...extra },
    ...rejects,
  });
}

describe("write: CRM upserts", () => {
  it("upserts contacts by email, converting values to HubSpot's formats", async () => {
    const result = await write(
      [stream("people", "CONTACT", "email")],
      [
        recordLine("people", {
          email: "  Ada@Example.COM ",
          firstname: "Ada",
          date_of_birth: "1815-12-10",
          lifecyclestage: "lead",
          hs_buying_role: ["BUDGET_HOLDER", "END_USER"],
        }),
        recordLine("people", {
          email: "grace@example.com",
          firstname: "Grace",
          date_of_birth: -4_826_908_800_000,
        }),
        stateLine("people", 1),
      ],
    );
    expect(result.exitCode).toBe(0);
    const ada = sandbox.store.findRecord("contacts", "email", "ada@example.com");
    expect(ada?.properties).toMatchObject({
      email: "ada@example.com",
      firstname: "Ada",
      date_of_birth: "1815-12-10",
      lifecyclestage: "lead",
      hs_buying_role: "BUDGET_HOLDER;END_USER",
    });
    expect(sandbox.store.findRecord("contacts", "email", "grace@example.com")?.properties.date_of_birth).toBe(
      "1817-01-16",
    );
    expect(streamStates(result.messages)).toEqual([
      { name: "people", recordCount: 2, rejectedRecordCount: undefined },
    ]);
  });

  it("counts created and then updated records across two runs with the same input", async () => {
    const lines = [
      recordLine("people", { email: "a@x.co" }),
      recordLine("people", { email: "b@x.co" }),
      stateLine("people", 1),
    ];
    const first = await write([stream("people", "CONTACT", "email")], lines);
    const second = await write([stream("people", "CONTACT", "email")], lines);
    expect(JSON.stringify(first.messages)).toContain("created 2, updated 0");
    expect(JSON.stringify(second.messages)).toContain("created 0, updated 2");
    // Both runs sent both records (the sandbox, not the connector, decides create or update).
    for (const email of ["a@x.co", "b@x.co"])
      expect(sandbox.ledger.get("contacts", `email=${email}`)).toMatchObject({ received: 2, creates: 1 });
  });

  it("upserts companies, deals, products and a custom object on their unique properties", async () => {
    const result = await write(
      [
        stream("accounts", "COMPANY", "company_external_id"),
        stream("opportunities", "DEAL", "deal_external_id"),
        stream("catalog", "PRODUCT", "product_external_id"),
        stream("fleet", "cars", "car_id"),
      ],
      [
        recordLine("accounts", { company_external_id: "C-1", name: "Acme", numberofemployees: 12 }),
        recordLine("opportunities", {
          deal_external_id: "D-1",
          dealname: "Big one",
          amount: 1234.5,
          dealstage: "appointmentscheduled",
          pipeline: "default",
          closedate: "2026-03-01T10:00:00+01:00",
        }),
        recordLine("catalog", {
          product_external_id: "P-1",
          name: "Widget",
          price: "9.99",
          hs_sku: "W-1",
          hs_folder: "tools",
          description: "A widget",
        }),
        recordLine("fleet", { car_id: "VIN-1", make: "Saab", year: 1999 }),
        stateLine("accounts", 1),
        stateLine("opportunities", 1),
        stateLine("catalog", 1),
        stateLine("fleet", 1),
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(
      sandbox.store.findRecord("companies", "company_external_id", "C-1")?.properties.numberofemployees,
    ).toBe("12");
    const deal = sandbox.store.findRecord("deals", "deal_external_id", "D-1")?.properties;
    expect(deal?.amount).toBe("1234.5");
    expect(new Date(String(deal?.closedate)).toISOString()).toBe("2026-03-01T09:00:00.000Z");
    expect(sandbox.store.findRecord("products", "product_external_id", "P-1")?.properties.price).toBe("9.99");
    expect(sandbox.store.findRecord("cars", "car_id", "VIN-1")?.properties).toMatchObject({
      make: "Saab",
      year: "1999",
    });
    expect(streamStates(result.messages).map((s) => [s.name, s.recordCount])).toEqual([
      ["accounts", 1],
      ["opportunities", 1],
      ["catalog", 1],
      ["fleet", 1],
    ]);
  });

  it("updates existing records only, rejecting a key that matches nothing as not found", async () => {
    createRecords(sandbox, "contacts", [{ email: "a@x.co", firstname: "Old" }]);
    const result = await write(
      [stream("people", "CONTACT", "email", "update")],
      [
        recordLine("people", { email: "a@x.co", firstname: "New" }),
        recordLine("people", { email: "nobody@x.co", firstname: "Ghost" }),
        stateLine("people", 1),
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(sandbox.store.findRecord("contacts", "email", "a@x.co")?.properties.firstname).toBe("New");
    expect(sandbox.store.findRecord("contacts", "email", "nobody@x.co")).toBeUndefined();
    expect(result.rejects.map((r) => [r._airbyte_data.email, r._rejection.code])).toEqual([
      ["nobody@x.co", "OBJECT_NOT_FOUND"],
    ]);
    expect(streamStates(result.messages)).toEqual([
      { name: "people", recordCount: 1, rejectedRecordCount: 1 },
    ]);
  });

  it("archives the record with the key on soft_delete", async () => {
    createRecords(sandbox, "cars", [{ car_id: "VIN-1" }, { car_id: "VIN-2" }]);
    const result = await write(
      [stream("fleet", "cars", "car_id", "soft_delete")],
      [
        recordLine("fleet", { car_id: "VIN-1" }),
        recordLine("fleet", { car_id: "VIN-404" }),
        stateLine("fleet", 1),
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(sandbox.store.findRecord("cars", "car_id", "VIN-1")).toBeUndefined();
    expect(sandbox.store.findRecord("cars", "car_id", "VIN-2")).toBeDefined();
    expect(streamStates(result.messages)).toEqual([
      { name: "fleet", recordCount: 2, rejectedRecordCount: undefined },
    ]);
  });
});

describe("write: bad records and checkpoints", () => {
  it("writes every good record, stores every bad one in S3 with its reason, and echoes states in order", async () => {
    const lines = [
      recordLine("people", { email: "good1@x.co", firstname: "One" }),
      recordLine("people", { email: "not-an-email" }),
      recordLine("people", { firstname: "No key" }),
      recordLine("people", { email: "good2@x.co", lifecyclestage: "astronaut" }),
      stateLine("people", 1),
      "this is not json",
      recordLine("ghosts", { email: "boo@x.co" }),
      JSON.stringify({ type: "RECORD", record: { stream: "people", data: [1, 2, 3], emitted_at: 1 } }),
      recordLine("people", { email: "good3@x.co", no_such_property: 1 }),
      recordLine("people", { email: "good4@x.co", date_of_birth: "2020-01-01T10:30:00Z" }),
      recordLine("people", { email: "good5@x.co", firstname: "x".repeat(70_000) }),
      recordLine("people", { email: "good6@x.co", firstname: "Six" }),
      stateLine("people", 2),
    ];
    const result = await write([stream("people", "CONTACT", "email")], lines, {}, "s3");
    expect(result.exitCode).toBe(0);
    for (const email of ["good1@x.co", "good6@x.co"]) {
      expect(sandbox.store.findRecord("contacts", "email", email)).toBeDefined();
    }
    const rejected = result.rejects;
    const codes = rejected.map((r) => r._rejection.code).sort();
    expect(codes).toEqual(
      [
        "INVALID_EMAIL",
        "MISSING_MATCHING_KEY",
        "INVALID_OPTION",
        "INVALID_MESSAGE",
        "UNKNOWN_STREAM",
        "DATA_NOT_OBJECT",
        "UNKNOWN_PROPERTY",
        "INVALID_DATE",
        "VALUE_TOO_LONG",
      ].sort(),
    );
    const unknown = rejected.find((r) => r._rejection.code === "UNKNOWN_PROPERTY");
    expect(unknown?._rejection.field).toBe("no_such_property");
    expect(unknown?._airbyte_data).toEqual({ email: "good3@x.co", no_such_property: 1 });
    expect(streamStates(result.messages)).toEqual([
      { name: "people", recordCount: 1, rejectedRecordCount: 3 },
      { name: "people", recordCount: 1, rejectedRecordCount: 4 },
    ]);
  });

  it("rejects only the bad email of a batch keyed by email and writes the other 99", async () => {
    const lines = Array.from({ length: 100 }, (_, i) =>
      recordLine("people", { email: i === 37 ? "broken@" : `p${i}@x.co`, firstname: `P${i}` }),
    );
    lines.push(stateLine("people", 1));
    const result = await write([stream("people", "CONTACT", "email")], lines, { linger_ms: 5000 });
    expect(result.exitCode).toBe(0);
    expect(sandbox.store.listRecords("contacts")).toHaveLength(99);
    expect(result.rejects.map((r) => r._airbyte_data.email)).toEqual(["broken@"]);
    expect(streamStates(result.messages)).toEqual([
      { name: "people", recordCount: 99, rejectedRecordCount: 1 },
    ]);
  });

  it("fails with a config_error before reading anything when the matching key is not a unique property", async () => {
    const result = await write(
      [stream("accounts", "COMPANY", "name")],
      [recordLine("accounts", { name: "Acme" })],
    );
    expect(result.exitCode).toBe(1);
    const trace = result.messages.find((m) => m.type === "TRACE") as {
      trace: { error: { failure_type: string; message: string } };
    };
    expect(trace.trace.error.failure_type).toBe("config_error");
    expect(trace.trace.error.message).toContain("name");
    expect(sandbox.store.listRecords("companies")).toHaveLength(0);
  });

  it("fails with a config_error for an object HubSpot does not have", async () => {
    const result = await write([stream("x", "SPACESHIP", "id")], [recordLine("x", { id: "1" })]);
    expect(result.exitCode).toBe(1);
    expect(JSON.stringify(result.messages)).toContain("SPACESHIP");
  });
});

describe("write: rejected-record formats and GLOBAL state", () => {
  it("stores rejects as gzipped CSV when configured, one row per record with its reason", async () => {
    const prefix = freshPrefix("csv");
    const result = await write(
      [stream("people", "CONTACT", "email")],
      [
        recordLine("people", { email: "ok@x.co" }),
        recordLine("people", { firstname: "no key" }),
        stateLine("people", 1),
      ],
      {
        object_storage_config: s3StorageConfig(s3, {
          bucket_path: prefix,
          format: { format_type: "CSV" },
          compression: { compression_type: "GZIP" },
        }),
      },
      "s3",
    );
    expect(result.exitCode).toBe(0);
    const keys = await s3.keys(prefix);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/\.csv\.gz$/);
    const rows = (await s3.text(keys[0] as string)).trim().split("\n");
    expect(rows[0]).toContain("_airbyte_data");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain("MISSING_MATCHING_KEY");
  });

  it("echoes a GLOBAL state with the stats of every stream it covers", async () => {
    const result = await write(
      [stream("people", "CONTACT", "email"), stream("accounts", "COMPANY", "company_external_id")],
      [
        recordLine("people", { email: "a@x.co" }),
        recordLine("accounts", { company_external_id: "C-1", name: "Acme" }),
        recordLine("accounts", { name: "no key" }),
        globalStateLine("after-3"),
        recordLine("people", { email: "b@x.co" }),
        globalStateLine("after-4"),
      ],
    );
    expect(result.exitCode).toBe(0);
    const states = result.messages.filter((m) => m.type === "STATE").map((m) => m.state);
    expect(
      states.map(
        (state) => (state?.global as { shared_state: { cursor: string } } | undefined)?.shared_state.cursor,
      ),
    ).toEqual(["after-3", "after-4"]);
    expect(states.map((state) => state?.destinationStats)).toEqual([
      { recordCount: 2, rejectedRecordCount: 1 },
      { recordCount: 1 },
    ]);
  });
});

describe("write: sparse input", () => {
  it("sends an open batch at a STATE when nothing is in flight, instead of waiting out its linger", async () => {
    const configPath = await config({ linger_ms: 30_000 });
    const catalogPath = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    let closedAt = 0;
    async function* slowly() {
      yield `${[recordLine("people", { email: "s1@x.co" }), recordLine("people", { email: "s2@x.co" }), stateLine("people", 1)].join("\n")}\n`;
      // Stdin stays open until HubSpot has both records, or 10 s: a run that waited out its 30 s linger, or for
      // the end of its input, has not sent them by then.
      for (let waited = 0; waited < 10_000 && sandbox.store.listRecords("contacts").length < 2; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
      closedAt = Date.now();
    }
    const result = await runCli(["write", "--config", configPath, "--catalog", catalogPath], {
      stdin: slowly(),
    });
    expect(result.exitCode).toBe(0);
    const created = sandbox.store.listRecords("contacts").map((record) => Date.parse(record.createdAt));
    expect(created).toHaveLength(2);
    // Written while stdin was still open, not at its end (and not 30 s later).
    for (const time of created) expect(time).toBeLessThanOrEqual(closedAt);
    expect(streamStates(result.messages)).toEqual([
      { name: "people", recordCount: 2, rejectedRecordCount: undefined },
    ]);
  });
});

describe("write: raw pipe mode", () => {
  it("reads plain JSON lines and prints a summary to stderr", async () => {
    const configPath = await config({ object_storage_config: { storage_type: "None" } });
    const result = await runCli(["write", "--config", configPath, "--object", "CONTACT"], {
      stdin: [
        '{"email":"a@x.co","firstname":"A"}',
        "not json",
        '{"email":"b@x.co"}',
        '{"email":"a@x.co","lastname":"Z"}',
      ].join("\n"),
    });
    // 3: finished, but a record was rejected.
    expect(result.exitCode).toBe(3);
    // The second a@x.co record updates the contact the first one created.
    expect(result.stderr).toMatch(/Read 4 records: written 3 \(created 2, updated 1\), rejected 1/);
    expect(result.stderr).not.toContain("outside any stream");
    expect(result.stderr).toContain("INVALID_JSON: 1");
    expect(sandbox.store.findRecord("contacts", "email", "a@x.co")?.properties).toMatchObject({
      firstname: "A",
      lastname: "Z",
    });
  });
});
