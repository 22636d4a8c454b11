/** What the routers receive for one authenticated API request, as the server builds it. */
import type { Caller } from "./auth.js";
import type { ParsedPath } from "./paths.js";
import type { SandboxStore } from "./store.js";
import type { ValidationRules } from "./validation-rules.js";

/**
 * What the associations and lists routers read from a request: a subset of what the CRM routes get, so the server
 * can offer them the same object before (and whatever) the CRM routes match.
 */
export interface LinkRequest {
  method: string;
  /** The request path without the query string. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  caller: Caller;
  store: SandboxStore;
  tier: "starter" | "professional" | "enterprise";
  /** Counts a request per route kind in `sandbox.stats.byRoute`. */
  count: (route: string) => void;
}

/** What the CRM routes (objects, properties, schemas, events, account) get besides a link request's fields. */
export interface ApiRequest extends LinkRequest {
  match: ParsedPath;
  /** Admin validation rules (enforced on 2026-09 paths, or on every version when told). */
  rules?: ValidationRules;
  rulesOnEveryVersion: boolean;
  countInputs: (route: string, inputs: number) => void;
}
