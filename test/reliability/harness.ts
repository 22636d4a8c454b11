/** Shared parts of the reliability suite: seeded randomness, inputs with known good and bad records, and the check. */
import { expect } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { type CliResult } from "../support/cli.js";
import { recordLine, stateLine } from "../support/messages.js";
import type { TestS3 } from "../support/s3.js";

export { seeded } from "../support/random.js";

export interface Input {
  lines: string[];
  good: string[];
  bad: string[];
  /** Index in `lines` just after each STATE line, to resume from. */
  resumeAt: number[];
}

/** `count` contacts with a STATE every `perState`; about `badShare` of them lack their matching key or have a bad email. */
export function contacts(count: number, perState: number, random: () => number, badShare = 0.05): Input {
  const input: Input = { lines: [], good: [], bad: [], resumeAt: [] };
  for (let i = 0; i < count; i += 1) {
    const roll = random();
    if (roll < badShare / 2) {
      input.bad.push(`bad-email-${i}`);
      input.lines.push(recordLine("people", { email: `bad-email-${i}`, firstname: `B${i}` }));
    } else if (roll < badShare) {
      input.bad.push(`no-key-${i}`);
      input.lines.push(recordLine("people", { firstname: `no-key-${i}` }));
    } else {
      input.good.push(`p${i}@x.co`);
      input.lines.push(recordLine("people", { email: `p${i}@x.co`, firstname: `P${i}` }));
    }
    if ((i + 1) % perState === 0) {
      input.lines.push(stateLine("people", i + 1));
      input.resumeAt.push(input.lines.length);
    }
  }
  return input;
}

type Rejected = {
  _airbyte_raw_id: string;
  _airbyte_data: { email?: string; firstname?: string };
  _rejection: { code: string };
};

export const rejectedKey = (row: Rejected) =>
  row._airbyte_data.email ?? row._airbyte_data.firstname ?? JSON.stringify(row._airbyte_data);

/** How often HubSpot received a contact (by email) in upsert inputs: every send counts, retries and replays too. */
export const receipts = (sandbox: Sandbox, email: string) =>
  sandbox.ledger.get("contacts", `email=${email}`)?.received ?? 0;

export interface Resends {
  /** How many times each record may have been sent again beyond its first send (a missing email: none). */
  allowed: (email: string) => number;
  /** At most this many sends beyond the first, all records together. @default Infinity */
  total?: number;
}

/**
 * The accounting identity, counted in what HubSpot received (the sandbox's ledger) rather than in what its unique
 * index makes true (a contact cannot be created twice there, whatever a client sends):
 * - every good record is in HubSpot and was sent, once, or again only where a fault or a kill left its first send
 *   unconfirmed (`resends`: a commit answered with a 5xx, an answer later than the client's timeout, a replay);
 * - every bad one was never sent, and is in the rejected store exactly once (after crash replays: once per
 *   `_airbyte_raw_id`).
 */
export async function expectAccounted(
  sandbox: Sandbox,
  s3: TestS3,
  prefix: string,
  input: Input,
  options: { resends?: Resends; rejectsAtLeastOnce?: boolean } = {},
): Promise<void> {
  const stored = sandbox.store.listRecords("contacts").map((record) => record.properties.email);
  expect(new Set(stored)).toEqual(new Set(input.good));
  const allowed = options.resends?.allowed ?? (() => 0);
  const wrongCounts = input.good
    .map((email) => ({ email, received: receipts(sandbox, email), allowed: 1 + allowed(email) }))
    .filter(({ received, allowed: most }) => received < 1 || received > most);
  expect(wrongCounts).toEqual([]);
  const resent = input.good.reduce((sum, email) => sum + receipts(sandbox, email) - 1, 0);
  expect(resent).toBeLessThanOrEqual(options.resends?.total ?? Number.POSITIVE_INFINITY);
  expect(input.bad.filter((key) => receipts(sandbox, key) > 0)).toEqual([]);
  let rows = (await s3.jsonLines(prefix)) as Rejected[];
  if (options.rejectsAtLeastOnce) {
    // A replay may store a rejected record again, under the same content-derived _airbyte_raw_id.
    rows = [...new Map(rows.map((row) => [row._airbyte_raw_id, row])).values()];
  }
  expect(rows.map(rejectedKey).sort()).toEqual([...input.bad].sort());
}

/** STATE messages came back in input order, each window fully accounted. */
export function expectStatesInOrder(result: Pick<CliResult, "messages">, perState: number, from = 1): void {
  const states = result.messages
    .filter((message) => message.type === "STATE")
    .map((message) => message.state ?? {});
  states.forEach((state, index) => {
    const cursor = (state.stream as { stream_state: { cursor: number } }).stream_state.cursor;
    expect(cursor).toBe((from + index) * perState);
    const stats = state.destinationStats as { recordCount?: number; rejectedRecordCount?: number };
    expect((stats.recordCount ?? 0) + (stats.rejectedRecordCount ?? 0)).toBe(perState);
  });
}
