/**
 * What is retried, how long to wait, and when to give up. Decided by status, HubSpot `policyName` and network
 * error kind, never by message text. Every request the connector retries is idempotent (upserts by unique key,
 * updates, reads, archives, events with a uuid), so a retry after a 502 that HubSpot had in fact committed writes
 * nothing twice.
 * Statuses: https://developers.hubspot.com/docs/api-reference/error-handling
 * Limits: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 */
import { setTimeout as sleep } from "node:timers/promises";
import pRetry from "p-retry";
import { HubSpotApiError, HubSpotNetworkError } from "./api-errors.js";
import type { RequestDescription, RetryPolicy } from "./http.js";

export const RETRY_DEFAULTS = {
  /** Attempts after the first. @default 8 */
  retries: 8,
  /** First backoff; doubles each time, with full jitter. @default 1000 ms */
  baseDelayMs: 1000,
  /** @default 30 s */
  maxDelayMs: 30_000,
  /** No request is retried past this, whatever its count. @default 5 min */
  maxRetryTimeMs: 5 * 60_000,
  /** HubSpot locks a record for 2 s after a bulk write (423): "include a delay of at least 2 seconds". */
  lockedDelayMs: 2000,
  /** A 477 asking for longer than this fails the run instead of stalling it. @default 2 min */
  maxRetryAfterMs: 2 * 60_000,
} as const;

export type RetryOptions = { [K in keyof typeof RETRY_DEFAULTS]: number };

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
    // The rate governor pauses all starts for the window; Retry-After is honoured when HubSpot sends one.
    return { minimumWaitMs: error.retryAfterMs ?? 0 };
  }
  if (status === 423) return { minimumWaitMs: options.lockedDelayMs };
  if (status === 477) {
    const wait = error.retryAfterMs ?? options.maxDelayMs;
    return wait <= options.maxRetryAfterMs ? { minimumWaitMs: wait } : undefined;
  }
  if (status === 408 || status >= 500) return { minimumWaitMs: error.retryAfterMs ?? 0 };
  return undefined;
}

export function createRetryPolicy(
  log: (message: string) => void,
  overrides: Partial<RetryOptions> = {},
): RetryPolicy & { retried: number; backoffMs: number } {
  const options: RetryOptions = { ...RETRY_DEFAULTS, ...overrides };
  const policy = {
    /** Attempts made again after a failure. */
    retried: 0,
    /** Milliseconds spent waiting before those attempts, summed (for the run receipt). */
    backoffMs: 0,
    run<T>(attempt: () => Promise<T>, request: RequestDescription): Promise<T> {
      return pRetry(attempt, {
        retries: options.retries,
        factor: 2,
        minTimeout: options.baseDelayMs,
        maxTimeout: options.maxDelayMs,
        randomize: true,
        maxRetryTime: options.maxRetryTimeMs,
        shouldRetry: ({ error }) => retryDecision(error, options) !== undefined,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
          const decision = retryDecision(error, options);
          if (!decision || retriesLeft === 0) return;
          policy.retried += 1;
          const extra = Math.max(0, decision.minimumWaitMs - retryDelay);
          policy.backoffMs += retryDelay + extra;
          const what = error instanceof HubSpotApiError ? `${error.status}` : (error as Error).name;
          log(
            `Retrying ${request.method} ${request.path} after ${what} (attempt ${attemptNumber + 1} of ${options.retries + 1}) in ${Math.round((retryDelay + extra) / 100) / 10} s`,
          );
          if (extra > 0) await sleep(extra);
        },
      });
    },
  };
  return policy;
}
