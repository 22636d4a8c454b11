/**
 * Compares the scopes a token was granted (OAuth introspection: `getAccessTokenInfo().scopes`) with what a feature
 * needs (`OBJECT_SCOPES`, `EVENT_SCOPES` in `policies.ts`), so `check` can name what is missing before a sync fails.
 */
import type { ScopeRequirement } from "./policies.js";

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
