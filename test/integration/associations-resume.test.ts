/**
 * Associations under pressure: records waiting for targets fill the run's bound on unsettled records (reading
 * must not stall for ever), and kills with SIGKILL between a record's write, its links and its STATE (a replay
 * from the last STATE must lose no link and leave no extra one).
 */
import { describe, expect, it } from "vitest";
import { writeTempJson } from "../support/cli.js";
import { killAfter, runUntilKilled, sandboxSettled } from "../support/kill.js";
import { lastCursor, stateLine } from "../support/messages.js";
import { seeded } from "../reliability/harness.js";
import {
  ALL,
  company,
  configFile,
  DEAL_LINKS,
  deal,
  deals,
  companies,
  idOf,
  linksByKey,
  pause,
  person,
  withSandbox,
  write,
} from "./associations-harness.js";

/** The ledger key of an input line's record: its object type and unique key. */
function recordOf(line: string): [string, string] | undefined {
  const data = (JSON.parse(line) as { record?: { data?: Record<string, string> } }).record?.data;
  if (data?.deal_external_id) return ["deals", `deal_external_id=${data.deal_external_id}`];
  if (data?.company_external_id) return ["companies", `company_external_id=${data.company_external_id}`];
  if (data?.email) return ["contacts", `email=${data.email}`];
  return undefined;
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
      const result = await write(sandbox, {
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
      const config = await configFile(sandbox, {
        associations: DEAL_LINKS,
        batch_size: 10,
        linger_ms: 20,
        max_concurrent_requests: 2,
      });
      const catalog = await writeTempJson({ streams: ALL });
      let from = 0;
      let kills = 0;
      // A record (and a deal's links) HubSpot received past the STATE a kill resumes from is sent again by the
      // replay: each such kill allows it one more receipt.
      const resends = new Map<string, number>();
      const received = ([objectType, key]: [string, string]) =>
        sandbox.ledger.get(objectType, key)?.received ?? 0;
      for (let attempt = 0; attempt < 30; attempt += 1) {
        const killWhen = attempt < 6 ? killAfter(400 + Math.floor(random() * 1_200)) : () => false;
        const run = await runUntilKilled(["write", "--config", config.path, "--catalog", catalog], {
          stdin: input.lines.slice(from),
          killWhen,
          deadlineMs: 120_000,
        });
        const cursor = lastCursor(run.messages) as number | undefined;
        if (cursor !== undefined) from = input.resumeAt[cursor - 1] as number;
        if (!run.killed) {
          expect(run.exit.code).toBe(0);
          break;
        }
        kills += 1;
        await sandboxSettled(sandbox);
        for (const line of input.lines.slice(from)) {
          const record = recordOf(line);
          if (record && received(record) > 0)
            resends.set(record.join(" "), (resends.get(record.join(" ")) ?? 0) + 1);
        }
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
      // Counted in what HubSpot received, not in what its index and link store make true: every record was sent,
      // and again only as often as a replay had to; every link likewise.
      const miscounted: string[] = [];
      const allowed = (record: [string, string]) => 1 + (resends.get(record.join(" ")) ?? 0);
      for (const line of input.lines) {
        const record = recordOf(line);
        if (record && (received(record) < 1 || received(record) > allowed(record)))
          miscounted.push(`${record.join(" ")} received ${received(record)}, at most ${allowed(record)}`);
      }
      for (const [key, links] of input.wanted) {
        const dealId = idOf(sandbox, "deals", key);
        const most = allowed(["deals", `deal_external_id=${key}`]);
        const targets: Array<[string, string]> = [
          ["companies", idOf(sandbox, "companies", links.company)],
          ...links.contacts.map((email): [string, string] => ["contacts", idOf(sandbox, "contacts", email)]),
        ];
        for (const [type, id] of targets) {
          const writes = sandbox.store.associations.writesFor("deals", dealId, type, id);
          if (writes < 1 || writes > most)
            miscounted.push(`${key} → ${type} ${id} written ${writes}, at most ${most}`);
        }
      }
      expect(miscounted).toEqual([]);
      expect(sandbox.store.listRecords("deals")).toHaveLength(150);
    });
  }, 180_000);
});
