import { afterEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { call, upsert } from "./helpers.js";

let sandbox: Sandbox;

afterEach(async () => {
  await sandbox.close();
});

const read = () => call(sandbox, "GET", "/crm/v3/properties/contacts");

describe("sandbox rate limits", () => {
  it("counts down X-HubSpot-RateLimit-Remaining and answers 429 TEN_SECONDLY_ROLLING past the max", async () => {
    sandbox = await startSandbox({ rateLimit: { max: 3, intervalMs: 10_000, daily: 100 } });
    const remaining = [];
    for (let i = 0; i < 3; i += 1)
      remaining.push((await read()).headers.get("x-hubspot-ratelimit-remaining"));
    expect(remaining).toEqual(["2", "1", "0"]);
    const refused = await read();
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ policyName: "TEN_SECONDLY_ROLLING", errorType: "RATE_LIMIT" });
    expect(refused.headers.get("x-hubspot-ratelimit-max")).toBe("3");
    expect(refused.headers.get("x-hubspot-ratelimit-interval-milliseconds")).toBe("10000");
    expect(sandbox.stats.rateLimited).toBe(1);
  });

  it("frees the window once its interval has passed", async () => {
    sandbox = await startSandbox({ rateLimit: { max: 1, intervalMs: 200, daily: 100 } });
    expect((await read()).status).toBe(200);
    expect((await read()).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await read()).status).toBe(200);
  });

  it("answers 429 DAILY once the day's requests are used, with the daily headers", async () => {
    sandbox = await startSandbox({ rateLimit: { max: 100, intervalMs: 10_000, daily: 2 } });
    expect((await read()).headers.get("x-hubspot-ratelimit-daily-remaining")).toBe("1");
    await read();
    const refused = await read();
    expect(refused.status).toBe(429);
    expect(refused.body.policyName).toBe("DAILY");
  });
});

describe("sandbox faults", () => {
  it("answers an injected status the given number of times, then serves normally", async () => {
    sandbox = await startSandbox({
      faults: [{ kind: "status", status: 503, path: "/properties", times: 2 }],
    });
    expect([(await read()).status, (await read()).status, (await read()).status]).toEqual([503, 503, 200]);
  });

  it("sends Retry-After with an injected 477", async () => {
    sandbox = await startSandbox({ faults: [{ kind: "status", status: 477, retryAfterSeconds: 1 }] });
    const answer = await read();
    expect(answer.status).toBe(477);
    expect(answer.headers.get("retry-after")).toBe("1");
  });

  it("commits a write and still answers 502", async () => {
    sandbox = await startSandbox({
      faults: [{ kind: "commit-then-status", status: 502, path: "/batch/upsert" }],
    });
    const answer = await upsert(sandbox, "cars", [
      { id: "V1", idProperty: "car_id", properties: {}, objectWriteTraceId: "t" },
    ]);
    expect(answer.status).toBe(502);
    expect(sandbox.store.findRecord("cars", "car_id", "V1")).toBeDefined();
  });

  it("resets the connection without answering", async () => {
    sandbox = await startSandbox();
    sandbox.faults.add({ kind: "reset", path: "/properties" });
    await expect(read()).rejects.toThrow();
    expect((await read()).status).toBe(200);
    expect(sandbox.faults.fired).toEqual([1]);
  });

  it("lets the first requests through when told to fire only after some", async () => {
    sandbox = await startSandbox();
    sandbox.faults.add({ kind: "status", status: 500, after: 1, times: 1 });
    expect([(await read()).status, (await read()).status, (await read()).status]).toEqual([200, 500, 200]);
  });

  it("refuses sandbox options that do not fit, naming the field", async () => {
    const { loadSandboxOptions } = await import("../../src/sandbox/server.js");
    sandbox = await startSandbox();
    expect(() => loadSandboxOptions({ tier: "platinum" })).toThrow(/tier/);
    expect(loadSandboxOptions({ latencyMs: 5 }).latencyMs).toBe(5);
  });
});
