import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FaultRule, Sandbox } from "../../src/sandbox/server.js";
import { startSandbox } from "../../src/sandbox/server.js";
import { runCli, writeTempJson } from "../support/cli.js";
import { stream } from "../support/messages.js";
import { s3StorageConfig, startS3, type TestS3 } from "../support/s3.js";
import { contacts, expectAccounted, expectStatesInOrder, seeded } from "./harness.js";

let s3: TestS3;
let sandbox: Sandbox | undefined;

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3.close();
});
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const OAUTH = {
  client_id: "sandbox-client-id",
  client_secret: "sandbox-client-secret",
  refresh_token: "sandbox-refresh-token",
};

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

async function run(seed: number, faults: FaultRule[], extra: Record<string, unknown> = {}) {
  const random = seeded(seed);
  const input = contacts(300, 50, random);
  sandbox = await startSandbox({ faults, rateLimit: { max: 100, intervalMs: 1_000, daily: 1_000_000 } });
  const prefix = `faults-${seed}-${Date.now()}`;
  const config = await writeTempJson({
    credentials: { type: "OAuth", ...OAUTH },
    api_base_url: sandbox.url,
    batch_size: 25,
    linger_ms: 20,
    request_timeout_seconds: 1,
    object_storage_config: s3StorageConfig(s3, { bucket_path: prefix }),
    ...extra,
  });
  const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
  const result = await runCli(["write", "--config", config, "--catalog", catalog], {
    stdin: `${input.lines.join("\n")}\n`,
    timeoutMs: 100_000,
  });
  return { result, input, prefix };
}

describe("reliability: faults", () => {
  it.each([11, 23, 37])("loses and duplicates nothing under the seeded fault mix %i", async (seed) => {
    const faults = faultMix(seeded(seed * 7919));
    const { result, input, prefix } = await run(seed, faults);
    expect(result.exitCode, `faults ${JSON.stringify(faults)}\n${result.stderr}`).toBe(0);
    await expectAccounted(sandbox as Sandbox, s3, prefix, input);
    expectStatesInOrder(result, 50);
    expect(result.messages.filter((message) => message.type === "STATE")).toHaveLength(6);
    // Every injected fault did fire during the run.
    expect(sandbox?.faults.fired.every((count) => count > 0)).toBe(true);
  });

  it("isolates a whole-batch 409 down to the one record it keeps coming back for", async () => {
    const random = seeded(5);
    const probe = contacts(300, 50, random);
    const victim = probe.good[17] as string;
    // Every batch that carries the victim is refused whole, however often it is sent: a plain retry of the
    // batch would fail it for good, losing the 24 records beside it.
    const { result, input, prefix } = await run(5, [
      { kind: "status", status: 409, path: "/batch/upsert", bodyContains: `"${victim}"`, times: 1_000 },
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
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
    await expectAccounted(sandbox as Sandbox, s3, prefix, withoutVictim);
    expectStatesInOrder(result, 50);
  });

  it("waits at least HubSpot's two seconds before retrying a 423 Locked", async () => {
    const arrivals: { at: number; line: string }[] = [];
    sandbox = await startSandbox({
      faults: [{ kind: "status", status: 423, path: "/batch/upsert", times: 1 }],
      logger: (line) => arrivals.push({ at: Date.now(), line }),
    });
    const config = await writeTempJson({
      credentials: { type: "Private App", access_token: "sandbox-private-app-token" },
      api_base_url: sandbox.url,
      max_concurrent_requests: 1,
    });
    const result = await runCli(["write", "--config", config, "--object", "CONTACT"], {
      stdin: '{"email":"a@x.co"}\n',
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const upserts = arrivals.filter(({ line }) => line.includes("/batch/upsert"));
    expect(upserts.map(({ line }) => line.split(" ")[2])).toEqual(["423", "200"]);
    // The log line is written when the answer goes out; the retry arrives no sooner than 2 s after the 423.
    expect((upserts[1]?.at ?? 0) - (upserts[0]?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
    expect(sandbox.store.findRecord("contacts", "email", "a@x.co")).toBeDefined();
  });

  it("waits for a rejected-records store that is down for a while", async () => {
    await s3.stop();
    const restart = setTimeout(() => void s3.start(), 2_500);
    try {
      const { result, input, prefix } = await run(7, []);
      expect(result.exitCode, result.stderr).toBe(0);
      await expectAccounted(sandbox as Sandbox, s3, prefix, input);
      expectStatesInOrder(result, 50);
    } finally {
      clearTimeout(restart);
    }
  });

  it("fails with a transient error and echoes no state past unsaved rejects when the store stays down", async () => {
    await s3.stop();
    try {
      const { result, input } = await run(3, []);
      expect(result.exitCode).toBe(1);
      const error = result.messages.find((message) => message.trace?.type === "ERROR")?.trace?.error;
      expect(error?.failure_type).toBe("transient_error");
      // The first bad record sits in the first window that holds one: no state at or past it comes back.
      const firstBad = input.lines.findIndex((line) => !line.includes("@x.co") && line.includes("RECORD"));
      const windowsBefore = input.resumeAt.filter((index) => index <= firstBad).length;
      expect(result.messages.filter((message) => message.type === "STATE").length).toBeLessThanOrEqual(
        windowsBefore,
      );
    } finally {
      await s3.start();
    }
  }, 180_000);
});
