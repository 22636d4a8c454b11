/**
 * HubSpot's limits as the sandbox enforces them (hubspot-api-notes §6.1–6.3): a rolling window per app (per token
 * here) and a daily count per portal, with the `X-HubSpot-RateLimit-*` headers on every counted response. OAuth
 * callers get no daily headers, as on HubSpot.
 */

export interface RateLimitOptions {
  /** Requests per window. @default 190 (Professional and Enterprise) */
  max: number;
  /** @default 10_000 */
  intervalMs: number;
  /** Requests per day for the portal. @default 1_000_000 (Enterprise) */
  daily: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { max: 190, intervalMs: 10_000, daily: 1_000_000 };

export type Admission =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; policyName: "TEN_SECONDLY_ROLLING" | "DAILY"; headers: Record<string, string> };

export class RateLimiter {
  /** Request times per caller, oldest first; a ring kept short by dropping what left the window. */
  private readonly windows = new Map<string, number[]>();
  private dailyUsed = 0;
  rejected = 0;

  constructor(readonly options: RateLimitOptions) {}

  /** Counts like `admit` but sends no rate-limit headers (exempt endpoints have none). */
  admitSilently(caller: string, now = Date.now()): Admission {
    const admission = this.admit(caller, true, now);
    return { ...admission, headers: {} };
  }

  admit(caller: string, oauth: boolean, now = Date.now()): Admission {
    const { max, intervalMs, daily } = this.options;
    let times = this.windows.get(caller);
    if (!times) {
      times = [];
      this.windows.set(caller, times);
    }
    let expired = 0;
    while (expired < times.length && (times[expired] as number) <= now - intervalMs) expired += 1;
    if (expired > 0) times.splice(0, expired);

    const headers = (remaining: number): Record<string, string> => ({
      "X-HubSpot-RateLimit-Max": String(max),
      "X-HubSpot-RateLimit-Remaining": String(Math.max(0, remaining)),
      "X-HubSpot-RateLimit-Interval-Milliseconds": String(intervalMs),
      ...(oauth
        ? {}
        : {
            "X-HubSpot-RateLimit-Daily": String(daily),
            "X-HubSpot-RateLimit-Daily-Remaining": String(Math.max(0, daily - this.dailyUsed)),
          }),
    });
    if (this.dailyUsed >= daily) {
      this.rejected += 1;
      return { ok: false, policyName: "DAILY", headers: headers(max - times.length) };
    }
    if (times.length >= max) {
      this.rejected += 1;
      return { ok: false, policyName: "TEN_SECONDLY_ROLLING", headers: headers(0) };
    }
    times.push(now);
    this.dailyUsed += 1;
    return { ok: true, headers: headers(max - times.length) };
  }
}
