/**
 * The small things a first user trips on, through the built CLI over the sandbox: a file saved with a byte order
 * mark, HubSpot's own object names, a raw object without its key, events without event_name, an unknown option,
 * plain records piped into Airbyte mode, and summaries that say "1 records".
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../support/sandbox.js";
import { type CliResult, runCli, writeTempJson } from "../support/cli.js";
import { recordLine, stateLine, stream, streamStates } from "../support/messages.js";

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

const config = () =>
  writeTempJson({
    credentials: { type: "Private App", access_token: "sandbox-private-app-token" },
    api_base_url: sandbox.url,
    linger_ms: 20,
  });

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const jsonl = (values: unknown[]) => `${values.map((value) => JSON.stringify(value)).join("\n")}\n`;
const lines = (texts: string[]) => `${texts.join("\n")}\n`;
const warnings = (result: CliResult) =>
  result.messages.filter((message) => message.log?.level === "WARN").map((message) => message.log?.message);

async function raw(args: string[], stdin: string | Buffer) {
  return runCli(["write", "--config", await config(), ...args], { stdin });
}

describe("a file saved with a UTF-8 byte order mark", () => {
  it("is read from its first line in raw pipe mode", async () => {
    const result = await raw(
      ["--object", "CONTACT"],
      Buffer.concat([BOM, Buffer.from(jsonl([{ email: "bom1@x.co" }, { email: "bom2@x.co" }]))]),
    );
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("Read 2 records: written 2");
    expect(sandbox.ledger.totals("contacts").creates).toBe(2);
  });

  it("is read from its first line in Airbyte mode", async () => {
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const input = lines([recordLine("people", { email: "bom3@x.co" }), stateLine("people", 1)]);
    const result = await runCli(["write", "--config", await config(), "--catalog", catalog], {
      stdin: Buffer.concat([BOM, Buffer.from(input)]),
    });
    expect(result.exitCode).toBe(0);
    expect(streamStates(result.messages)).toMatchObject([{ name: "people", recordCount: 1 }]);
    expect(result.messages.some((message) => message.log?.message.includes("INVALID_MESSAGE"))).toBe(false);
    expect(sandbox.ledger.totals("contacts").creates).toBe(1);
  });
});

describe("HubSpot's own object names and type ids", () => {
  it.each([["contacts"], ["0-1"], ["Contacts"]])("are taken by --object (%s)", async (object) => {
    const result = await raw(["--object", object], jsonl([{ email: `named-${object}@x.co` }]));
    expect(result.exitCode).toBe(0);
    expect(sandbox.ledger.totals("contacts").creates).toBe(1);
  });

  it("are taken in a catalog's destination_object_name and a list's pinned object", async () => {
    const catalog = await writeTempJson({
      streams: [stream("accounts", "companies", "company_external_id")],
    });
    const result = await runCli(["write", "--config", await config(), "--catalog", catalog], {
      stdin: lines([
        recordLine("accounts", { company_external_id: "C-9", name: "Nine" }),
        stateLine("accounts", 1),
      ]),
    });
    expect(result.exitCode).toBe(0);
    expect(sandbox.ledger.totals("companies").creates).toBe(1);

    const list = await raw(
      ["--object", "list[0-2]:Target accounts", "--key", "company_external_id"],
      jsonl([{ company_external_id: "C-9" }]),
    );
    expect(list.exitCode).toBe(0);
    expect(list.stderr).toContain("added 1");
  });
});

describe("raw pipe mode without --key", () => {
  it("is a usage error for an object without a default key, listing its unique-value properties", async () => {
    const result = await raw(["--object", "COMPANY"], jsonl([{ company_external_id: "C-1", name: "One" }]));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^error: --object COMPANY needs --key/m);
    expect(result.stderr).toContain("Unique-value properties of COMPANY: company_external_id");
    expect(sandbox.ledger.totals("companies").creates).toBe(0);
  });

  it("is a usage error for a list of such an object", async () => {
    const result = await raw(["--object", "list[COMPANY]:Target accounts"], jsonl([{ x: 1 }]));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^error: --object list\[COMPANY\]:Target accounts needs --key/m);
  });
});

describe("EVENTS without event_name and without events.mappings", () => {
  it("rejects each record naming event_name, even when its event_type names a live definition", async () => {
    const result = await raw(
      ["--object", "EVENTS"],
      jsonl([
        { event_type: "signed_up", email: "ev@x.co" },
        { event_name: "signed_up", email: "ev@x.co" },
      ]),
    );
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("MISSING_EVENT_NAME: 1");
    expect(result.stderr).toContain("its event_type is read only through events.mappings");
    expect(sandbox.store.events.list("signed_up")).toHaveLength(1);
  });
});

describe("an unknown option", () => {
  it("is reported as unknown, exit 2, before any missing required option", async () => {
    const result = await runCli(["write", "--frobnicate"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("error: unknown option '--frobnicate'");
    expect(result.stderr).not.toContain("required option");
    const missing = await runCli(["write"]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("error: required option '--config <path>' not specified");
  });
});

describe("plain records piped into Airbyte mode", () => {
  it("are rejected as INVALID_MESSAGE, and a warning says once that they look like plain records and --object exists", async () => {
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const plain = Array.from({ length: 300 }, (_, index) => ({ email: `plain${index}@x.co` }));
    const result = await runCli(["write", "--config", await config(), "--catalog", catalog], {
      stdin: jsonl(plain),
    });
    expect(result.exitCode).toBe(0);
    const notices = warnings(result).filter((message) => message?.includes("plain JSON object"));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("Input line 1 is a plain JSON object");
    expect(notices[0]).toContain("--object CONTACT");
    expect(result.messages.some((m) => m.log?.message.includes("INVALID_MESSAGE 300"))).toBe(true);
    expect(sandbox.ledger.totals("contacts").creates).toBe(0);
  });
});

describe("the summaries", () => {
  it("say one record, one rejected record and one state in the singular", async () => {
    const rawRun = await raw(["--object", "CONTACT"], jsonl([{ email: "not-an-email" }]));
    expect(rawRun.exitCode).toBe(3);
    expect(rawRun.stderr).toContain("Read 1 record: written 0, rejected 1.");
    expect(rawRun.stderr).toContain("1 rejected record was not kept anywhere");

    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const airbyte = await runCli(["write", "--config", await config(), "--catalog", catalog], {
      stdin: lines([recordLine("people", { email: "one@x.co" }), stateLine("people", 1)]),
    });
    expect(airbyte.exitCode).toBe(0);
    const closing = airbyte.messages.find((m) => m.log?.message.startsWith("Write finished"))?.log?.message;
    expect(closing).toContain(", 1 state echoed,");
  });
});
