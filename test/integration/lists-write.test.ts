/**
 * List (segment) memberships written by the built CLI over the sandbox: add, remove and overwrite by key, missing
 * records and lists, refusals before reading, lists of other objects, and raw pipe mode. Assertions read the
 * sandbox's lists and what it received, not the connector's own summary.
 */
import { describe, expect, it } from "vitest";
import { type Sandbox } from "../../src/sandbox/server.js";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, runWrite, useSandbox, withSandbox } from "../support/harness.js";
import {
  listNamed,
  listStream,
  makeContacts,
  memberEmails,
  seedMembers,
  statusLine,
} from "../support/lists.js";
import { recordLine, stateLine, streamStates } from "../support/messages.js";

const sandbox = useSandbox();

async function write(streams: unknown[], lines: string[], extra: Record<string, unknown> = {}) {
  const result = await runWrite(sandbox, {
    streams,
    lines,
    extra: { linger_ms: 50, ...extra },
    rejectsFile: true,
  });
  return { ...result, codes: result.rejects.map((row) => row._rejection.code) };
}

const error = (result: {
  messages: Array<{ trace?: { error?: { message: string; failure_type?: string } } }>;
}) => result.messages.find((message) => message.trace?.error)?.trace?.error;

const newsletter = (mode: "append" | "overwrite" | "soft_delete", generationId = 1) =>
  listStream("audience", "list:Newsletter", mode, { generationId });

