/**
 * `guards.expected_portal_id`: the credentials must belong to this portal. Checked once, before anything is read
 * or created, from the portal id HubSpot gave with the token's scopes, or else from the account details.
 */
import { ConfigError } from "../errors.js";

/** Throws the guard's ConfigError when the token belongs to another portal than the config expects. */
export async function checkPortal(
  expected: number | undefined,
  known: number | undefined,
  readPortal: () => Promise<number>,
): Promise<void> {
  if (expected === undefined) return;
  const actual = known ?? (await readPortal());
  if (actual === expected) return;
  throw new ConfigError(
    `Guard expected_portal_id fired: this config expects HubSpot portal ${expected}, but its credentials belong ` +
      `to portal ${actual}. Nothing was read or written; use the credentials of portal ${expected}, or change ` +
      "guards.expected_portal_id if this portal is meant.",
  );
}
