/**
 * An overwrite killed with SIGKILL mid-sync and resumed from its last echoed STATE, as the platform resumes a sync
 * (same generation, the input after that STATE): no member the source still has is removed, neither by the killed
 * run nor by the resumed one, although the resumed run never sees the members sent before the STATE; the members
 * the source no longer has are removed once the resumed run completes. A later generation starts afresh.
 */
import { describe, expect, it } from "vitest";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, useSandbox } from "../support/harness.js";
import { listStream, makeContacts, memberEmails, seedMembers, statusLine } from "../support/lists.js";
import { runUntilKilled, statesEchoed } from "../support/kill.js";
import { lastCursor, recordLine, stateLine } from "../support/messages.js";

const sandbox = useSandbox({ latencyMs: 25 }, { per: "file" });

const SOURCE = Array.from({ length: 400 }, (_, i) => `src${i}@x.co`);
const STALE = Array.from({ length: 50 }, (_, i) => `stale${i}@x.co`);
const PER_STATE = 25;

/** Records of the source from `from`, a STATE after every 25 (cursor = records so far), then COMPLETE. */
function input(from: number): string[][] {
  const chunks: string[][] = [];
  for (let start = from; start < SOURCE.length; start += PER_STATE) {
    const end = Math.min(start + PER_STATE, SOURCE.length);
    const records = SOURCE.slice(start, end).map((email) => recordLine("audience", { email }));
    chunks.push([...records, stateLine("audience", end)]);
  }
  chunks.push([statusLine("audience", "COMPLETE")]);
  return chunks;
}

/**
 * Runs write on input fed at most two chunks ahead of the STATEs it has echoed (so however slow the machine, the
 * kill lands mid-input), and kills it with SIGKILL once it has echoed `states` STATEs.
 */
const runUntilStates = (args: string[], chunks: string[][], states: number) =>
  runUntilKilled(args, {
    feed: async (cli) => {
      for (const [index, chunk] of chunks.entries()) {
        await cli.waitFor(() => statesEchoed(cli) >= index - 1, `${index - 1} STATEs`, 30_000);
        cli.child.stdin.write(`${chunk.join("\n")}\n`);
      }
    },
    killWhen: (cli) => statesEchoed(cli) >= states,
    deadlineMs: 30_000,
  });

describe("write: overwriting a list across a kill -9 and a resume", () => {
  it("removes no member the source still has, and the stale ones once the resumed sync completes", async () => {
    const ids = makeContacts(sandbox, [...SOURCE, ...STALE]);
    // Before the sync: the first half of the source and the stale members are in the list.
    seedMembers(
      sandbox,
      "Newsletter",
      [...SOURCE.slice(0, 200), ...STALE].map((email) => ids.get(email) as string),
    );
    const config = (await configFor(sandbox, { linger_ms: 20 })).path;
    const catalog = (generationId: number) =>
      writeTempJson({ streams: [listStream("audience", "list:Newsletter", "overwrite", { generationId })] });
    const args = ["write", "--config", config, "--catalog", await catalog(7)];

    const killed = await runUntilStates(args, input(0), 4);
    expect(killed.killed).toBe(true);
    const resumeAt = lastCursor(killed.messages) as number;
    expect(resumeAt).toBeGreaterThanOrEqual(4 * PER_STATE);
    expect(resumeAt).toBeLessThan(SOURCE.length);
    // Killed before its end, the run removed nothing: every member of before is still there.
    const afterKill = new Set(memberEmails(sandbox, "Newsletter"));
    expect([...SOURCE.slice(0, 200), ...STALE].filter((email) => !afterKill.has(email))).toEqual([]);

    const resumed = await runCli(args, { stdin: `${input(resumeAt).flat().join("\n")}\n` });
    expect(resumed.exitCode).toBe(0);
    // The resumed run never saw SOURCE[0..resumeAt), yet kept them: the staging list remembered them.
    expect(memberEmails(sandbox, "Newsletter")).toEqual([...SOURCE].sort());
    expect(sandbox.store.lists.byName("Newsletter · sync generation 7")).toBeDefined();

    // A new generation (the next sync) deletes generation 7's staging list and makes the list its own members.
    const next = await runCli(["write", "--config", config, "--catalog", await catalog(8)], {
      stdin: `${[recordLine("audience", { email: SOURCE[0] }), statusLine("audience", "COMPLETE")].join("\n")}\n`,
    });
    expect(next.exitCode).toBe(0);
    expect(memberEmails(sandbox, "Newsletter")).toEqual([SOURCE[0]]);
    expect(sandbox.store.lists.byName("Newsletter · sync generation 7")).toBeUndefined();
    expect(sandbox.store.lists.byName("Newsletter · sync generation 8")).toBeDefined();
  }, 90_000);
});
