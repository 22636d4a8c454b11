import { describe, expect, it } from "vitest";
import { REJECTS_DEADLINE_ENV } from "../../src/run/rejects-deadline.js";
import type { FaultRule, Sandbox } from "../../src/sandbox/server.js";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, OAUTH, traceError, useS3, useSandboxes } from "../support/harness.js";
import { stream } from "../support/messages.js";
import { spawnCli } from "../support/process.js";
import { contacts, expectAccounted, expectStatesInOrder, type Resends, seeded } from "./harness.js";

const s3 = useS3();
const startSandbox = useSandboxes();

const BATCH_SIZE = 25;

/** A seeded mix of every fault HubSpot can throw at a long write. */
function faultMix(random: () => number): FaultRule[] {
  const pick = <T>(choices: T[]) => choices[Math.floor(random() * choices.length)] as T;
  const after = () => Math.floor(random() * 6);
  const kinds: (() => FaultRule)[] = [
    () => ({
      kind: "status",
      status: pick([500, 502, 503, 504]),
      path: "/batch/upsert",
      times: 1 + Math.floor(random() * 3),
      after: after(),
    }),
    () => ({
      kind: "commit-then-status",
      status: pick([502, 504]),
      path: "/batch/upsert",
      times: 1 + Math.floor(random() * 2),
      after: after(),
    }),
    () => ({
      kind: "status",
      status: 429,
      path: "/batch/upsert",
      times: 2 + Math.floor(random() * 3),
      after: after(),
    }),
    () => ({ kind: "reset", path: "/batch/upsert", times: 1 + Math.floor(random() * 2), after: after() }),
    () => ({ kind: "delay", delayMs: 1_500, path: "/batch/upsert", times: 1, after: after() }),
    () => ({ kind: "status", status: 423, path: "/batch/upsert", times: 1, after: after() }),
    () => ({ kind: "expire-token", path: "/batch/upsert", times: 1, after: after() }),
  ];
  // Every kind once, in a seeded order with seeded parameters, so each run meets them all.
  return kinds
    .map((make) => ({ make, order: random() }))
    .sort((a, b) => a.order - b.order)
    .map(({ make }) => make());
}

async function setUp(seed: number, faults: FaultRule[], extra: Record<string, unknown> = {}) {
  const random = seeded(seed);
  const input = contacts(300, 50, random);
  const sandbox = await startSandbox({
    faults,
    rateLimit: { max: 100, intervalMs: 1_000, daily: 1_000_000 },
  });
  const config = await configFor(
    sandbox,
    {
      credentials: { type: "OAuth", ...OAUTH },
      batch_size: BATCH_SIZE,
      linger_ms: 20,
      request_timeout_seconds: 1,
      ...extra,
    },
    { s3, prefix: `faults-${seed}-${Date.now()}` },
  );
  const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
  return {
    sandbox,
    input,
    prefix: config.prefix as string,
    args: ["write", "--config", config.path, "--catalog", catalog],
  };
}

async function run(seed: number, faults: FaultRule[], extra: Record<string, unknown> = {}) {
  const { args, ...set } = await setUp(seed, faults, extra);
  const result = await runCli(args, { stdin: `${set.input.lines.join("\n")}\n`, timeoutMs: 100_000 });
  return { result, ...set };
}

/**
 * The sends a fault may have made a record need again: a write HubSpot committed and answered with a 5xx, or
 * answered later than the client waited (delay past request_timeout_seconds), leaves its batch unconfirmed.
 */
function resendsAfter(faults: FaultRule[], sandbox: Sandbox): Resends {
  const fired = sandbox.faults.fired;
  const unconfirmed = faults
    .map((rule, index) =>
      rule.kind === "commit-then-status" || rule.kind === "delay" ? (fired[index] ?? 0) : 0,
    )
    .reduce((sum, times) => sum + times, 0);
  return { allowed: () => unconfirmed, total: unconfirmed * BATCH_SIZE };
}

