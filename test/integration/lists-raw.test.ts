/**
 * Lists from a shell (`--object list:<name> --mode add|remove|replace`) and in `discover`, through the built CLI
 * over the sandbox.
 */
import { describe, expect, it } from "vitest";
import { ALL_SCOPES, type Sandbox } from "../../src/sandbox/server.js";
import { runCli } from "../support/cli.js";
import { configFor, TOKEN, useSandbox } from "../support/harness.js";
import { listNamed, makeContacts, memberEmails, seedMembers } from "../support/lists.js";

const NO_LISTS = "pat-no-lists";

const sandbox = useSandbox({
  privateAppTokens: [
    { token: TOKEN, scopes: [...ALL_SCOPES] },
    { token: NO_LISTS, scopes: ALL_SCOPES.filter((scope) => !scope.startsWith("crm.lists.")) },
  ],
});

const config = async (extra: Record<string, unknown> = {}, token = TOKEN) =>
  (await configFor(sandbox, extra, { token })).path;

async function pipe(args: string[], lines: unknown[]) {
  return runCli(["write", "--config", await config(), ...args], {
    stdin: `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`,
  });
}

describe("write, raw pipe mode: lists", () => {
  it("adds by default, removes with --mode remove, and makes the list the input with --mode replace", async () => {
    const ids = makeContacts(sandbox, ["ann@x.co", "bob@x.co", "cat@x.co", "old@x.co"]);
    seedMembers(sandbox, "Newsletter", [ids.get("old@x.co") as string]);
    const added = await pipe(["--object", "list:Newsletter"], [{ email: "ann@x.co" }, { email: "bob@x.co" }]);
    expect(added.exitCode).toBe(0);
    expect(added.stderr).toContain("added 2, already members 0");
    expect(memberEmails(sandbox, "Newsletter")).toEqual(["ann@x.co", "bob@x.co", "old@x.co"]);

    const removed = await pipe(["--object", "list:Newsletter", "--mode", "remove"], [{ email: "bob@x.co" }]);
    expect(removed.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual(["ann@x.co", "old@x.co"]);

    const replaced = await pipe(
      ["--object", "list:Newsletter", "--mode", "replace"],
      [{ email: "ann@x.co" }, { email: "cat@x.co" }],
    );
    expect(replaced.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual(["ann@x.co", "cat@x.co"]);
    expect(replaced.stderr).toContain("removed 1 member the source no longer has; kept 1");
    // Raw pipe mode keeps no staging list: it has no sync generations to resume.
    expect(sandbox.store.lists.all().some((list) => list.name.includes("sync generation"))).toBe(false);
  });

  it("takes a company list's key with --key and refuses list modes for CRM objects", async () => {
    const companies = sandbox.store.resolve("companies") as NonNullable<
      ReturnType<Sandbox["store"]["resolve"]>
    >;
    const acme = sandbox.store.create(companies, { company_external_id: "C-1" });
    const result = await pipe(
      ["--object", "list:Target accounts", "--key", "company_external_id"],
      [{ company_external_id: "C-1" }],
    );
    expect(result.exitCode).toBe(0);
    expect(sandbox.store.lists.membersOf(listNamed(sandbox, "Target accounts").listId)).toEqual([acme.id]);

    const wrong = await pipe(["--object", "CONTACT", "--mode", "add"], [{ email: "ann@x.co" }]);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stdout).toContain("is for lists");
  });
});

describe("discover: lists", () => {
  type Operation = {
    object_name: string;
    sync_mode: string;
    json_schema: { properties: Record<string, unknown> };
    matching_keys?: string[][];
  };
  async function discover(extra: Record<string, unknown> = {}, token = TOKEN) {
    const result = await runCli(["discover", "--config", await config(extra, token)]);
    const catalog = result.messages.find((message) => message.type === "DESTINATION_CATALOG") as
      | { destination_catalog: { operations: Operation[] } }
      | undefined;
    const operations = catalog?.destination_catalog.operations ?? [];
    return { ...result, lists: operations.filter((operation) => operation.object_name.startsWith("list:")) };
  }

  it("offers each static list for append, overwrite and soft_delete, keyed as its object's records, and no active or staging list", async () => {
    sandbox.store.lists.create({
      name: "Newsletter · sync generation 3",
      objectTypeId: "0-1",
      processingType: "MANUAL",
    });
    const { exitCode, lists } = await discover();
    expect(exitCode).toBe(0);
    const names = [...new Set(lists.map((operation) => operation.object_name))].sort();
    expect(names).toEqual(["list:Newsletter", "list:Target accounts", "list:Webinar attendees 2025"]);
    const newsletter = lists.filter((operation) => operation.object_name === "list:Newsletter");
    expect(newsletter.map((operation) => operation.sync_mode)).toEqual([
      "append",
      "overwrite",
      "soft_delete",
    ]);
    expect(newsletter[0]?.matching_keys).toEqual([["email"], ["external_id"]]);
    expect(Object.keys(newsletter[0]?.json_schema.properties ?? {}).sort()).toEqual(["email", "external_id"]);
    const accounts = lists.find((operation) => operation.object_name === "list:Target accounts");
    expect(accounts?.matching_keys).toEqual([["company_external_id"]]);
  });

  it("with create_missing_records, offers the object's writable properties for append and overwrite", async () => {
    const { lists } = await discover({ lists: { create_missing_records: true } });
    const [append, overwrite, softDelete] = lists.filter(
      (operation) => operation.object_name === "list:Newsletter",
    );
    expect(Object.keys(append?.json_schema.properties ?? {})).toContain("firstname");
    expect(Object.keys(overwrite?.json_schema.properties ?? {})).toContain("firstname");
    expect(Object.keys(softDelete?.json_schema.properties ?? {}).sort()).toEqual(["email", "external_id"]);
  });

  it("leaves lists out with a warning when the token cannot read them, and lists the objects", async () => {
    const { exitCode, lists, messages } = await discover({}, NO_LISTS);
    expect(exitCode).toBe(0);
    expect(lists).toEqual([]);
    const warnings = messages.filter((message) => message.log?.level === "WARN").map((m) => m.log?.message);
    expect(warnings.join("\n")).toContain("Discover left out lists (segments)");
  });
});
