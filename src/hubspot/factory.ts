/** Builds the HubSpot client from the config, with the rate governor and retry policy the write path relies on. */
import type { Config } from "../config/schema.js";
import { HubSpotClient, type HubSpotLog } from "./client.js";
import type { RequestGate } from "./http-types.js";
import { RateGovernor } from "./rate-governor.js";
import { RequestTally } from "./request-tally.js";
import { createRetryPolicy, RETRY_DEFAULTS, type RetryOptions } from "./retry-policy.js";

/** `check` and `discover` answer a person waiting at a prompt: a few quick retries, not the write path's patience. */
export const INTERACTIVE_RETRY: Partial<RetryOptions> = {
  retries: 2,
  baseDelayMs: 500,
  maxRetryTimeMs: 20_000,
};

/** How long a run retries a base URL that has not answered once, in seconds (RETRY_DEFAULTS.unreachableMs). */
export const UNREACHABLE_SECONDS_ENV = "DESTINATION_HUBSPOT_UNREACHABLE_SECONDS";

/** `DESTINATION_HUBSPOT_UNREACHABLE_SECONDS` (0 to 3600, fractions allowed) in ms; a bad value is warned of. */
export function unreachableMsFrom(
  text: string | undefined,
  warn: (message: string) => void,
): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0 && seconds <= 3600) return seconds * 1000;
  warn(
    `${UNREACHABLE_SECONDS_ENV} must be a number of seconds from 0 to 3600, not ${JSON.stringify(text)}; using ${RETRY_DEFAULTS.unreachableMs / 1000}.`,
  );
  return undefined;
}

export function createHubSpotClient(
  config: Config,
  options: {
    log: HubSpotLog;
    retry?: Partial<RetryOptions>;
    /** Told of each OAuth access token obtained, so output is masked for it too. */
    onAccessToken?: (token: string) => void;
    /** Puts a gate of the caller's around the governor (the daily-budget guard watches the answers there). */
    wrapGate?: (governor: RateGovernor) => RequestGate;
    /** Where UNREACHABLE_SECONDS_ENV is read. @default process.env */
    env?: Record<string, string | undefined>;
  },
) {
  const governor = new RateGovernor({
    maxConcurrent: config.max_concurrent_requests,
    capPer10s: config.max_requests_per_10s,
    onDailyLow: (remaining, limit) =>
      options.log(
        "WARN",
        `HubSpot's daily API limit for this account is nearly used up: ${remaining} of ${limit} requests left today. The run stops with a transient error if it runs out; the limit resets at midnight in the account's time zone.`,
      ),
  });
  const warn = (message: string) => options.log("WARN", message);
  const unreachableMs = unreachableMsFrom((options.env ?? process.env)[UNREACHABLE_SECONDS_ENV], warn);
  const retry = createRetryPolicy(warn, {
    ...(unreachableMs === undefined ? {} : { unreachableMs }),
    ...options.retry,
  });
  // Counted per client, so a run's receipt holds its own requests and nothing else the process made.
  const tally = new RequestTally();
  const client = new HubSpotClient({
    baseUrl: config.api_base_url,
    apiVersion: config.api_version,
    auth: config.credentials,
    onAccessToken: options.onAccessToken,
    timeoutMs: config.request_timeout_seconds * 1000,
    connections: config.max_concurrent_requests,
    gate: options.wrapGate ? options.wrapGate(governor) : governor,
    retry,
    logger: options.log,
    tally,
  });
  return { client, governor, retry, tally };
}
