/**
 * The rate governor: uses the whole HubSpot burst budget without tripping it.
 *
 * 1. A request starts only when a concurrency slot is free and fewer than `budget` requests are in the current
 *    window: those in flight plus those that completed within the last interval. HubSpot counts a request when it
 *    arrives, which is somewhere between our start and our completion (new connections can take tens of ms), so a
 *    request is booked at its completion: it leaves our window no earlier than it leaves HubSpot's. The cost is
 *    one round trip per window (3 % at 300 ms per 10 s); the gain is no 429 from our own bursts.
 * 2. The budget is learned from `X-HubSpot-RateLimit-Max` and `-Interval-Milliseconds`, less a small margin for
 *    clock skew between our start and HubSpot's arrival time, and capped by config to leave room for other apps.
 * 3. `X-HubSpot-RateLimit-Remaining` corrects our view when HubSpot counted more than we did (another run of the
 *    same app, or requests of ours it saw later): the difference is booked as starts made now.
 * 4. A 429 pauses every start until the window has passed; `-Daily-Remaining` is kept for the caller to watch.
 * Waits are bounded: at most one window per pause, and an abort signal ends any wait.
 */
import type { IncomingHttpHeaders } from "node:http";

/** HubSpot's rolling window and the lowest burst budget of any tier, used until headers tell us the real one. */
export const DEFAULT_INTERVAL_MS = 10_000;
export const DEFAULT_BUDGET = 100;
/** Requests kept in hand per window: covers the skew between our start time and HubSpot's arrival time. */
export const MIN_MARGIN = 2;
export const MARGIN_SHARE = 0.02;
/** Share of the daily limit under which the governor warns that the day's requests are nearly used up. */
export const DAILY_LOW_SHARE = 0.1;

export interface RateGovernorOptions {
  maxConcurrent: number;
  /** Upper bound of requests per 10 s for this connector; undefined means HubSpot's own limit. */
  capPer10s?: number | undefined;
  /** Told once when the day's remaining requests fall under `DAILY_LOW_SHARE` of the daily limit. */
  onDailyLow?: ((remaining: number, limit: number) => void) | undefined;
  /** The limit and window to assume until headers say otherwise (event sends, which carry none). */
  initialLimit?: number | undefined;
  initialIntervalMs?: number | undefined;
  now?: () => number;
}

type Waiter = { resolve: () => void; reject: (error: unknown) => void; signal: AbortSignal | undefined };

export class RateGovernor {
  private limit = DEFAULT_BUDGET;
  private intervalMs = DEFAULT_INTERVAL_MS;
  /** Completion times of finished requests, oldest first (requests in flight count separately). */
  private readonly starts: number[] = [];
  private inFlight = 0;
  private pausedUntil = 0;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  /** Requests left today as HubSpot last reported it (private-app tokens only); undefined when unknown. */
  dailyRemaining: number | undefined;
  private warnedDaily = false;
  /** 429 answers observed, for the run summary and the benchmarks. */
  rateLimited = 0;

  constructor(private readonly options: RateGovernorOptions) {
    this.now = options.now ?? Date.now;
    this.limit = options.initialLimit ?? DEFAULT_BUDGET;
    this.intervalMs = options.initialIntervalMs ?? DEFAULT_INTERVAL_MS;
  }

  /** Requests this connector may start per window now. */
  get budget(): number {
    const capped =
      this.options.capPer10s === undefined
        ? this.limit
        : Math.min(this.limit, Math.floor((this.options.capPer10s * this.intervalMs) / DEFAULT_INTERVAL_MS));
    const margin = Math.max(MIN_MARGIN, Math.ceil(capped * MARGIN_SHARE));
    return Math.max(1, capped - margin);
  }

  /** Waits for a slot; the returned function must be called when the request ends. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      this.waiters.push({ resolve, reject, signal });
      signal?.addEventListener("abort", () => this.dropWaiter(signal), { once: true });
      this.pump();
    }).then(() => {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
        this.starts.push(this.now());
        this.pump();
      };
    });
  }

  /** Learns from a response's status and headers. */
  observe(
    status: number,
    headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
  ): void {
    const max = readNumber(headers["x-hubspot-ratelimit-max"]);
    const interval = readNumber(headers["x-hubspot-ratelimit-interval-milliseconds"]);
    const remaining = readNumber(headers["x-hubspot-ratelimit-remaining"]);
    const daily = readNumber(headers["x-hubspot-ratelimit-daily-remaining"]);
    if (max !== undefined && max > 0) this.limit = max;
    if (interval !== undefined && interval > 0) this.intervalMs = interval;
    if (daily !== undefined) this.dailyRemaining = daily;
    const dailyLimit = readNumber(headers["x-hubspot-ratelimit-daily"]);
    if (
      daily !== undefined &&
      dailyLimit !== undefined &&
      daily < dailyLimit * DAILY_LOW_SHARE &&
      !this.warnedDaily
    ) {
      this.warnedDaily = true;
      this.options.onDailyLow?.(daily, dailyLimit);
    }
    if (remaining !== undefined && max !== undefined) this.reconcile(max - remaining);
    if (status === 429) {
      this.rateLimited += 1;
      this.pausedUntil = Math.max(this.pausedUntil, this.now() + this.intervalMs);
    }
    this.pump();
  }

  /** Books starts HubSpot counted but we did not, so the next ones wait for them to leave the window. */
  private reconcile(serverCount: number): void {
    const now = this.now();
    this.expire(now);
    const missing = serverCount - this.starts.length - this.inFlight;
    for (let i = 0; i < missing; i += 1) this.starts.push(now);
  }

  private expire(now: number): void {
    const horizon = now - this.intervalMs;
    let drop = 0;
    while (drop < this.starts.length && (this.starts[drop] as number) <= horizon) drop += 1;
    if (drop > 0) this.starts.splice(0, drop);
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.waiters.length > 0) {
      if (this.inFlight >= this.options.maxConcurrent) return;
      const now = this.now();
      if (now < this.pausedUntil) return this.wakeAt(this.pausedUntil);
      this.expire(now);
      const excess = this.starts.length + this.inFlight - this.budget;
      if (excess >= 0) {
        // Wait until enough completed requests leave the window; if in-flight ones fill it, a release pumps again.
        const leaving = this.starts[excess];
        return leaving === undefined ? undefined : this.wakeAt(leaving + this.intervalMs + 1);
      }
      const waiter = this.waiters.shift() as Waiter;
      this.inFlight += 1;
      waiter.resolve();
    }
  }

  private wakeAt(time: number): void {
    // Not unref'd: a waiting request is work in progress and must keep the process alive.
    this.timer = setTimeout(() => this.pump(), Math.max(1, time - this.now()));
  }

  private dropWaiter(signal: AbortSignal): void {
    const index = this.waiters.findIndex((waiter) => waiter.signal === signal);
    if (index < 0) return;
    const [waiter] = this.waiters.splice(index, 1);
    waiter?.reject(signal.reason);
  }
}

function readNumber(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}
