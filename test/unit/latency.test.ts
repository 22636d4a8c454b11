import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../src/latency.js";

describe("LatencyHistogram", () => {
  it("answers nothing before any sample", () => {
    expect(new LatencyHistogram().summary()).toEqual({
      count: 0,
      p50Ms: undefined,
      p95Ms: undefined,
      maxMs: undefined,
    });
  });

  it("puts p50 and p95 within one bucket (about 9 %) above the true percentiles", () => {
    const histogram = new LatencyHistogram();
    for (let ms = 1; ms <= 1000; ms += 1) histogram.record(ms);
    const { p50Ms, p95Ms, maxMs } = histogram.summary();
    expect(p50Ms).toBeGreaterThanOrEqual(500);
    expect(p50Ms).toBeLessThanOrEqual(500 * 1.091);
    expect(p95Ms).toBeGreaterThanOrEqual(950);
    expect(p95Ms).toBeLessThanOrEqual(1000);
    expect(maxMs).toBe(1000);
  });

  it("never reports a percentile above the largest sample", () => {
    const histogram = new LatencyHistogram();
    histogram.record(101);
    expect(histogram.percentile(0.95)).toBe(101);
  });

  it("keeps the same memory for a million samples, and their exact maximum", () => {
    const histogram = new LatencyHistogram();
    for (let index = 0; index < 1_000_000; index += 1) histogram.record(index % 2 === 0 ? 5 : 50);
    histogram.record(4_000_000_000);
    expect(histogram.count).toBe(1_000_001);
    expect(histogram.summary().maxMs).toBe(4_000_000_000);
    expect(histogram.percentile(0.4)).toBeLessThanOrEqual(5 * 1.091);
    expect(histogram.percentile(0.9)).toBeGreaterThanOrEqual(50);
    expect((histogram as unknown as { counts: number[] }).counts.length).toBeLessThan(200);
  });

  it("ignores samples that are not a duration", () => {
    const histogram = new LatencyHistogram();
    histogram.record(Number.NaN);
    histogram.record(-3);
    expect(histogram.count).toBe(0);
  });
});
