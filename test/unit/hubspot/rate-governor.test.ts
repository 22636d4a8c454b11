import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RateGovernor } from "../../../src/hubspot/rate-governor.js";

const headers = (max: number, remaining: number, interval = 10_000) => ({
  "x-hubspot-ratelimit-max": String(max),
  "x-hubspot-ratelimit-remaining": String(remaining),
  "x-hubspot-ratelimit-interval-milliseconds": String(interval),
});

describe("RateGovernor", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("never lets more requests start than the concurrency limit", async () => {
    const governor = new RateGovernor({ maxConcurrent: 2, now: () => Date.now() });
    const started: number[] = [];
    const releases = await Promise.all([governor.acquire(), governor.acquire()]);
    const third = governor.acquire().then((release) => {
      started.push(3);
      return release;
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(started).toEqual([]);
    releases[0]?.();
    (await third)();
    expect(started).toEqual([3]);
  });

  it("starts no more than the learned budget, less a margin, in one window", async () => {
    const governor = new RateGovernor({ maxConcurrent: 1000, now: () => Date.now() });
    governor.observe(200, headers(50, 50));
    let started = 0;
    for (let i = 0; i < 60; i += 1) {
      void governor.acquire().then((release) => {
        started += 1;
        release();
      });
    }
    await vi.advanceTimersByTimeAsync(5_000);
    expect(started).toBe(48);
    await vi.advanceTimersByTimeAsync(5_100);
    expect(started).toBe(60);
  });

  it("books a request at its completion, so a slow request keeps its place in the window until then", async () => {
    const governor = new RateGovernor({ maxConcurrent: 10, now: () => Date.now() });
    governor.observe(200, headers(4, 4, 1000)); // budget: 4 less a margin of 2
    const first = await governor.acquire();
    const second = await governor.acquire();
    let thirdStarted = false;
    void governor.acquire().then(() => {
      thirdStarted = true;
    });
    await vi.advanceTimersByTimeAsync(1_500);
    expect(thirdStarted).toBe(false); // both in flight, however old their start
    first();
    await vi.advanceTimersByTimeAsync(900);
    expect(thirdStarted).toBe(false); // the first completed 900 ms ago: still in HubSpot's window
    await vi.advanceTimersByTimeAsync(200);
    expect(thirdStarted).toBe(true);
    second();
  });

  it("warns once when the day's remaining requests fall under a tenth of the daily limit", () => {
    const warnings: string[] = [];
    const governor = new RateGovernor({
      maxConcurrent: 1,
      now: () => Date.now(),
      onDailyLow: (remaining, limit) => warnings.push(`${remaining}/${limit}`),
    });
    const daily = (remaining: number) => ({
      "x-hubspot-ratelimit-daily": "1000",
      "x-hubspot-ratelimit-daily-remaining": String(remaining),
    });
    governor.observe(200, daily(150));
    governor.observe(200, daily(99));
    governor.observe(200, daily(50));
    expect(warnings).toEqual(["99/1000"]);
    expect(governor.dailyRemaining).toBe(50);
  });

  it("honours a configured cap below HubSpot's limit", () => {
    const governor = new RateGovernor({ maxConcurrent: 10, capPer10s: 100, now: () => Date.now() });
    governor.observe(200, headers(190, 189));
    expect(governor.budget).toBe(98);
  });

  it("leaves the other clients' share of HubSpot's window to them, without stalling for a window", async () => {
    const governor = new RateGovernor({ maxConcurrent: 1000, now: () => Date.now() });
    governor.observe(200, headers(100, 40)); // 60 of the window are another client's
    expect(governor.budget).toBe(30); // 100 less a margin of 2, less their 60, less 8 left as room beside them
    let started = 0;
    for (let i = 0; i < 50; i += 1) {
      void governor.acquire().then((release) => {
        started += 1;
        release();
      });
    }
    await vi.advanceTimersByTimeAsync(10);
    expect(started).toBe(30);
  });

  it("gives the other clients' share back as HubSpot reports it falling", () => {
    const governor = new RateGovernor({ maxConcurrent: 10, now: () => Date.now() });
    governor.observe(200, headers(100, 40));
    for (let i = 0; i < 20; i += 1) governor.observe(200, headers(100, 100));
    expect(governor.budget).toBeGreaterThanOrEqual(97);
  });

  it("keeps a tenth of the budget however busy another client is, so it is never starved", () => {
    const governor = new RateGovernor({ maxConcurrent: 10, now: () => Date.now() });
    governor.observe(200, headers(100, 0));
    expect(governor.budget).toBe(10);
  });

  it("takes a 429 without HubSpot's count as a full window: a short pause, and the others' share until answers say", async () => {
    const governor = new RateGovernor({ maxConcurrent: 10, now: () => Date.now() });
    governor.observe(200, headers(100, 100));
    const before = governor.budget;
    governor.observe(429, {});
    let started = false;
    void governor.acquire().then(() => {
      started = true;
    });
    await vi.advanceTimersByTimeAsync(150);
    expect(started).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toBe(true);
    expect(governor.rateLimited).toBe(1);
    expect(governor.budget).toBeLessThan(before);
    for (let i = 0; i < 20; i += 1) governor.observe(200, headers(100, 99));
    expect(governor.budget).toBeGreaterThanOrEqual(before - 1);
  });

  it("answers the 429s of the requests in flight when it paused as one crowding: one short pause, no slower pace", async () => {
    const governor = new RateGovernor({ maxConcurrent: 10, now: () => Date.now() });
    governor.observe(200, headers(100, 100));
    const before = governor.budget;
    const releases = await Promise.all(Array.from({ length: 8 }, () => governor.acquire()));
    // Another client's burst filled the window: all eight come back 429.
    for (const release of releases) {
      governor.observe(429, headers(100, 0));
      release();
    }
    expect(governor.rateLimited).toBe(8);
    let started = false;
    void governor.acquire().then(() => {
      started = true;
    });
    await vi.advanceTimersByTimeAsync(250);
    expect(started).toBe(true);
    // Once HubSpot reports the burst gone, the whole budget is ours again at once: no pace to recover.
    for (let i = 0; i < 30; i += 1) governor.observe(200, headers(100, 91)); // 9 of ours in the window
    expect(governor.budget).toBeGreaterThanOrEqual(before - 1);
  });

  it("slows its pace only when its own requests fill HubSpot's window as it counts it: it misjudged the limit", async () => {
    const governor = new RateGovernor({ maxConcurrent: 20, now: () => Date.now() });
    governor.observe(200, headers(10, 10)); // budget: 10 less a margin of 2
    expect(governor.budget).toBe(8);
    const releases = await Promise.all(Array.from({ length: 8 }, () => governor.acquire()));
    governor.observe(429, headers(10, 2)); // HubSpot counts 8: ours alone
    for (const release of releases) release();
    expect(governor.budget).toBe(6); // 8 at a pace of 0.8
    await vi.advanceTimersByTimeAsync(31_000);
    expect(governor.budget).toBe(8);
  });

  it("doubles the pause for each crowding in a row, up to two seconds", async () => {
    const governor = new RateGovernor({ maxConcurrent: 10, now: () => Date.now() });
    for (let i = 0; i < 6; i += 1) {
      const acquired = governor.acquire();
      await vi.advanceTimersByTimeAsync(2_100);
      const release = await acquired;
      governor.observe(429, {});
      release();
    }
    let started = false;
    void governor.acquire().then(() => {
      started = true;
    });
    await vi.advanceTimersByTimeAsync(1_900);
    expect(started).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(started).toBe(true);
  });

  it("lets an others' share that no answer repeats fade over one window", async () => {
    const governor = new RateGovernor({ maxConcurrent: 10, now: () => Date.now() });
    governor.observe(200, headers(100, 40));
    expect(governor.budget).toBe(30);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(governor.budget).toBe(60); // half their 60 left: 98 less 30, less 7.5 of room
    await vi.advanceTimersByTimeAsync(5_000);
    expect(governor.budget).toBe(98);
  });

  it("honours HubSpot's Retry-After on a 429", async () => {
    const governor = new RateGovernor({ maxConcurrent: 10, now: () => Date.now() });
    governor.observe(429, { "retry-after": "3" });
    let started = false;
    void governor.acquire().then(() => {
      started = true;
    });
    await vi.advanceTimersByTimeAsync(2_900);
    expect(started).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(started).toBe(true);
  });

  it("keeps the daily remaining count HubSpot reports", () => {
    const governor = new RateGovernor({ maxConcurrent: 1 });
    governor.observe(200, { ...headers(100, 99), "x-hubspot-ratelimit-daily-remaining": "1234" });
    expect(governor.dailyRemaining).toBe(1234);
  });

  it("rejects a waiting request when its signal aborts", async () => {
    const governor = new RateGovernor({ maxConcurrent: 1, now: () => Date.now() });
    await governor.acquire();
    const controller = new AbortController();
    const waiting = governor.acquire(controller.signal);
    controller.abort(new Error("stopped"));
    await expect(waiting).rejects.toThrow("stopped");
  });
});
