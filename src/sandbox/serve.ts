/**
 * One request through the sandbox, after its body was read and any injected fault met (server.ts):
 *
 * 1. The path is read once (paths.ts): family, version (legacy or a date), rest. An unknown date version is a 501.
 * 2. OAuth and token-info endpoints answer without a token; every other route needs one (401 otherwise).
 * 3. Each authenticated request counts against its limit: CRM search against the portal's 5 a second, event sends
 *    against 1,250 a second, everything else against the caller's rolling window and the portal's day (429 beyond).
 * 4. The body is parsed (400 for bad JSON), checked against HubSpot's published schema when the sandbox was given
 *    one (schema-check.ts), refused with a 501 if it carries a part the sandbox does not honour (honoured.ts) and
 *    with HubSpot's invalid-input 400 if a field has the wrong type (body-types.ts), in every mode.
 * 5. The route checks its scopes (403 MISSING_SCOPES naming them), then does its work on the in-memory store; a
 *    path the sandbox does not implement is a 501 saying so.
 */
import type { IncomingHttpHeaders } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { SandboxAuth } from "./auth.js";
import { type Caller } from "./auth.js";
import { routeAssociations } from "./associations-routes.js";
import { refuseMistyped } from "./body-types.js";
import { findOperation, refuseUnhonoured } from "./honoured.js";
import { routeLists } from "./lists-routes.js";
import type { ResolvedSandboxOptions } from "./options.js";
import { type ParsedPath, parsePath } from "./paths.js";
import type { RateLimiter } from "./rate-limit.js";
import type { ApiRequest } from "./requests.js";
import {
  error,
  notImplemented,
  rateLimited,
  type SandboxResponse,
  versionNotImplemented,
} from "./responses.js";
import { routeApi } from "./routes.js";
import type { SchemaChecker } from "./schema-check.js";
import { searchRateLimited } from "./search.js";
import type { SandboxStore } from "./store.js";
import { routeTokens } from "./token-routes.js";
import type { ValidationRules } from "./validation-rules.js";

export interface SandboxStats {
  requests: number;
  /** Requests per route kind: "upsert", "update", "read", "archive", "properties", "token", … */
  byRoute: Map<string, number>;
  /** Inputs (records, events) those requests carried, per route kind: inputs per request = this ÷ `byRoute`. */
  inputsByRoute: Map<string, number>;
  /** 429s the rate limiters answered (injected ones not counted). */
  rateLimited: number;
  /** Requests being handled, a write whose caller has gone away included, until it is applied. */
  inFlight: number;
  maxInFlight: number;
}

/** What serving a request needs: the options and the portal's parts, built once by `startSandbox`. */
export interface SandboxParts {
  options: ResolvedSandboxOptions;
  store: SandboxStore;
  auth: SandboxAuth;
  limiters: { api: RateLimiter; events: RateLimiter; search: RateLimiter };
  rules?: ValidationRules;
  schemas?: SchemaChecker;
  stats: SandboxStats;
}

/** A request as the server read it. */
export interface RawRequest {
  method: string;
  url: URL;
  raw: string;
  headers: IncomingHttpHeaders;
}

type Limit = "api" | "events" | "search";

export async function serve(parts: SandboxParts, request: RawRequest): Promise<SandboxResponse> {
  const { method, url } = request;
  const path = url.pathname;
  const match = parsePath(path);
  if (match.kind === "unknown-version") return versionNotImplemented(match.version, path);
  if (match.kind === "route" && (match.family === "oauth" || match.family === "token-info")) {
    return serveTokens(parts, request, match);
  }
  const caller = parts.auth.identify(request.headers.authorization);
  if (!isCaller(caller)) return caller;
  const limit = limitOf(method, path, match.kind === "route" ? match : undefined);
  const refused = admit(parts, caller, limit);
  if (refused) return refused;
  const { latencyMs, latencyJitterMs } = parts.options;
  if (latencyMs > 0 || latencyJitterMs > 0) {
    await sleep(Math.max(0, latencyMs + (Math.random() * 2 - 1) * latencyJitterMs));
  }
  const answer = route(parts, request, caller, match);
  // Read the bucket again as the answer leaves: requests admitted meanwhile have used it too. Search and event
  // sends carry no rate-limit headers (HubSpot's usage guidelines).
  const limitHeaders = limit === "api" ? parts.limiters.api.currentHeaders(caller) : {};
  return { ...answer, headers: { ...limitHeaders, ...answer.headers } };
}

