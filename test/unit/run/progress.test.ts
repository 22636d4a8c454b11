import { afterEach, describe, expect, it, vi } from "vitest";
import { describeProgress, progressIntervalFrom, startProgress } from "../../../src/run/progress.js";
import { RequestTally } from "../../../src/hubspot/request-tally.js";
import { RunStats } from "../../../src/load/run-stats.js";

afterEach(() => {
  vi.useRealTimers();
});

function source() {
  const stats = new RunStats();
  const requests = new RequestTally();
  return { stats, requests, waitedMs: () => 1_250 };
}

describe("progress", () => {
  it("describes records, rate, requests, 429s and time waited", () => {
    const s = source();
    for (let index = 0; index < 10; index += 1) s.stats.read("a");
    for (let index = 0; index < 8; index += 1) s.stats.written("a", "created");
    s.stats.rejected("a", "INVALID_EMAIL");
    s.requests.answered(200);
    s.requests.answered(429);
    expect(describeProgress(s, 3_000)).toBe(
      "progress: read 10, written 8, rejected 1, 3 records/s, 2 requests (429: 1), 1.3 request-seconds waiting for the rate limit, 3 s",
    );
  });

  it("redraws a live line at most every 250 ms, only when it changed, and clears it when stopped", () => {
    vi.useFakeTimers();
    const s = source();
    const written: string[] = [];
    let now = 0;
    const progress = startProgress({
      source: s,
      output: { kind: "live", write: (text) => written.push(text) },
      now: () => now,
    });
    s.stats.read("a");
    now = 1_000;
    vi.advanceTimersByTime(249);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(written).toHaveLength(1);
    expect(written[0]?.startsWith("\rprogress: read 1, ")).toBe(true);
    expect(written[0]?.endsWith("\u001b[K")).toBe(true);
    vi.advanceTimersByTime(250);
    expect(written).toHaveLength(1);
    progress.stop();
    expect(written.at(-1)).toBe("\r\u001b[K");
    vi.advanceTimersByTime(1_000);
    expect(written).toHaveLength(2);
  });

  it("writes a line each interval off a terminal", () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const progress = startProgress({
      source: source(),
      output: { kind: "lines", line: (text) => lines.push(text) },
      intervalMs: 10_000,
    });
    vi.advanceTimersByTime(35_000);
    progress.stop();
    vi.advanceTimersByTime(35_000);
    expect(lines).toHaveLength(3);
  });

  it("takes its interval from the environment only when it is a positive number", () => {
    expect(progressIntervalFrom({ DESTINATION_HUBSPOT_PROGRESS_INTERVAL_MS: "500" })).toBe(500);
    expect(progressIntervalFrom({ DESTINATION_HUBSPOT_PROGRESS_INTERVAL_MS: "0" })).toBeUndefined();
    expect(progressIntervalFrom({ DESTINATION_HUBSPOT_PROGRESS_INTERVAL_MS: "soon" })).toBeUndefined();
    expect(progressIntervalFrom({})).toBeUndefined();
  });
});
