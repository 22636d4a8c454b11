/**
 * Fails before any record is read when the token lacks a write scope a stream needs (the first batch would fail
 * with a 403 mid-run): each stream's scopes as its kind names them, and each association entry's. When HubSpot
 * cannot say what the token may do, the run goes on and says so.
 */
import { associationScopes } from "../associations/index.js";
import type { Config } from "../config/schema.js";
import type { StreamSpec } from "../contract.js";
import { ConfigError } from "../errors.js";
import type { HubSpotClient } from "../hubspot/client.js";
import {
  describeScopeRequirements,
  type GrantedScopes,
  grantedScopes,
  missingScopes,
} from "../hubspot/scopes.js";
import { kindNamed } from "../targets/index.js";
import type { Log } from "./types.js";

export async function checkWriteScopes(
  config: Config,
  specs: readonly StreamSpec[],
  client: HubSpotClient,
  log: Log,
): Promise<GrantedScopes | undefined> {
  const granted = await grantedScopes(client);
  if (!granted) {
    log(
      "INFO",
      "HubSpot did not say which scopes this token has, so write scopes were not checked before writing.",
    );
    return undefined;
  }
  const problems: string[] = [];
  for (const spec of specs) {
    const missing = missingScopes(granted.scopes, kindNamed(spec.kind).scopes(spec, config));
    if (missing.length > 0) {
      problems.push(`stream ${spec.key} (${spec.objectName}) needs ${describeScopeRequirements(missing)}`);
    }
  }
  for (const { entry, needed } of associationScopes(config, specs)) {
    const missing = missingScopes(granted.scopes, needed);
    if (missing.length > 0) problems.push(`${entry} needs ${describeScopeRequirements(missing)}`);
  }
  if (problems.length > 0) {
    throw new ConfigError(
      `The ${granted.credential} token of portal ${granted.hubId} lacks scopes this catalog needs: ${problems.join("; ")}. Add them to the app (or key), then run again.`,
    );
  }
  return granted;
}