function route(
  parts: SandboxParts,
  request: RawRequest,
  caller: Caller,
  match: ReturnType<typeof parsePath>,
): SandboxResponse {
  const { method, url, raw } = request;
  const path = url.pathname;
  const body = parseJson(raw);
  if (body instanceof ParseFailure)
    return error(400, undefined, `Invalid input JSON on line 1, column 1: ${body.detail}`);
  const invalid = parts.schemas?.checkRequest(method, path, url.searchParams, body);
  if (invalid) return invalid;
  const refusal =
    refuseUnhonoured(method, path, url.searchParams, body) ?? refuseMistyped(method, path, body);
  if (refusal) return refusal;
  const { store, options, stats } = parts;
  const count = (name: string) => stats.byRoute.set(name, (stats.byRoute.get(name) ?? 0) + 1);
  const countInputs = (name: string, inputs: number) =>
    stats.inputsByRoute.set(name, (stats.inputsByRoute.get(name) ?? 0) + inputs);
  const linkRequest = {
    method,
    path,
    query: url.searchParams,
    body,
    caller,
    store,
    tier: options.tier,
    count,
  };
  // Associations and lists have their own routers; each answers undefined for a path that is not theirs.
  const linked = routeAssociations(linkRequest) ?? routeLists(linkRequest);
  if (linked) return linked;
  if (match.kind !== "route") {
    return notImplemented(method, path, match.kind === "unknown" ? match.hint : undefined);
  }
  const apiRequest: ApiRequest = {
    ...linkRequest,
    match,
    rules: parts.rules,
    rulesOnEveryVersion: options.validationRulesOnEveryVersion,
    countInputs,
  };
  return routeApi(apiRequest) ?? notImplemented(method, path);
}

function serveTokens(parts: SandboxParts, request: RawRequest, match: ParsedPath): SandboxResponse {
  const { method, url, raw } = request;
  const json = match.family === "token-info" ? parseJson(raw) : undefined;
  const form = match.family === "oauth" ? new URLSearchParams(raw) : undefined;
  if (!(json instanceof ParseFailure)) {
    const refusal =
      refuseUnhonoured(method, url.pathname, url.searchParams, json, form) ??
      (json === undefined ? undefined : refuseMistyped(method, url.pathname, json));
    if (refusal) return refusal;
  }
  const { stats, auth, store } = parts;
  const answer = routeTokens({
    method,
    match,
    raw,
    authorization: request.headers.authorization,
    auth,
    portalId: store.portalId,
    count: (name) => stats.byRoute.set(name, (stats.byRoute.get(name) ?? 0) + 1),
  });
  return answer ?? notImplemented(method, url.pathname);
}

/**
 * Which limit a request counts against
 * (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines).
 */
function limitOf(method: string, path: string, parsed: ParsedPath | undefined): Limit {
  if (parsed?.family === "events" && parsed.rest[0] === "send") return "events";
  return findOperation(method, path)?.name === "objects.search" ? "search" : "api";
}

function admit(parts: SandboxParts, caller: Caller, limit: Limit): SandboxResponse | undefined {
  const { limiters, stats } = parts;
  // Search's limit is the portal's ("five requests per second per account"); the others are the caller's.
  const bucket = limit === "search" ? { ...caller, key: "portal" } : caller;
  const admission = limit === "api" ? limiters.api.admit(caller) : limiters[limit].admitSilently(bucket);
  if (admission.ok) return undefined;
  stats.rateLimited += 1;
  if (limit === "search") return searchRateLimited();
  return { ...rateLimited(admission.policyName, admission.groupName), headers: admission.headers };
}

class ParseFailure {
  constructor(readonly detail: string) {}
}

function parseJson(raw: string): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw);
  } catch (cause) {
    return new ParseFailure(cause instanceof Error ? cause.message : "not JSON");
  }
}

const isCaller = (value: Caller | SandboxResponse): value is Caller => "scopes" in value;
