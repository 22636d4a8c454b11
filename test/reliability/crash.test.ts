import { describe, expect, it } from "vitest";
import { writeTempJson } from "../support/cli.js";
import { configFor, useS3, useSandbox } from "../support/harness.js";
import { killAfter, runUntilKilled, sandboxSettled } from "../support/kill.js";
import { lastCursor, stream } from "../support/messages.js";
import { contacts, expectAccounted, receipts, seeded } from "./harness.js";

const s3 = useS3();
const sandbox = useSandbox({ latencyMs: 40, latencyJitterMs: 20 }, { per: "file" });

/** HubSpot has received a write since `before` (the ledger's totals then). */
const wroteSince = (before: { creates: number; updates: number }) => () => {
  const now = sandbox.ledger.totals("contacts");
  return now.creates + now.updates > before.creates + before.updates;
};

describe("reliability: crashes", () => {
  it("after kill -9 at random points, replaying from the last echoed STATE ends with every record accounted for", async () => {
    const random = seeded(4242);
    const input = contacts(1_500, 100, random);
    const prefix = `crash-${Date.now()}`;
    const config = await configFor(
      sandbox,
      { batch_size: 20, linger_ms: 20, max_concurrent_requests: 2 },
      { s3, prefix },
    );
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const args = ["write", "--config", config.path, "--catalog", catalog];

    let from = 0; // index in input.lines to resume from
    let kills = 0;
    // Kills that landed after HubSpot had received records whose STATE had not been echoed yet: the replay then
    // sends them again, which is the case exactly-once has to survive. Each such record may be received once more.
    let killsBetweenWriteAndState = 0;
    const resends = new Map<string, number>();
    const emailOf = (line: string) => /"email":"([^"]+)"/.exec(line)?.[1];
    for (let attempt = 0; attempt < 30; attempt += 1) {
      // Killed a random while after HubSpot received the run's first write (so a slow start on a loaded machine
      // cannot make every kill land before any write), if it is still running.
      const killWhen =
        attempt < 6
          ? killAfter(Math.floor(random() * 800), wroteSince(sandbox.ledger.totals("contacts")))
          : () => false;
      const run = await runUntilKilled(args, {
        stdin: input.lines.slice(from),
        killWhen,
        deadlineMs: 120_000,
      });
      const cursor = lastCursor(run.messages) as number | undefined;
      if (cursor !== undefined) from = input.resumeAt[cursor / 100 - 1] as number;
      if (!run.killed) {
        expect(run.exit.code).toBe(0);
        break;
      }
      kills += 1;
      await sandboxSettled(sandbox);
      const receivedPastState = input.lines
        .slice(from)
        .map(emailOf)
        .filter((email): email is string => email !== undefined && receipts(sandbox, email) > 0);
      for (const email of receivedPastState) resends.set(email, (resends.get(email) ?? 0) + 1);
      if (receivedPastState.length > 0) killsBetweenWriteAndState += 1;
    }
    expect(kills).toBeGreaterThan(0);
    expect(killsBetweenWriteAndState).toBeGreaterThan(0);
    // A record rejected just before a kill is stored again by the replay: rejects are at-least-once.
    await expectAccounted(sandbox, s3, prefix, input, {
      resends: { allowed: (email) => resends.get(email) ?? 0 },
      rejectsAtLeastOnce: true,
    });
  }, 180_000);
});
