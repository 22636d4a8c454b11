/**
 * What is retried, how long to wait, and when to give up. Decided by status, HubSpot `policyName` and network
 * error kind, never by message text. Retried requests are idempotent (upserts by unique key, updates, reads,
 * archives, events with a uuid), so a retry after a 502 that HubSpot had in fact committed writes nothing twice,
 * with one exception: `batch/create` for a stream without a key, which HubSpot gives no idempotency key, may create
 * a batch twice after a timeout or a 5xx (docs/objects.md says so; a key makes the stream an upsert).
 * Statuses: https://developers.hubspot.com/docs/api-reference/error-handling
 * Limits: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 *
 * 1. An attempt that fails in a way a new attempt may cure (retryDecision) is run again after a wait, up to
 *    `retries` times and never past `maxRetryTimeMs` since the first attempt.
 * 2. The wait is `baseDelayMs` doubled per earlier attempt of this request, times a random factor between 1 and 2,
 *    at most `maxDelayMs`, and at least what HubSpot asked for (Retry-After, the 2 s a 423 needs). It doubles only
 *    while HubSpot is failing the client as a whole: when at least half of its last RECENT_ATTEMPTS attempts failed
 *    in a way worth retrying (or none has succeeded yet). So when HubSpot is down every wait doubles as usual,
 *    while a request unlucky among others that succeed waits the base delay each time: a fault costs time in
 *    proportion to itself, not to how often the same batch happened to meet one.
 * 3. While HubSpot has never answered this client (nothing listening at the base URL, a host that does not
 *    resolve), network failures are retried only for `unreachableMs` from the first attempt: a run against a wrong
 *    URL fails in seconds rather than minutes. Each attempt is then given no longer than what is left of that time
 *    (at least MIN_ATTEMPT_MS) to be answered, so a base URL that accepts connections and never answers fails
 *    within it too, rather than after one whole `request_timeout_seconds`. Once HubSpot has answered, a lost
 *    connection is a blip and gets the full patience of step 1.
 */
import { HubSpotApiError, HubSpotNetworkError, HubSpotResponseError } from "./api-errors.js";
import type { RequestDescription, RetryPolicy } from "./http-types.js";

export const RETRY_DEFAULTS = {
  /** Attempts after the first. @default 8 */
  retries: 8,
  /** First backoff; doubles each time while the client keeps failing, times a random 1–2. @default 1000 ms */
  baseDelayMs: 1000,
  /** @default 30 s */
  maxDelayMs: 30_000,
  /** No request is retried past this, whatever its count. @default 5 min */
  maxRetryTimeMs: 5 * 60_000,
  /** HubSpot locks a record for 2 s after a bulk write (423): "include a delay of at least 2 seconds". */
  lockedDelayMs: 2000,
  /** A 477 asking for longer than this fails the run instead of stalling it. @default 2 min */
  maxRetryAfterMs: 2 * 60_000,
  /**
   * How long network failures are retried while HubSpot has not answered this client once (from its first
   * attempt): a base URL with nothing listening fails within this, plus one attempt. @default 20 s
   */
  unreachableMs: 20_000,
} as const;

export type RetryOptions = { [K in keyof typeof RETRY_DEFAULTS]: number };

/** The least time an attempt is given while HubSpot has never answered (step 3), however little is left. */
export const MIN_ATTEMPT_MS = 1000;

/** The client's latest attempts that tell whether HubSpot is failing as a whole (step 2). */
export const RECENT_ATTEMPTS = 20;

/** The network failures that a new attempt may cure; TLS and aborts will not heal by themselves. */
const RETRYABLE_NETWORK_KINDS = new Set(["timeout", "reset", "refused", "dns", "other"]);

/** Why an error may be retried, and the least wait before the next attempt; undefined when it must not be. */
export function retryDecision(error: unknown, options: RetryOptions): { minimumWaitMs: number } | undefined {
  if (error instanceof HubSpotNetworkError)
    return RETRYABLE_NETWORK_KINDS.has(error.kind) ? { minimumWaitMs: 0 } : undefined;
  if (!(error instanceof HubSpotApiError)) return undefined;
  const { status } = error;
  if (status === 429) {
    // DAILY will not clear before midnight in the portal's time zone: stop and say so.
    if (error.policyName === "DAILY") return undefined;
    // The rate governor pauses all starts; Retry-After is honoured when HubSpot sends one.
    return { minimumWaitMs: error.retryAfterMs ?? 0 };
  }
  if (status === 423) return { minimumWaitMs: options.lockedDelayMs };
  if (status === 477) {
    const wait = error.retryAfterMs ?? options.maxDelayMs;
    return wait <= options.maxRetryAfterMs ? { minimumWaitMs: wait } : undefined;
  }
  // 501 Not Implemented: the server does not serve this route at all (a base URL that is not HubSpot's API).
  if (status === 501) return undefined;
  if (status === 408 || status >= 500) return { minimumWaitMs: error.retryAfterMs ?? 0 };
  return undefined;
}

