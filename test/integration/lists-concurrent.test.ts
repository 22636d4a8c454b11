/**
 * One overwrite of a list at a time: a raw `--mode replace` run marks the list while it runs, a second overwrite of
 * it is refused naming that marker (and changes nothing), and a marker a killed run left behind refuses overwrites
 * until it is deleted, as the message says. Through the built CLI over one sandbox.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../support/sandbox.js";
import { type CliResult, runCli, writeTempJson } from "../support/cli.js";
import {
  listNamed,
  listStream,
  makeContacts,
  memberEmails,
  seedMembers,
  statusLine,
} from "../support/lists.js";
import { recordLine, stateLine } from "../support/messages.js";
import { spawnCli } from "../support/process.js";

const TOKEN = "sandbox-private-app-token";

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ latencyMs: 5 });
});
afterEach(async () => {
  await sandbox.close();
});

const config = () =>
  writeTempJson({
    credentials: { type: "Private App", access_token: TOKEN },
    api_base_url: sandbox.url,
    linger_ms: 20,
  });

const AUDIENCE_A = ["a1@x.co", "a2@x.co", "a3@x.co", "a4@x.co"];
const AUDIENCE_B = ["b1@x.co", "b2@x.co", "b3@x.co"];
const REPLACE = ["--object", "list:Newsletter", "--mode", "replace"];
const emailLines = (emails: readonly string[]) => emails.map((email) => JSON.stringify({ email }));
const markers = () => sandbox.store.lists.all().filter((list) => list.name.includes(" · overwrite run "));
/** Membership requests the Newsletter list received, as HubSpot would count them. */
const membershipRequests = () =>
  sandbox.store.lists.received(listNamed(sandbox, "Newsletter").listId).requests;
const traceMessage = (result: CliResult) =>
  result.messages.find((message) => message.trace?.type === "ERROR")?.trace?.error?.message;

function setUp() {
  const ids = makeContacts(sandbox, [...AUDIENCE_A, ...AUDIENCE_B, "old@x.co"]);
  seedMembers(sandbox, "Newsletter", [ids.get("old@x.co") as string]);
}

describe("two overwrites of one list", () => {
  it("refuse the second while the first runs, which then leaves the list exactly its own audience", async () => {
    setUp();
    const file = await config();
    const first = spawnCli(["write", "--config", file, ...REPLACE]);
    // The first run reads half its audience and waits for the rest, its marker in HubSpot.
    first.child.stdin.write(`${emailLines(AUDIENCE_A.slice(0, 2)).join("\n")}\n`);
    await first.waitFor(() => membershipRequests() >= 1, "the first run's first writes");
    expect(markers()).toHaveLength(1);
    const marker = markers()[0]?.name as string;

    const requestsBefore = membershipRequests();
    const second = await runCli(["write", "--config", file, ...REPLACE], {
      stdin: `${emailLines(AUDIENCE_B).join("\n")}\n`,
    });
    expect(second.exitCode).toBe(1);
    expect(traceMessage(second)).toContain("List Newsletter is being overwritten by another run");
    expect(second.stderr).toContain(
      `error: List Newsletter is being overwritten by another run: HubSpot has its marker list "${marker}"`,
    );
    expect(second.stderr).toContain(`delete the list "${marker}" in HubSpot`);
    // It changed nothing, and left no marker of its own.
    expect(membershipRequests()).toBe(requestsBefore);
    expect(markers().map((list) => list.name)).toEqual([marker]);

    // An Airbyte-mode overwrite of the same list is refused the same way.
    const catalog = await writeTempJson({
      streams: [listStream("audience", "list:Newsletter", "overwrite")],
    });
    const airbyte = await runCli(["write", "--config", file, "--catalog", catalog], {
      stdin: `${[recordLine("audience", { email: "b1@x.co" }), stateLine("audience", 1), statusLine("audience", "COMPLETE")].join("\n")}\n`,
    });
    expect(airbyte.exitCode).toBe(1);
    expect(traceMessage(airbyte)).toContain(`HubSpot has its marker list "${marker}"`);
    expect(membershipRequests()).toBe(requestsBefore);

    first.child.stdin.end(`${emailLines(AUDIENCE_A.slice(2)).join("\n")}\n`);
    const exit = await first.exited;
    expect(exit.code).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual([...AUDIENCE_A].sort());
    expect(markers()).toEqual([]);
  });

  it("refuse every overwrite while a killed run's marker is left, until it is deleted as the message says", async () => {
    setUp();
    const file = await config();
    const killed = spawnCli(["write", "--config", file, ...REPLACE]);
    killed.child.stdin.write(`${emailLines(AUDIENCE_A).join("\n")}\n`);
    await killed.waitFor(
      () => markers().length === 1 && membershipRequests() >= 1,
      "the killed run's marker and writes",
    );
    killed.child.kill("SIGKILL");
    await killed.exited;
    const marker = markers()[0] as NonNullable<ReturnType<typeof markers>[0]>;

    const refused = await runCli(["write", "--config", file, ...REPLACE], {
      stdin: `${emailLines(AUDIENCE_B).join("\n")}\n`,
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(
      `If no run is writing the list (one was killed before it could delete its marker), delete the list "${marker.name}" in HubSpot`,
    );

    const deleted = await fetch(`${sandbox.url}/crm/lists/2026-09/${marker.listId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(deleted.status).toBe(204);
    const again = await runCli(["write", "--config", file, ...REPLACE], {
      stdin: `${emailLines(AUDIENCE_B).join("\n")}\n`,
    });
    expect(again.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual([...AUDIENCE_B].sort());
    expect(markers()).toEqual([]);
  });

  it("delete a run's marker however it ends, also when a guard halted its writes", async () => {
    const ids = makeContacts(sandbox, [...AUDIENCE_A, "old1@x.co", "old2@x.co"]);
    seedMembers(sandbox, "Newsletter", [ids.get("old1@x.co") as string, ids.get("old2@x.co") as string]);
    const file = await writeTempJson({
      credentials: { type: "Private App", access_token: TOKEN },
      api_base_url: sandbox.url,
      linger_ms: 20,
      guards: { max_list_removals: 1 },
    });
    const halted = await runCli(["write", "--config", file, ...REPLACE], {
      stdin: `${emailLines(AUDIENCE_A).join("\n")}\n`,
    });
    expect(halted.exitCode).toBe(1);
    expect(traceMessage(halted)).toContain("max_list_removals");
    expect(memberEmails(sandbox, "Newsletter")).toEqual([...AUDIENCE_A, "old1@x.co", "old2@x.co"].sort());
    expect(markers()).toEqual([]);
  });
});
