/**
 * HubSpot's limits as the sandbox enforces them
 * (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines):
 * - a rolling window per credential ("applies individually per app"; a maintainer: "specific per access token"),
 *   so two clients with the same token share one bucket and two tokens get two;
 * - a daily count per portal ("shared across all apps within the same HubSpot account"), reset at midnight in the
 *   portal's time zone;
 * - `X-HubSpot-RateLimit-*` headers on every counted response, exact for the caller's bucket at answer time; OAuth
 *   callers get no daily headers, as on HubSpot.
 * HubSpot promises no `Retry-After` on a 429 (§6.3), so the sandbox sends one only when told to.
 */

export interface RateLimitOptions {
  /** Requests per window. @default 190 (Professional and Enterprise) */
  max: number;
  /** @default 10_000 */
  intervalMs: number;
  /** Requests per day for the portal. @default 1_000_000 (Enterprise) */
  daily: number;
  /** Add `Retry-After` (whole seconds) to the limiter's 429s. @default false */
  retryAfter?: boolean;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { max: 190, intervalMs: 10_000, daily: 1_000_000 };

/** Whose bucket a request counts against. */
export interface Bucket {
  /** The credential (private app token or OAuth app); never shown. */
  key: string;
  /** A number that names the bucket in a 429's `groupName` instead of the secret. */
  bucketId: number;
  oauth: boolean;
}

export type PolicyName = "TEN_SECONDLY_ROLLING" | "DAILY";

export type Admission =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; policyName: PolicyName; groupName: string; headers: Record<string, string> };

/** The portal's UTC offset (the sandbox's account info says US/Eastern, -05:00), for the daily reset. */
const PORTAL_UTC_OFFSET_MS = -5 * 3_600_000;
const DAY_MS = 86_400_000;

export class RateLimiter {
  /** Request times per credential, oldest first; kept short by dropping what left the window. */
  private readonly windows = new Map<string, number[]>();
  private dailyUsed = 0;
  private day = -1;
  rejected = 0;

  constructor(
    readonly options: RateLimitOptions,
    private readonly portalId = 0,
  ) {}

  /** Counts like `admit` but sends no rate-limit headers (exempt endpoints have none). */
  admitSilently(bucket: Bucket, now = Date.now()): Admission {
    const admission = this.admit({ ...bucket, oauth: true }, now);
    return { ...admission, headers: {} };
  }

  admit(bucket: Bucket, now = Date.now()): Admission {
    const { max, intervalMs, daily } = this.options;
    const today = Math.floor((now + PORTAL_UTC_OFFSET_MS) / DAY_MS);
    if (today !== this.day) {
      this.day = today;
      this.dailyUsed = 0;
    }
    const times = this.windowOf(bucket.key, now);
    const headers = (remaining: number) => this.headers(bucket, remaining);
    if (this.dailyUsed >= daily) {
      this.rejected += 1;
      const wait = (today + 1) * DAY_MS - PORTAL_UTC_OFFSET_MS - now;
      return this.refusal(
        "DAILY",
        `publicapi:api-calls-daily:${this.portalId}`,
        headers(max - times.length),
        wait,
      );
    }
    if (times.length >= max) {
      this.rejected += 1;
      const wait = (times[0] as number) + intervalMs - now;
      const group = `publicapi:${bucket.oauth ? "oauth" : "private-app"}-api-calls-ten-secondly:${bucket.bucketId}`;
      return this.refusal("TEN_SECONDLY_ROLLING", group, headers(0), wait);
    }
    times.push(now);
    this.dailyUsed += 1;
    return { ok: true, headers: headers(max - times.length) };
  }

  /**
   * The headers for a bucket as it stands now, without counting a request: what an answer carries when it leaves,
   * so `Remaining` is exact even if other requests were admitted while this one was served.
   */
  currentHeaders(bucket: Bucket, now = Date.now()): Record<string, string> {
    return this.headers(bucket, this.options.max - this.windowOf(bucket.key, now).length);
  }

  private headers(bucket: Bucket, remaining: number): Record<string, string> {
    const { max, intervalMs, daily } = this.options;
    return {
      "X-HubSpot-RateLimit-Max": String(max),
      "X-HubSpot-RateLimit-Remaining": String(Math.max(0, remaining)),
      "X-HubSpot-RateLimit-Interval-Milliseconds": String(intervalMs),
      ...(bucket.oauth
        ? {}
        : {
            "X-HubSpot-RateLimit-Daily": String(daily),
            "X-HubSpot-RateLimit-Daily-Remaining": String(Math.max(0, daily - this.dailyUsed)),
          }),
    };
  }

  private windowOf(key: string, now: number): number[] {
    let times = this.windows.get(key);
    if (!times) {
      times = [];
      this.windows.set(key, times);
    }
    let expired = 0;
    while (expired < times.length && (times[expired] as number) <= now - this.options.intervalMs)
      expired += 1;
    if (expired > 0) times.splice(0, expired);
    return times;
  }

  private refusal(
    policyName: PolicyName,
    groupName: string,
    headers: Record<string, string>,
    waitMs: number,
  ): Admission {
    if (this.options.retryAfter) headers["Retry-After"] = String(Math.max(1, Math.ceil(waitMs / 1000)));
    return { ok: false, policyName, groupName, headers };
  }
}