/** Clock, randomness and sleep, replaceable in tests. */
export interface RetryEnvironment {
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

const REAL: RetryEnvironment = {
  now: () => performance.now(),
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export function createRetryPolicy(
  log: (message: string) => void,
  overrides: Partial<RetryOptions> = {},
  environment: Partial<RetryEnvironment> = {},
): RetryPolicy & { retried: number; backoffMs: number } {
  return new ClientRetries(log, { ...RETRY_DEFAULTS, ...overrides }, { ...REAL, ...environment });
}

/** The retry policy of one client: its attempts' recent history decides how long a wait is. */
class ClientRetries implements RetryPolicy {
  /** Attempts made again after a failure. */
  retried = 0;
  /** Milliseconds spent waiting before those attempts, summed (for the run receipt). */
  backoffMs = 0;
  /** The client's latest attempts, oldest first: true for a failure worth retrying. */
  private readonly recent: boolean[] = [];
  /** Whether HubSpot ever answered this client, and when its first attempt started. */
  private answered = false;
  private firstAttemptAt: number | undefined;

  constructor(
    private readonly log: (message: string) => void,
    private readonly options: RetryOptions,
    private readonly environment: RetryEnvironment,
  ) {}

  async run<T>(attempt: (deadlineMs?: number) => Promise<T>, request: RequestDescription): Promise<T> {
    const startedAt = this.environment.now();
    this.firstAttemptAt ??= startedAt;
    for (let number = 1; ; number += 1) {
      try {
        const result = await attempt(this.attemptDeadline());
        this.answered = true;
        this.remember(false);
        return result;
      } catch (error) {
        if (error instanceof HubSpotApiError || error instanceof HubSpotResponseError) this.answered = true;
        const retryable = retryDecision(error, this.options) !== undefined;
        this.remember(retryable);
        const wait = retryable ? this.waitAfter(error, number, startedAt) : undefined;
        if (wait === undefined) throw error;
        this.retried += 1;
        this.backoffMs += wait;
        const what = error instanceof HubSpotApiError ? `${error.status}` : (error as Error).name;
        this.log(
          `Retrying ${request.method} ${request.path} after ${what} (attempt ${number + 1} of ${this.options.retries + 1}) in ${Math.round(wait / 100) / 10} s`,
        );
        await this.environment.sleep(wait);
      }
    }
  }

  /** How long the next attempt may wait for an answer: what is left of `unreachableMs` until HubSpot answers (step 3). */
  private attemptDeadline(): number | undefined {
    if (this.answered || this.firstAttemptAt === undefined) return undefined;
    const left = this.options.unreachableMs - (this.environment.now() - this.firstAttemptAt);
    return Math.max(MIN_ATTEMPT_MS, left);
  }

  private remember(failed: boolean): void {
    this.recent.push(failed);
    if (this.recent.length > RECENT_ATTEMPTS) this.recent.shift();
  }

  private failingAsAWhole(): boolean {
    const failed = this.recent.filter(Boolean).length;
    return failed === this.recent.length || failed * 2 >= RECENT_ATTEMPTS;
  }

  /** The wait before attempt `attempt + 1` after `error`, or undefined to give up. */
  private waitAfter(error: unknown, attempt: number, startedAt: number): number | undefined {
    const { options } = this;
    const { now, random } = this.environment;
    const decision = retryDecision(error, options);
    if (!decision || attempt > options.retries) return undefined;
    const doublings = this.failingAsAWhole() ? attempt - 1 : 0;
    const backoff = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** doublings * (1 + random()));
    const wait = Math.max(backoff, decision.minimumWaitMs);
    const elapsed = now() - startedAt;
    if (elapsed + wait > options.maxRetryTimeMs) return undefined;
    const unreachableFor = now() - (this.firstAttemptAt ?? startedAt);
    if (
      !this.answered &&
      error instanceof HubSpotNetworkError &&
      unreachableFor + wait > options.unreachableMs
    )
      return undefined;
    return wait;
  }
}
