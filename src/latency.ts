/**
 * Latency percentiles in bounded memory: every sample is counted in one of a fixed set of log-spaced buckets, each
 * about 9 % wider than the last (eight per doubling), from 1 ms up to about 70 minutes. A percentile is read as
 * its bucket's upper bound (never above the largest sample seen), so it is at most one bucket (9 %) high; the
 * largest sample is kept exactly. Memory is the same for ten samples or ten million.
 */

/** Buckets per doubling of the latency: the resolution of the percentiles. */
export const BUCKETS_PER_DOUBLING = 8;
/** Doublings above 1 ms covered; a sample beyond 2^22 ms (about 70 minutes) counts in the last bucket. */
export const DOUBLINGS = 22;
const BUCKETS = BUCKETS_PER_DOUBLING * DOUBLINGS + 1;

/** Count, p50, p95 and max of the samples, in milliseconds (one decimal); undefined figures when there were none. */
export interface LatencySummary {
  count: number;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
  maxMs: number | undefined;
}

export class LatencyHistogram {
  private readonly counts = new Array<number>(BUCKETS).fill(0);
  count = 0;
  maxMs = 0;

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const bucket = bucketOf(ms);
    this.counts[bucket] = (this.counts[bucket] as number) + 1;
    this.count += 1;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** The latency under which a share `p` (0–1) of the samples fall, as its bucket's upper bound. */
  percentile(p: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (let index = 0; index < BUCKETS; index += 1) {
      seen += this.counts[index] as number;
      if (seen >= rank) return index === BUCKETS - 1 ? this.maxMs : Math.min(upperBound(index), this.maxMs);
    }
    return this.maxMs;
  }

  summary(): LatencySummary {
    const round = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms * 10) / 10);
    return {
      count: this.count,
      p50Ms: round(this.percentile(0.5)),
      p95Ms: round(this.percentile(0.95)),
      maxMs: this.count === 0 ? undefined : round(this.maxMs),
    };
  }
}

/** Bucket 0 holds samples up to 1 ms; bucket i (≥ 1) those up to 2^(i / BUCKETS_PER_DOUBLING) ms. */
function bucketOf(ms: number): number {
  if (ms <= 1) return 0;
  return Math.min(BUCKETS - 1, Math.ceil(Math.log2(ms) * BUCKETS_PER_DOUBLING));
}

function upperBound(index: number): number {
  return 2 ** (index / BUCKETS_PER_DOUBLING);
}
