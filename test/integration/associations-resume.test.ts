/**
 * Associations under pressure: records waiting for targets fill the run's bound on unsettled records (reading
 * must not stall for ever), and kills with SIGKILL between a record's write, its links and its STATE (a replay
 * from the last STATE must lose no link and leave no extra one).
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAIN, parseMessages, writeTempJson } from "../support/cli.js";
import { stateLine } from "../support/messages.js";
import { startS3, type TestS3 } from "../support/s3.js";
import { seeded } from "../reliability/harness.js";
import {
  ALL,
  company,
  configFile,
  DEAL_LINKS,
  deal,
  deals,
  companies,
  linksByKey,
  pause,
  person,
  withSandbox,
  write,
} from "./associations-harness.js";

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
});

/** Runs write on `lines`, killing it with SIGKILL after `killAfterMs` if it is still running. */
function runUntilKilled(args: string[], lines: string[], killAfterMs: number) {
  return new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ["pipe", "pipe", "ignore"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(`${lines.join("\n")}\n`);
    const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout });
    });
  });
}

/**
 * `chunks` chunks of ten deals, each deal before its company and two of four contacts (so it waits for them),
 * and a STATE after each chunk. Answers the lines, where to resume after each STATE, and each deal's targets.
 */
function chunkedInput(chunks: number) {
  const lines: string[] = [];
  const resumeAt: number[] = [];
  const wanted = new Map<string, { company: string; contacts: string[] }>();
  for (let c = 0; c < chunks; c += 1) {
    for (let d = 0; d < 10; d += 1) {
      const links = { company: `co-${c}`, contacts: [`p${c}-${d % 4}@x.co`, `p${c}-${(d + 1) % 4}@x.co`] };
      wanted.set(`deal-${c}-${d}`, links);
      lines.push(deal(`deal-${c}-${d}`, links));
    }
    lines.push(company(`co-${c}`));
    for (let p = 0; p < 4; p += 1) lines.push(person(`p${c}-${p}@x.co`));
    lines.push(stateLine("deals", c + 1));
    resumeAt.push(lines.length);
  }
  return { lines, resumeAt, wanted };
}

describe("write: associations under pressure", () => {
  it("lets records whose targets never come go when they alone hold reading up, instead of stalling", async () => {
    await withSandbox({}, async (sandbox) => {
      const lines: Array<string | { pause: number }> = Array.from({ length: 30 }, (_, i) =>
        deal(`d${i}`, { company: `never-${i}` }),
      );
      // Once those are settled, a deal whose target follows it still has room to wait for it.
      lines.push(pause(1_500), deal("last", { company: "late-co" }), company("late-co"));
      // One record per request, one request at a time: about five records may be unsettled at once.
      const result = await write(sandbox, s3, {
        streams: [companies, deals],
        associations: [DEAL_LINKS[0]],
        lines,
        extra: { batch_size: 1, max_concurrent_requests: 1, linger_ms: 20 },
      });
      expect(result.exitCode).toBe(0);
      expect(result.rejects).toHaveLength(30);
      expect(new Set(result.rejects.map((row) => row._rejection.code))).toEqual(
        new Set(["ASSOCIATION_TARGET_NOT_FOUND"]),
      );
      expect(linksByKey(sandbox, "deals", "last", "companies")).toEqual({ "late-co": "(unlabeled)" });
      expect(sandbox.store.listRecords("deals")).toHaveLength(31);
    });
  }, 60_000);

  it("after kill -9 at random points, replaying from the last echoed STATE leaves every link made once and none extra", async () => {
    await withSandbox({ latencyMs: 40, latencyJitterMs: 20 }, async (sandbox) => {
      const random = seeded(1212);
      const input = chunkedInput(15);
      const config = await configFile(sandbox, s3, {
        associations: DEAL_LINKS,
        batch_size: 10,
        linger_ms: 20,
        max_concurrent_requests: 2,
      });
      const catalog = await writeTempJson({ streams: ALL });
      let from = 0;
      let kills = 0;
      for (let attempt = 0; attempt < 30; attempt += 1) {
        const killAfter = attempt < 6 ? 400 + Math.floor(random() * 1_200) : 120_000;
        const { code, stdout } = await runUntilKilled(
          ["write", "--config", config.path, "--catalog", catalog],
          input.lines.slice(from),
          killAfter,
        );
        const states = parseMessages(stdout).filter((message) => message.type === "STATE");
        const cursor = (states.at(-1)?.state?.stream as { stream_state: { cursor: number } } | undefined)
          ?.stream_state.cursor;
        if (cursor !== undefined) from = input.resumeAt[cursor - 1] as number;
        if (code === 0) break;
        kills += 1;
      }
      expect(kills).toBeGreaterThan(0);
      const wrong: string[] = [];
      for (const [key, links] of input.wanted) {
        const companiesNow = Object.keys(linksByKey(sandbox, "deals", key, "companies"));
        const contactsNow = Object.keys(linksByKey(sandbox, "deals", key, "contacts")).sort();
        if (JSON.stringify(companiesNow) !== JSON.stringify([links.company]))
          wrong.push(`${key} → ${companiesNow}`);
        if (JSON.stringify(contactsNow) !== JSON.stringify([...links.contacts].sort()))
          wrong.push(`${key} → ${contactsNow}`);
      }
      expect(wrong).toEqual([]);
      // Every record was created once, whatever was replayed.
      for (const object of ["deals", "companies", "contacts"])
        expect(sandbox.ledger.totals(object)).toMatchObject({
          creates: sandbox.ledger.totals(object).records,
        });
      expect(sandbox.store.listRecords("deals")).toHaveLength(150);
    });
  }, 180_000);
});
