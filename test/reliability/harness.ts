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

/**
 * The accounting identity: every good record is in HubSpot and was *created* exactly once by what HubSpot
 * received (the sandbox's ledger, not its unique index, which would make this true by construction), every bad one
 * is in the rejected store exactly once (after crash replays: once per `_airbyte_raw_id`) and never written.
 */
export async function expectAccounted(
  sandbox: Sandbox,
  s3: TestS3,
  prefix: string,
  input: Input,
  options: { rejectsAtLeastOnce?: boolean } = {},
): Promise<void> {
  const stored = sandbox.store.listRecords("contacts").map((record) => record.properties.email);
  expect(new Set(stored)).toEqual(new Set(input.good));
  const createdTwice = input.good.filter(
    (email) => (sandbox.ledger.get("contacts", `email=${email}`)?.creates ?? 0) !== 1,
  );
  expect(createdTwice).toEqual([]);
  expect(sandbox.ledger.totals("contacts").creates).toBe(input.good.length);
  const badWritten = input.bad.filter((key) => {
    const entry = sandbox.ledger.get("contacts", `email=${key}`);
    return (entry?.creates ?? 0) + (entry?.updates ?? 0) > 0;
  });
  expect(badWritten).toEqual([]);
  let rows = (await s3.jsonLines(prefix)) as Rejected[];
  if (options.rejectsAtLeastOnce) {
    // A replay may store a rejected record again, under the same content-derived _airbyte_raw_id.
    rows = [...new Map(rows.map((row) => [row._airbyte_raw_id, row])).values()];
  }
  expect(rows.map(rejectedKey).sort()).toEqual([...input.bad].sort());
}

/** STATE messages came back in input order, each window fully accounted. */
export function expectStatesInOrder(result: CliResult, perState: number, from = 1): void {
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
