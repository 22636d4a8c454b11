/**
 * The deadline for storing a part of rejected records in S3, from the environment: a store that stays down fails
 * the run with a transient_error within it. The default (a minute) suits production; tests of a store that never
 * answers set a few seconds, so they do not wait out the minute.
 */
import { UsageError } from "../errors.js";

/** The environment variable that sets the rejects store's upload deadline, in seconds (fractions allowed). */
export const REJECTS_DEADLINE_ENV = "DESTINATION_HUBSPOT_REJECTS_DEADLINE_SECONDS";

/** The deadline in ms when the environment sets one; undefined for the default. A bad value is a usage error. */
export function rejectsDeadlineMsFrom(env: Record<string, string | undefined>): number | undefined {
  const text = env[REJECTS_DEADLINE_ENV];
  if (text === undefined || text.trim() === "") return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new UsageError(
      `${REJECTS_DEADLINE_ENV} must be a number of seconds above 0 and at most 3600, not ${JSON.stringify(text)}.`,
    );
  }
  return seconds * 1000;
}