describe("reliability: faults", () => {
  it.each([11, 23, 37])("loses and duplicates nothing under the seeded fault mix %i", async (seed) => {
    const faults = faultMix(seeded(seed * 7919));
    const { result, input, prefix, sandbox } = await run(seed, faults);
    expect(result.exitCode, `faults ${JSON.stringify(faults)}\n${result.stderr}`).toBe(0);
    // Every injected fault did fire during the run.
    expect(sandbox.faults.fired.every((count) => count > 0)).toBe(true);
    await expectAccounted(sandbox, s3, prefix, input, { resends: resendsAfter(faults, sandbox) });
    expectStatesInOrder(result, 50);
    expect(result.messages.filter((message) => message.type === "STATE")).toHaveLength(6);
  });

  it("isolates a whole-batch 409 down to the one record it keeps coming back for", async () => {
    const random = seeded(5);
    const probe = contacts(300, 50, random);
    const victim = probe.good[17] as string;
    // Every batch that carries the victim is refused whole, however often it is sent: a plain retry of the
    // batch would fail it for good, losing the 24 records beside it.
    const { result, input, prefix, sandbox } = await run(5, [
      { kind: "status", status: 409, path: "/batch/upsert", bodyContains: `"${victim}"`, times: 1_000 },
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    // Refused whole at least twice: the batch, then each part of it that still held the victim.
    expect(sandbox.faults.fired[0]).toBeGreaterThanOrEqual(2);
    const rows = (await s3.jsonLines(prefix)) as {
      _airbyte_data: { email?: string };
      _rejection: { http_status: number };
    }[];
    expect(
      rows.filter((row) => row._airbyte_data.email === victim).map((row) => row._rejection.http_status),
    ).toEqual([409]);
    const withoutVictim = {
      ...input,
      good: input.good.filter((email) => email !== victim),
      bad: [...input.bad, victim],
    };
    // A refused batch never reached HubSpot's records: the victim's neighbours were received once, in the part
    // of the batch that went through, and the victim never.
    await expectAccounted(sandbox, s3, prefix, withoutVictim);
    expectStatesInOrder(result, 50);
  });

  it("waits at least HubSpot's two seconds before retrying a 423 Locked, then writes the record", async () => {
    const arrivals: { at: number; line: string }[] = [];
    const sandbox = await startSandbox({
      faults: [{ kind: "status", status: 423, path: "/batch/upsert", times: 1 }],
      logger: (line) => arrivals.push({ at: Date.now(), line }),
    });
    const config = await configFor(sandbox, { max_concurrent_requests: 1 });
    const result = await runCli(["write", "--config", config.path, "--object", "CONTACT"], {
      stdin: '{"email":"a@x.co"}\n',
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const upserts = arrivals.filter(({ line }) => line.includes("/batch/upsert"));
    expect(upserts.map(({ line }) => line.split(" ")[2])).toEqual(["423", "200"]);
    // The log line is written when the answer goes out; the retry arrives no sooner than 2 s after the 423.
    expect((upserts[1]?.at ?? 0) - (upserts[0]?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
    expect(sandbox.ledger.get("contacts", "email=a@x.co")).toMatchObject({ received: 1, creates: 1 });
  });

  it("waits for a rejected-records store that is down for a while, echoing no STATE past a reject meanwhile", async () => {
    await s3.stop();
    let restarted = false;
    try {
      const { args, input, prefix, sandbox } = await setUp(7, []);
      const cli = spawnCli(args, { deadlineMs: 100_000 });
      void cli.feed(input.lines);
      // Past the first window (which holds a bad record) HubSpot has its records; its STATE needs the store.
      await cli.waitFor(() => (sandbox.stats.byRoute.get("upsert") ?? 0) >= 3, "three batches sent");
      await new Promise((resolve) => setTimeout(resolve, 500));
      const firstBad = input.lines.findIndex((line) => !line.includes("@x.co") && line.includes("RECORD"));
      expect(firstBad).toBeLessThan(input.resumeAt[0] as number);
      expect(cli.messages().filter((message) => message.type === "STATE")).toEqual([]);
      await s3.start();
      restarted = true;
      const exit = await cli.exited;
      expect(exit.code, cli.stderr()).toBe(0);
      await expectAccounted(sandbox, s3, prefix, input);
      expectStatesInOrder({ messages: cli.messages() }, 50);
    } finally {
      if (!restarted) await s3.start();
    }
  });

  it("fails with a transient error and echoes no state past unsaved rejects when the store stays down", async () => {
    await s3.stop();
    try {
      // The store's deadline, shortened from the documented minute: the run must fail once it has passed.
      const { args, input } = await setUp(3, []);
      const result = await runCli(args, {
        stdin: `${input.lines.join("\n")}\n`,
        env: { [REJECTS_DEADLINE_ENV]: "2" },
      });
      expect(result.exitCode).toBe(1);
      const error = traceError(result);
      expect(error?.failure_type).toBe("transient_error");
      expect(error?.message).toMatch(/Could not store rejected records/);
      // The first bad record sits in the first window that holds one: no state at or past it comes back.
      const firstBad = input.lines.findIndex((line) => !line.includes("@x.co") && line.includes("RECORD"));
      const windowsBefore = input.resumeAt.filter((index) => index <= firstBad).length;
      expect(result.messages.filter((message) => message.type === "STATE").length).toBeLessThanOrEqual(
        windowsBefore,
      );
    } finally {
      await s3.start();
    }
  });
});
