/**
 * Compares the scopes a token was granted (OAuth introspection, or a private app's / service key's
 * access-token-info) with what a stream needs (each kind's `scopes`, from `OBJECT_SCOPES` and `EVENT_SCOPES` in
 * policies.ts), so `check` and `write` can name what is missing before a sync fails mid-run with a 403.
 */
import type { ScopeRequirement } from "../contract.js";
import type { HubSpotClient } from "./client.js";

/** What the token is allowed, as HubSpot reports it. */
export interface GrantedScopes {
  hubId: number;
  scopes: string[];
  credential: "OAuth" | "private app or service key";
}

/**
 * The token's portal and scopes, or undefined when HubSpot cannot say (a service key the private-app endpoint
 * does not know): the caller then probes instead and says write scopes were not verified.
 */
export async function grantedScopes(client: HubSpotClient): Promise<GrantedScopes | undefined> {
  const oauth = await client.getAccessTokenInfo();
  if (oauth) return { hubId: oauth.hub_id, scopes: oauth.scopes, credential: "OAuth" };
  const privateApp = await client.getPrivateAppTokenInfo();
  if (privateApp)
    return { hubId: privateApp.hubId, scopes: privateApp.scopes, credential: "private app or service key" };
  return undefined;
}

/** The requirements none of whose alternatives is granted. */
export function missingScopes(
  granted: readonly string[],
  requirements: readonly ScopeRequirement[],
): ScopeRequirement[] {
  const have = new Set(granted);
  return requirements.filter((anyOf) => !anyOf.some((scope) => have.has(scope)));
}

/** "a or b, c": a readable list of unmet requirements. */
export function describeScopeRequirements(requirements: readonly ScopeRequirement[]): string {
  return requirements.map((anyOf) => anyOf.join(" or ")).join(", ");
}
