/**
 * The rate governor: spends the HubSpot burst budget this app is left, without tripping it or crowding out the
 * portal's other clients of the same app.
 *
 * 1. A request starts only when a concurrency slot is free and fewer than `budget` of ours are in the current
 *    window: those in flight plus those that completed within the last interval. HubSpot counts a request when it
 *    arrives, which is somewhere between our start and our completion, so a request is booked at its completion:
 *    it leaves our window no earlier than it leaves HubSpot's.
 * 2. The budget is learned from `X-HubSpot-RateLimit-Max` and `-Interval-Milliseconds`, less a small margin for
 *    the skew between our start and HubSpot's arrival time, capped by config, and less what the other clients of
 *    this app use: `Max − Remaining` is everyone's count in HubSpot's window, so the difference from ours is theirs.
 *    Their share is smoothed over answers and taken as spread over the window (not booked as requests made now,
 *    which would stall us for a whole window each time), so it also fades over one window unless answers repeat
 *    it, with some room left beside them (HEADROOM_SHARE). A floor keeps us served beside a greedy neighbour.
 * 3. A 429 says HubSpot's window is full now. Its headers say by how much others fill it (step 2); without them the
 *    window is taken as full, so the others' share rises the same way and falls again as later answers report it.
 *    It costs a short pause (`Retry-After` when HubSpot sends one; else 200 ms doubling per crowding in a row, at
 *    most 2 s). The 429s of requests already in flight when a pause began (none starts during one) are the same
 *    crowding: they neither lengthen the pause nor count as more in a row. Only a 429 that the others cannot
 *    explain (our own requests fill the window as far as we can tell: we misjudge the limit) also lowers the pace
 *    multiplicatively, once per crowding; the pace recovers over 30 s. So a burst by another client, or a 429
 *    that HubSpot answers now and then, costs a pause and a share it really takes, not half a minute at a third of
 *    the budget. A DAILY 429 is the retry policy's to end the run. `-Daily-Remaining` is kept for the caller.
 * Waits are bounded: a pause is at most MAX_PAUSE_MS (or the Retry-After), and an abort signal ends any wait.
 */
import type { IncomingHttpHeaders } from "node:http";
import { parseRetryAfter } from "./error-body.js";

/** HubSpot's rolling window and the lowest burst budget of any tier, used until headers tell us the real one. */
export const DEFAULT_INTERVAL_MS = 10_000;
export const DEFAULT_BUDGET = 100;
/** Requests kept in hand per window: covers the skew between our start time and HubSpot's arrival time. */
export const MIN_MARGIN = 2;
export const MARGIN_SHARE = 0.02;
/** Share of the daily limit under which the governor warns that the day's requests are nearly used up. */
export const DAILY_LOW_SHARE = 0.1;
/** The least share of the budget we keep using however busy the other clients are, so we are never starved. */
export const MIN_SHARE = 0.1;
/**
 * Room left unused beside other clients, a quarter of their use up to this share of the limit: HubSpot's headers
 * show only what it admitted, so a neighbour we crowd out looks quieter than it is; the room lets its demand show
 * (and our estimate of it grow) instead of turning into 429s. Alone, nothing is held back.
 */
export const HEADROOM_SHARE = 0.08;
export const HEADROOM_OF_OTHERS = 0.25;
/**
 * Weight of the newest answer in the estimate of the other clients' use: heavy when it rises (overshooting their
 * share is what gets them 429s), light when it falls (one quiet answer is no reason to take their share).
 */
export const OTHERS_RISE = 0.6;
export const OTHERS_FALL = 0.2;
/** How often, in steps of the window, a start held back by the others' share looks again as that share fades. */
export const FADE_STEPS = 20;
/** Pause after a 429 without Retry-After: doubles per crowding in a row from BASE_PAUSE_MS up to MAX_PAUSE_MS. */
export const BASE_PAUSE_MS = 200;
export const MAX_PAUSE_MS = 2_000;
/**
 * Each 429 the others cannot explain multiplies the pace by this, down to MIN_PACE; it recovers to 1 linearly over
 * PACE_RECOVERY_MS.
 */
