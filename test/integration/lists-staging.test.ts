/**
 * A staging list is deleted only by an overwrite of a later sync generation: an append stream of another
 * connection on the same list, and a replay of an older generation's rejected records, leave a killed
 * overwrite's staging list alone, so the overwrite resumes and removes no member its source sent.
 */
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, useSandbox } from "../support/harness.js";
import { listNamed, listStream, makeContacts, memberEmails, statusLine } from "../support/lists.js";
import { runUntilKilled, statesEchoed } from "../support/kill.js";
import { recordLine, stateLine } from "../support/messages.js";

const sandbox = useSandbox({ latencyMs: 5 }, { per: "file" });

const SOURCE = Array.from({ length: 11 }, (_, i) => `m${i}@x.co`);
const stagingOf = (generation: number) =>
  sandbox.store.lists.byName(`Newsletter · sync generation ${generation}`);

/** Writes `lines`, then kills the run with SIGKILL once it echoed a STATE (stdin is left open, as mid-sync). */
async function runUntilState(args: string[], lines: string[]): Promise<string> {
  const killed = await runUntilKilled(args, {
    feed: async (cli) => void cli.child.stdin.write(`${lines.join("\n")}\n`),
    killWhen: (cli) => statesEchoed(cli) >= 1,
    deadlineMs: 30_000,
  });
  return killed.stdout;
}

describe("write: staging lists across other writers of the same list", () => {
  it("keeps a killed overwrite's staging list through an append stream and an old replay, and the resume removes no member its source sent", async () => {
    makeContacts(sandbox, SOURCE);
    const config = (await configFor(sandbox, { linger_ms: 20 })).path;
    const catalog = (stream: string, mode: "overwrite" | "append", generationId: number) =>
      writeTempJson({ streams: [listStream(stream, "list:Newsletter", mode, { generationId })] });
    const gen5 = ["write", "--config", config, "--catalog", await catalog("audience", "overwrite", 5)];
    const gen6 = ["write", "--config", config, "--catalog", await catalog("audience", "overwrite", 6)];
    const records = (emails: readonly string[]) => emails.map((email) => recordLine("audience", { email }));

    // Generation 5 rejects dan@, who is no contact yet.
    const rejects = join(dirname(await writeTempJson({})), "rejects-gen5.jsonl");
    const first = await runCli([...gen5, "--rejects", rejects], {
      stdin: `${[...records(["m0@x.co", "dan@x.co"]), stateLine("audience", 2), statusLine("audience", "COMPLETE")].join("\n")}\n`,
    });
    expect(first.exitCode).toBe(0);
    // Generation 6 writes ten members, echoes a STATE and is killed.
    expect(await runUntilState(gen6, [...records(SOURCE.slice(0, 10)), stateLine("audience", 10)])).toContain(
      '"type":"STATE"',
    );
    const staged = () =>
      sandbox.store.lists.membersOf(listNamed(sandbox, "Newsletter · sync generation 6").listId);
    expect(staged()).toHaveLength(10);
    expect(stagingOf(5)).toBeUndefined();

    // (a) Another connection appends to the same list in its generation 1.
    makeContacts(sandbox, ["dan@x.co"]);
    const append = await runCli(
      ["write", "--config", config, "--catalog", await catalog("other", "append", 1)],
      {
        stdin: `${[recordLine("other", { email: "dan@x.co" }), stateLine("other", 1)].join("\n")}\n`,
      },
    );
    expect(append.exitCode).toBe(0);
    expect(staged()).toHaveLength(10);

    // (b) Generation 5's reject is replayed: it carries generation 5.
    const replay = await runCli(["replay", "--config", config, "--from", rejects], { stdin: "" });
    expect(replay.exitCode).toBe(0);
    expect(replay.stderr).toContain("1 replayed: 1 written");
    expect(staged()).toHaveLength(10);
    expect(stagingOf(5)).toBeUndefined();

    // Generation 6 resumes after its STATE and completes: the ten it sent before survive, dan@ (not sent) goes.
    const resumed = await runCli(gen6, {
      stdin: `${[...records(SOURCE.slice(10)), stateLine("audience", 11), statusLine("audience", "COMPLETE")].join("\n")}\n`,
    });
    expect(resumed.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual([...SOURCE].sort());
  }, 90_000);

  it("adds back what a killed overwrite staged when another connection's overwrite removed it before the resume", async () => {
    const a = Array.from({ length: 10 }, (_, i) => `a${i}@x.co`);
    const b = ["b0@x.co", "b1@x.co", "b2@x.co"];
    makeContacts(sandbox, [...a, ...b]);
    const config = (await configFor(sandbox, { linger_ms: 20, lists: { create_missing_lists: true } })).path;
    const overwrite = async (stream: string, generationId: number) => [
      "write",
      "--config",
      config,
      "--catalog",
      await writeTempJson({
        streams: [listStream(stream, "list:Shared audience", "overwrite", { generationId })],
      }),
    ];
    const records = (stream: string, emails: readonly string[]) =>
      emails.map((email) => recordLine(stream, { email }));
    const connectionA = await overwrite("audience_a", 7);
    // Connection A, generation 7: five members, a STATE, killed.
    await runUntilState(connectionA, [...records("audience_a", a.slice(0, 5)), stateLine("audience_a", 5)]);
    // Connection B, generation 3, overwrites the same list to completion: A's five go, as B's source says.
    const other = await runCli(await overwrite("audience_b", 3), {
      stdin: `${[...records("audience_b", b), stateLine("audience_b", 3), statusLine("audience_b", "COMPLETE")].join("\n")}\n`,
    });
    expect(other.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Shared audience")).toEqual([...b].sort());
    // A resumes after its STATE and completes: its list is exactly what its source sent in generation 7.
    const resumed = await runCli(connectionA, {
      stdin: `${[...records("audience_a", a.slice(5)), stateLine("audience_a", 10), statusLine("audience_a", "COMPLETE")].join("\n")}\n`,
    });
    expect(resumed.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Shared audience")).toEqual([...a].sort());
    expect(resumed.stdout).toContain("added back 5 members");
  }, 90_000);
});