describe("write: list memberships", () => {
  it("adds existing contacts by email, normalised as HubSpot stores them, and rejects a missing one as RECORD_NOT_FOUND", async () => {
    makeContacts(sandbox, ["ann@x.co", "bob@x.co"]);
    const result = await write(
      [newsletter("append")],
      [
        recordLine("audience", { email: "  Ann@X.co " }),
        recordLine("audience", { email: "bob@x.co" }),
        recordLine("audience", { email: "nobody@x.co", firstname: "No" }),
        stateLine("audience", 1),
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual(["ann@x.co", "bob@x.co"]);
    expect(result.codes).toEqual(["RECORD_NOT_FOUND"]);
    expect(sandbox.store.findRecord("contacts", "email", "nobody@x.co")).toBeUndefined();
    expect(streamStates(result.messages)).toEqual([
      { name: "audience", recordCount: 2, rejectedRecordCount: 1 },
    ]);
  });

  it("with create_missing_records, creates a missing contact by its email with its properties, then adds it", async () => {
    makeContacts(sandbox, ["ann@x.co"]);
    const result = await write(
      [newsletter("append")],
      [
        recordLine("audience", { email: "ann@x.co", firstname: "Ann" }),
        recordLine("audience", { email: "New@X.co", firstname: "Nina" }),
        stateLine("audience", 1),
      ],
      { lists: { create_missing_records: true } },
    );
    expect(result.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual(["ann@x.co", "new@x.co"]);
    expect(sandbox.store.findRecord("contacts", "email", "new@x.co")?.properties.firstname).toBe("Nina");
    // Only the missing record is upserted: the existing one is not rewritten.
    expect(sandbox.ledger.get("contacts", "email=ann@x.co")?.updates ?? 0).toBe(0);
    expect(sandbox.ledger.get("contacts", "email=new@x.co")?.creates).toBe(1);
    expect(sandbox.stats.byRoute.get("upsert")).toBe(1);
    expect(streamStates(result.messages)).toEqual([
      { name: "audience", recordCount: 2, rejectedRecordCount: undefined },
    ]);
  });

  it("removes members, counting a non-member and a missing record as already out", async () => {
    const ids = makeContacts(sandbox, ["ann@x.co", "bob@x.co", "cat@x.co"]);
    seedMembers(sandbox, "Newsletter", [ids.get("ann@x.co"), ids.get("bob@x.co")] as string[]);
    const result = await write(
      [newsletter("soft_delete")],
      [
        recordLine("audience", { email: "ann@x.co" }),
        recordLine("audience", { email: "cat@x.co" }),
        recordLine("audience", { email: "ghost@x.co" }),
        stateLine("audience", 1),
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual(["bob@x.co"]);
    expect(result.rejects).toEqual([]);
    expect(result.stderr + JSON.stringify(result.messages)).toContain("removed 1, not members 2");
  });

  it("overwrite removes the members the source no longer has and keeps the ones it sent", async () => {
    const ids = makeContacts(sandbox, ["keep@x.co", "stale@x.co", "join@x.co"]);
    seedMembers(sandbox, "Newsletter", [ids.get("keep@x.co"), ids.get("stale@x.co")] as string[]);
    const result = await write(
      [newsletter("overwrite")],
      [
        recordLine("audience", { email: "keep@x.co" }),
        recordLine("audience", { email: "join@x.co" }),
        stateLine("audience", 1),
        statusLine("audience", "COMPLETE"),
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual(["join@x.co", "keep@x.co"]);
    const staging = listNamed(sandbox, "Newsletter · sync generation 1");
    expect(sandbox.store.lists.membersOf(staging.listId).sort()).toEqual(
      [ids.get("keep@x.co"), ids.get("join@x.co")].sort(),
    );
  });

  it("overwrite removes nothing when the source did not report the stream complete, and says so", async () => {
    const ids = makeContacts(sandbox, ["keep@x.co", "stale@x.co", "join@x.co"]);
    seedMembers(sandbox, "Newsletter", [ids.get("keep@x.co"), ids.get("stale@x.co")] as string[]);
    const result = await write(
      [newsletter("overwrite")],
      [
        recordLine("audience", { email: "join@x.co" }),
        stateLine("audience", 1),
        statusLine("audience", "INCOMPLETE"),
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual(["join@x.co", "keep@x.co", "stale@x.co"]);
    const warnings = result.messages.filter((message) => message.log?.level === "WARN");
    expect(warnings.map((message) => message.log?.message).join("\n")).toContain("was not swept");
  });

  it("creates a missing list on demand: contacts by default, another object when the name pins it", async () => {
    makeContacts(sandbox, ["ann@x.co"]);
    const companies = sandbox.store.resolve("companies");
    const acme = sandbox.store.create(companies as NonNullable<typeof companies>, {
      company_external_id: "C-1",
    });
    const result = await write(
      [
        listStream("vips", "list:VIP contacts", "append"),
        listStream("accounts", "list[COMPANY]:Key accounts", "append", { key: "company_external_id" }),
      ],
      [recordLine("vips", { email: "ann@x.co" }), recordLine("accounts", { company_external_id: "C-1" })],
      { lists: { create_missing_lists: true } },
    );
    expect(result.exitCode).toBe(0);
    const vips = listNamed(sandbox, "VIP contacts");
    expect([vips.processingType, vips.objectTypeId]).toEqual(["MANUAL", "0-1"]);
    expect(memberEmails(sandbox, "VIP contacts")).toEqual(["ann@x.co"]);
    const accounts = listNamed(sandbox, "Key accounts");
    expect([accounts.processingType, accounts.objectTypeId]).toEqual(["MANUAL", "0-2"]);
    expect(sandbox.store.lists.membersOf(accounts.listId)).toEqual([acme.id]);
  });

  it("refuses an active (DYNAMIC) list with a config_error before reading any record", async () => {
    makeContacts(sandbox, ["ann@x.co"]);
    const result = await write(
      [listStream("audience", "list:Active users", "append")],
      [recordLine("audience", { email: "ann@x.co" })],
    );
    expect(result.exitCode).toBe(1);
    expect(error(result)?.failure_type).toBe("config_error");
    expect(error(result)?.message).toContain("HubSpot manages its members itself");
    expect(sandbox.store.lists.received().requests).toBe(0);
    expect(sandbox.stats.byRoute.get("read") ?? 0).toBe(0);
  });

  it("refuses a list that does not exist without create_missing_lists, naming it, and creates nothing", async () => {
    const listsBefore = sandbox.store.lists.all().length;
    const result = await write(
      [listStream("audience", "list:Spring launch", "append")],
      [recordLine("audience", { email: "ann@x.co" })],
    );
    expect(result.exitCode).toBe(1);
    expect(error(result)?.failure_type).toBe("config_error");
    expect(error(result)?.message).toContain("list Spring launch");
    expect(error(result)?.message).toContain("create_missing_lists");
    expect(sandbox.store.lists.all()).toHaveLength(listsBefore);
  });

  it("writes a list of companies by a unique-value key, reading the list's object from HubSpot", async () => {
    const companies = sandbox.store.resolve("companies") as NonNullable<
      ReturnType<Sandbox["store"]["resolve"]>
    >;
    const [a, b] = ["C-1", "C-2"].map((key) => sandbox.store.create(companies, { company_external_id: key }));
    const result = await write(
      [listStream("accounts", "list:Target accounts", "append", { key: "company_external_id" })],
      [
        recordLine("accounts", { company_external_id: "C-1" }),
        recordLine("accounts", { company_external_id: "C-2" }),
        recordLine("accounts", { company_external_id: "C-3" }),
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(sandbox.store.lists.membersOf(listNamed(sandbox, "Target accounts").listId)).toEqual([
      a?.id,
      b?.id,
    ]);
    expect(result.codes).toEqual(["RECORD_NOT_FOUND"]);
  });

  it("needs no key read for members a CRM stream of the same run upserted", async () => {
    const result = await write(
      [
        { ...listStream("people", "CONTACT", "append"), destination_sync_mode: "append_dedup" },
        newsletter("append"),
      ],
      [
        recordLine("people", { email: "ann@x.co", firstname: "Ann" }),
        recordLine("audience", { email: "ann@x.co" }),
        recordLine("people", { email: "bob@x.co" }),
        recordLine("audience", { email: "BOB@x.co" }),
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual(["ann@x.co", "bob@x.co"]);
    expect(sandbox.stats.byRoute.get("read") ?? 0).toBe(0);
  });

  it("refuses a token without crm.lists.write before reading, naming the scope", async () => {
    const limited = { token: "pat-no-list-write", scopes: ["crm.lists.read", "crm.objects.contacts.read"] };
    await withSandbox({ privateAppTokens: [limited] }, async (own) => {
      const config = await configFor(own, { linger_ms: 50 }, { token: limited.token });
      const catalog = await writeTempJson({ streams: [newsletter("append")] });
      const result = await runCli(["write", "--config", config.path, "--catalog", catalog], {
        stdin: `${recordLine("audience", { email: "ann@x.co" })}\n`,
      });
      expect(result.exitCode).toBe(1);
      expect(error(result)?.failure_type).toBe("config_error");
      expect(error(result)?.message).toContain("crm.lists.write");
      expect(own.store.lists.received().requests).toBe(0);
    });
  });
});