export const PACE_DECREASE = 0.8;
export const MIN_PACE = 0.3;
export const PACE_RECOVERY_MS = 30_000;
/** A Retry-After longer than this is clamped: the retry policy decides whether to wait that long. */
export const MAX_RETRY_AFTER_PAUSE_MS = 60_000;

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
  /** Completion times of our finished requests, oldest first (requests in flight count separately). */
  private readonly completions: number[] = [];
  private inFlight = 0;
  /** Requests of the app's other clients in HubSpot's window, as estimated from the answers. */
  private others = 0;
  /** When `others` was last estimated: it fades over one window from then (see othersNow). */
  private othersAt = 0;
  private othersSeen = false;
  /** Whether any answer carried HubSpot's count of its window (`-Max` and `-Remaining`). */
  private counted = false;
  private pausedUntil = 0;
  /** Requests started since the last crowding began: while none has, every 429 belongs to it. */
  private startedSinceCrowding = 0;
  private pace = 1;
  private pacedAt = 0;
  private consecutive429 = 0;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  /** Requests left today as HubSpot last reported it (private-app tokens only); undefined when unknown. */
  dailyRemaining: number | undefined;
  /** The portal's daily limit as HubSpot last reported it (private-app tokens only); undefined when unknown. */
  dailyLimit: number | undefined;
  private warnedDaily = false;
  /** 429 answers observed, for the run summary and the benchmarks. */
  rateLimited = 0;
  /** Milliseconds requests spent waiting for a slot, summed (for the progress line and the receipt). */
  waitedMs = 0;

  constructor(private readonly options: RateGovernorOptions) {
    this.now = options.now ?? Date.now;
    this.limit = options.initialLimit ?? DEFAULT_BUDGET;
    this.intervalMs = options.initialIntervalMs ?? DEFAULT_INTERVAL_MS;
  }

  /** Requests this connector may have in the current window now. */
  get budget(): number {
    const cap =
      this.options.capPer10s === undefined
        ? this.limit
        : Math.min(this.limit, Math.floor((this.options.capPer10s * this.intervalMs) / DEFAULT_INTERVAL_MS));
    const usable = this.limit - this.margin;
    const others = this.othersNow(this.now());
    const headroom = Math.min(this.limit * HEADROOM_SHARE, others * HEADROOM_OF_OTHERS);
    const ours = Math.min(
      cap - Math.max(MIN_MARGIN, Math.ceil(cap * MARGIN_SHARE)),
      usable - others - headroom,
    );
    const floor = Math.ceil(usable * MIN_SHARE);
    return Math.max(1, Math.floor(Math.max(floor, ours) * this.currentPace()));
  }

  /** Waits for a slot; the returned function must be called when the request ends. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    const asked = this.now();
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      this.waiters.push({ resolve, reject, signal });
      signal?.addEventListener("abort", () => this.dropWaiter(signal), { once: true });
      this.pump();
    }).then(() => {
      this.waitedMs += this.now() - asked;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
        this.completions.push(this.now());
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
    if (max !== undefined && max > 0) this.limit = max;
    if (interval !== undefined && interval > 0) this.intervalMs = interval;
    this.watchDaily(headers);
    const counted = remaining !== undefined && max !== undefined;
    if (counted) this.counted = true;
    const othersNow = counted ? this.estimateOthers(max - remaining) : undefined;
    if (status === 429) this.crowded(parseRetryAfter(headers["retry-after"]), othersNow);
    else if (status < 400) this.consecutive429 = 0;
    this.pump();
  }

  /**
   * The other clients' share of HubSpot's count: everyone's, less what we have in the window. Answers the sample
   * this answer gave.
   */
  private estimateOthers(serverCount: number): number {
    const now = this.now();
    this.expire(now);
    const sample = Math.max(0, serverCount - this.completions.length - this.inFlight);
    const before = this.othersSeen ? this.othersNow(now) : sample;
    this.othersSeen = true;
    this.others = before + (sample > before ? OTHERS_RISE : OTHERS_FALL) * (sample - before);
    this.othersAt = now;
    return sample;
  }

  /**
   * The others' share now. Spread over the window, their requests leave it as evenly, so an estimate no answer has
   * repeated fades to nothing over one window: a share taken from a 429 while nothing of ours is in flight cannot
   * hold us back for longer than HubSpot's own window would.
   */
  private othersNow(now: number): number {
    return this.others * Math.max(0, 1 - (now - this.othersAt) / this.intervalMs);
  }

  /**
   * A 429: pause (once per crowding), and slow down only when the others' use does not explain it. `othersNow` is
   * what HubSpot's count on it said of them; without a count, the window is taken as full (if HubSpot ever counted
   * for us, so later counts can bring the estimate down again; else only the pace can say anything).
   */
  private crowded(retryAfterMs: number | undefined, countedOthers: number | undefined): void {
    this.rateLimited += 1;
    const othersNow = countedOthers ?? (this.counted ? this.estimateOthers(this.limit) : 0);
    const now = this.now();
    const sameCrowding = now < this.pausedUntil || this.startedSinceCrowding === 0;
    if (sameCrowding && retryAfterMs === undefined && this.consecutive429 > 0) return;
    this.consecutive429 += 1;
    this.startedSinceCrowding = 0;
    const pause =
      retryAfterMs !== undefined
        ? Math.min(retryAfterMs, MAX_RETRY_AFTER_PAUSE_MS)
        : Math.min(MAX_PAUSE_MS, BASE_PAUSE_MS * 2 ** (this.consecutive429 - 1));
    this.pausedUntil = Math.max(this.pausedUntil, now + pause);
    if (othersNow > 0) return;
    this.pace = Math.max(MIN_PACE, this.currentPace() * PACE_DECREASE);
    this.pacedAt = now;
  }

  /** Requests kept in hand per window for the skew between our start and HubSpot's arrival time. */
  private get margin(): number {
    return Math.max(MIN_MARGIN, Math.ceil(this.limit * MARGIN_SHARE));
  }

  private currentPace(): number {
    if (this.pace >= 1) return 1;
    const recovered = ((this.now() - this.pacedAt) / PACE_RECOVERY_MS) * (1 - MIN_PACE);
    return Math.min(1, this.pace + recovered);
  }

  private watchDaily(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): void {
    const daily = readNumber(headers["x-hubspot-ratelimit-daily-remaining"]);
    if (daily === undefined) return;
    this.dailyRemaining = daily;
    const dailyLimit = readNumber(headers["x-hubspot-ratelimit-daily"]);
    if (dailyLimit !== undefined) this.dailyLimit = dailyLimit;
    if (dailyLimit !== undefined && daily < dailyLimit * DAILY_LOW_SHARE && !this.warnedDaily) {
      this.warnedDaily = true;
      this.options.onDailyLow?.(daily, dailyLimit);
    }
  }

  private expire(now: number): void {
    const horizon = now - this.intervalMs;
    let drop = 0;
    while (drop < this.completions.length && (this.completions[drop] as number) <= horizon) drop += 1;
    if (drop > 0) this.completions.splice(0, drop);
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
      const excess = this.completions.length + this.inFlight - this.budget;
      if (excess >= 0) {
        // Wait until enough completed requests leave the window (if in-flight ones fill it, a release pumps
        // again), or until the others' share has faded a step.
        const leaving = this.completions[excess];
        const fading = this.othersNow(now) >= 1 ? now + this.intervalMs / FADE_STEPS : undefined;
        const next = Math.min(
          leaving === undefined ? Number.POSITIVE_INFINITY : leaving + this.intervalMs + 1,
          fading ?? Number.POSITIVE_INFINITY,
        );
        return Number.isFinite(next) ? this.wakeAt(next) : undefined;
      }
      const waiter = this.waiters.shift() as Waiter;
      this.inFlight += 1;
      this.startedSinceCrowding += 1;
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
