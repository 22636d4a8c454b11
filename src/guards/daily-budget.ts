/**
 * `guards.daily_budget_share`: the run stops cleanly before it makes more than this share of the portal's daily
 * request limit.
 *
 * 1. A gate around the rate governor counts every request it admits (event sends, exempt from the daily limit,
 *    have their own gate and are not counted) and reads the limit from `X-HubSpot-RateLimit-Daily` on the answers.
 * 2. Once the requests made and those waiting at the gate (a stop lets them go), plus room for the few a batch
 *    may still add (one per concurrency slot: an archive's second request, a retry), reach the share of the
 *    limit, the run is stopped as by a signal: nothing new is sent, requests in flight finish, every settled
 *    STATE is echoed, and the run ends with a transient_error naming the guard and the figures.
 * Without daily headers (OAuth apps get none) the guard cannot know the limit: the run says so and goes on.
 */
import type { RequestGate, ResponseHeaders } from "../hubspot/http-types.js";

export interface DailyBudgetOptions {
  share: number;
  /** Requests that may start after the stop (one per concurrency slot): the room left below the share. */
  room: number;
  /** Raw pipe mode or a replay: no STATEs, so the message speaks of records. */
  raw?: boolean;
  /** Stops the run cleanly with this message. */
  stop: (message: string) => void;
}

export class DailyBudget {
  /** Requests admitted through the gate in this run. */
  made = 0;
  /** Requests waiting at the gate: a stop does not hold them back, so they count as made already. */
  private waiting = 0;
  /** The portal's daily limit as HubSpot's answers state it; undefined until one does. */
  dailyLimit: number | undefined;
  private stopped = false;

  constructor(private readonly options: DailyBudgetOptions) {}

  /** The requests this run may make: the share of the daily limit; undefined while the limit is unknown. */
  get budget(): number | undefined {
    return this.dailyLimit === undefined ? undefined : Math.floor(this.options.share * this.dailyLimit);
  }

  /** The governor with the budget watching it. */
  watch(gate: RequestGate): RequestGate {
    return {
      acquire: async (signal) => {
        this.waiting += 1;
        this.check();
        let release: (() => void) | undefined;
        try {
          release = await gate.acquire(signal);
        } finally {
          this.waiting -= 1;
        }
        this.made += 1;
        this.check();
        return release;
      },
      observe: (status: number, headers: ResponseHeaders) => {
        gate.observe(status, headers);
        const limit = Number(headers["x-hubspot-ratelimit-daily"]);
        if (Number.isFinite(limit) && limit > 0) this.dailyLimit = limit;
        this.check();
      },
    };
  }

  private check(): void {
    const budget = this.budget;
    if (this.stopped || budget === undefined || this.made + this.waiting + this.options.room < budget) return;
    this.stopped = true;
    this.options.stop(
      `Guard daily_budget_share (${this.options.share}) stopped the run: it has made or started ${this.made + this.waiting} requests ` +
        `against the portal's daily limit of ${this.dailyLimit}, and ${budget} is the share it may use ` +
        `(less room for ${this.options.room} requests that may still be under way). ` +
        (this.options.raw
          ? "Every record sent was answered and settled; run again later, "
          : "Every settled STATE was echoed; run again later, ") +
        "or raise guards.daily_budget_share.",
    );
  }
}
