import { afterEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox, unknownOptionWarnings } from "../../src/sandbox/server.js";
import { call, paths } from "./helpers.js";

let sandbox: Sandbox;

afterEach(async () => {
  await sandbox.close();
});

const TOKENS = [
  { token: "pat-a", scopes: ["crm.objects.contacts.read"], appId: 11 },
  { token: "pat-b", scopes: ["crm.objects.contacts.read"], appId: 22 },
];
const read = (token: string, version: "legacy" | "2026-09" = "legacy") =>
  call(sandbox, "GET", paths.properties(version, "contacts"), undefined, token);

describe("sandbox rate-limit buckets", () => {
  it("shares one rolling window between two clients using the same token, on dated and legacy paths alike", async () => {
    sandbox = await startSandbox({
      privateAppTokens: TOKENS,
      rateLimit: { max: 3, intervalMs: 10_000, daily: 100 },
    });
    const remaining = [];
    for (const version of ["legacy", "2026-09", "legacy"] as const) {
      remaining.push((await read("pat-a", version)).headers.get("x-hubspot-ratelimit-remaining"));
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const refused = await read("pat-a", "2026-09");
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      status: "error",
      errorType: "RATE_LIMIT",
      policyName: "TEN_SECONDLY_ROLLING",
      message: "You have reached your ten_secondly_rolling limit.",
      groupName: "publicapi:private-app-api-calls-ten-secondly:11",
    });
    expect(JSON.stringify(refused.body)).not.toContain("pat-a");
  });

  it("reports Remaining as the bucket stands when the answer leaves, counting requests admitted meanwhile", async () => {
    sandbox = await startSandbox({
      privateAppTokens: TOKENS,
      latencyMs: 150,
      rateLimit: { max: 5, intervalMs: 10_000, daily: 100 },
    });
    const answers = await Promise.all([read("pat-a"), read("pat-a"), read("pat-a")]);
    expect(answers.map((answer) => answer.headers.get("x-hubspot-ratelimit-remaining"))).toEqual([
      "2",
      "2",
      "2",
    ]);
  });

  it("gives each token its own window but one daily count for the portal", async () => {
    sandbox = await startSandbox({
      privateAppTokens: TOKENS,
      rateLimit: { max: 2, intervalMs: 10_000, daily: 3 },
    });
    await read("pat-a");
    expect((await read("pat-a")).headers.get("x-hubspot-ratelimit-remaining")).toBe("0");
    const other = await read("pat-b");
    expect(other.status).toBe(200);
    expect(other.headers.get("x-hubspot-ratelimit-remaining")).toBe("1");
    expect(other.headers.get("x-hubspot-ratelimit-daily-remaining")).toBe("0");
    const overDay = await read("pat-b");
    expect(overDay.status).toBe(429);
    expect(overDay.body.policyName).toBe("DAILY");
  });

  it("adds Retry-After in whole seconds to its 429s only when told to", async () => {
    sandbox = await startSandbox({
      privateAppTokens: TOKENS,
      rateLimit: { max: 1, intervalMs: 3_000, daily: 100 },
    });
    await read("pat-a");
    expect((await read("pat-a")).headers.get("retry-after")).toBeNull();
    await sandbox.close();
    sandbox = await startSandbox({
      privateAppTokens: TOKENS,
      rateLimit: { max: 1, intervalMs: 3_000, daily: 100, retryAfter: true },
    });
    await read("pat-a");
    const refused = await read("pat-a");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(3);
  });
});

describe("sandbox option warnings", () => {
  it("names an unknown key and the known one it is closest to", () => {
    expect(unknownOptionWarnings({ latencyMS: 5, tier: "enterprise" })).toEqual([
      'Unknown sandbox option "latencyMS" is ignored; did you mean "latencyMs"?',
    ]);
  });

  it("looks into nested options and lists, and offers no guess for a key unlike any", () => {
    expect(
      unknownOptionWarnings({
        rateLimit: { maxx: 1 },
        privateAppTokens: [{ token: "t", scopes: [], scope: [] }],
        banana: true,
      }),
    ).toEqual([
      'Unknown sandbox option "rateLimit.maxx" is ignored; did you mean "rateLimit.max"?',
      'Unknown sandbox option "privateAppTokens[0].scope" is ignored; did you mean "privateAppTokens[0].scopes"?',
      'Unknown sandbox option "banana" is ignored.',
    ]);
  });

  it("logs the warnings when the sandbox starts and still starts", async () => {
    const lines: string[] = [];
    const { loadSandboxOptions } = await import("../../src/sandbox/server.js");
    sandbox = await startSandbox({
      ...loadSandboxOptions({ latencyMS: 5 }),
      logger: (line) => lines.push(line),
    });
    expect(lines[0]).toBe('Unknown sandbox option "latencyMS" is ignored; did you mean "latencyMs"?');
    expect(sandbox.warnings).toEqual([lines[0]]);
    expect((await call(sandbox, "GET", paths.account("legacy"))).status).toBe(200);
  });
});
