/**
 * The corners of "an overwrite never removes a member the source still has": records whose other fields are bad,
 * lines rejected before their key was read, and a list with several writers.
 */
import { describe, expect, it } from "vitest";
import { runWrite, useSandbox } from "../support/harness.js";
import { listStream, makeContacts, memberEmails, seedMembers, statusLine } from "../support/lists.js";
import { recordLine, stateLine } from "../support/messages.js";

const sandbox = useSandbox();

const write = (streams: unknown[], lines: string[], extra: Record<string, unknown> = {}) =>
  runWrite(sandbox, { streams, lines, extra: { linger_ms: 50, ...extra } });

const warnings = (result: Awaited<ReturnType<typeof write>>) =>
  result.messages
    .filter((message) => message.log?.level === "WARN")
    .map((message) => message.log?.message)
    .join("\n");

const overwrite = listStream("audience", "list:Newsletter", "overwrite");

describe("write: overwrite corners", () => {
  it("keeps a member whose other fields are bad, and rejects creating a missing record from bad fields", async () => {
    const ids = makeContacts(sandbox, ["keep@x.co", "stale@x.co"]);
    seedMembers(sandbox, "Newsletter", [ids.get("keep@x.co"), ids.get("stale@x.co")] as string[]);
    const result = await write(
      [overwrite],
      [
        recordLine("audience", { email: "keep@x.co", no_such_property: 1 }),
        recordLine("audience", { email: "new@x.co", no_such_property: 1 }),
        recordLine("audience", { email: "fine@x.co", firstname: "Fine" }),
        stateLine("audience", 1),
        statusLine("audience", "COMPLETE"),
      ],
      { lists: { create_missing_records: true } },
    );
    expect(result.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual(["fine@x.co", "keep@x.co"]);
    expect(sandbox.store.findRecord("contacts", "email", "new@x.co")).toBeUndefined();
    expect(result.stderr + JSON.stringify(result.messages)).toContain("UNKNOWN_PROPERTY 1");
  });

  it("removes nothing when a line of the stream was rejected before its key was read", async () => {
    const ids = makeContacts(sandbox, ["keep@x.co", "hidden@x.co"]);
    seedMembers(sandbox, "Newsletter", [ids.get("keep@x.co"), ids.get("hidden@x.co")] as string[]);
    let deep: unknown = "bottom";
    for (let level = 0; level < 600; level += 1) deep = { deeper: deep };
    const result = await write(
      [overwrite],
      [
        recordLine("audience", { email: "keep@x.co" }),
        // hidden@ is in the source, but its line is refused before anything reads its key.
        recordLine("audience", { email: "hidden@x.co", profile: deep }),
        stateLine("audience", 1),
        statusLine("audience", "COMPLETE"),
      ],
    );
    expect(result.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual(["hidden@x.co", "keep@x.co"]);
    expect(warnings(result)).toContain("rejected before their member could be identified");
  });

  it("refuses a catalog in which another stream writes a list that one overwrites", async () => {
    const result = await write(
      [overwrite, listStream("joiners", "list:newsletter", "append")],
      [recordLine("audience", { email: "keep@x.co" })],
    );
    expect(result.exitCode).toBe(1);
    const trace = result.messages.find((message) => message.trace?.error)?.trace?.error;
    expect(trace?.failure_type).toBe("config_error");
    expect(trace?.message).toContain("Give an overwritten list one stream");
  });
});
