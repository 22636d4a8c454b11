/**
 * The HubSpot-compatible sandbox: a node:http server on loopback that behaves as HubSpot documents it (statuses,
 * error bodies, limits, rate-limit headers), for the demo, the tests and users trying a pipeline.
 *
 * 1. Every request may first meet an injected fault (see faults.ts).
 * 2. The path is read once (paths.ts): family, version (legacy or a date), rest. An unknown date version is a 501.
 * 3. OAuth and token-info endpoints answer without a token; every other route needs one (401 otherwise).
 * 4. Each authenticated request counts against the caller's rolling window and the portal's day (429 beyond).
 * 5. The route checks its scopes (403 MISSING_SCOPES naming them), then does its work on the in-memory store; a
 *    path the sandbox does not implement is a 501 saying so.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { type Caller, SandboxAuth } from "./auth.js";
import { Faults } from "./faults.js";
import { routeAssociations } from "./associations-routes.js";
import type { WriteLedger } from "./ledger.js";
import { routeLists } from "./lists-routes.js";
import {
  type ResolvedSandboxOptions,
  type SandboxOptions,
  SandboxOptionsSchema,
  unknownOptionWarnings,
} from "./options.js";
import { parsePath } from "./paths.js";
import { RateLimiter } from "./rate-limit.js";
import {
  error,
  notImplemented,
  rateLimited,
  type SandboxResponse,
  serverError,
  versionNotImplemented,
} from "./responses.js";
import { routeApi } from "./routes.js";
import { SandboxStore } from "./store.js";
import { routeTokens } from "./token-routes.js";
import { ValidationRules } from "./validation-rules.js";

export {
  ALL_SCOPES,
  DEFAULT_PRIVATE_APP_TOKEN,
  READ_ONLY_PRIVATE_APP_TOKEN,
  READ_ONLY_SCOPES,
} from "./auth.js";
export { EMAIL_RULES, emailProblem, type EmailRule } from "./email.js";
export type { FaultRule } from "./faults.js";
export type { LedgerEntry, WriteLedger } from "./ledger.js";
export { loadSandboxOptions, type SandboxOptions, unknownOptionWarnings } from "./options.js";
export { API_VERSIONS, type ApiVersion } from "./paths.js";
export type { ValidationRule } from "./validation-rules.js";

/** HubSpot's cap on the event send endpoints (hubspot-api-notes §5.3). */
const EVENT_SENDS_PER_SECOND = 1250;

/** Request bodies larger than this are refused (HubSpot's edge refuses large bodies too). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface SandboxStats {
  requests: number;
  /** Requests per route kind: "upsert", "update", "read", "archive", "properties", "token", … */
  byRoute: Map<string, number>;
  /** Inputs (records, events) those requests carried, per route kind: inputs per request = this ÷ `byRoute`. */
  inputsByRoute: Map<string, number>;
  /** 429s the rate limiter answered (injected ones not counted). */
  rateLimited: number;
  inFlight: number;
  maxInFlight: number;
}

export interface Sandbox {
  url: string;
  portalId: number;
  store: SandboxStore;
  faults: Faults;
  stats: SandboxStats;
  auth: SandboxAuth;
  /** What the sandbox received and applied, per object type and key, and per event uuid (ledger.ts). */
  ledger: WriteLedger;
  /** Unknown option keys, as `unknownOptionWarnings` words them (also sent to `logger`). */
  warnings: string[];
  close(): Promise<void>;
}

/** Starts the sandbox on loopback; unknown option keys are ignored with a warning through `logger`. */
export async function startSandbox(input: SandboxOptions = {}): Promise<Sandbox> {
  const { logger, ...rest } = input;
  const warnings = unknownOptionWarnings(rest);
  for (const warning of warnings) logger?.(warning);
  const options: ResolvedSandboxOptions = { ...SandboxOptionsSchema.parse(rest), logger };
  const store = new SandboxStore(options.portalId, {
    ledgerHistory: options.ledgerHistory,
    associations: options.associations,
    lists: options.lists,
  });
  const rules = new ValidationRules(
    options.validationRules,
    (object) => store.resolve(object)?.definition.objectTypeId,
  );
  const auth = new SandboxAuth(
    options.privateAppTokens,
    options.oauthClients,
    options.accessTokenTtlSeconds,
    options.portalId,
  );
  const limiter = new RateLimiter(options.rateLimit, options.portalId);
  const eventLimiter = new RateLimiter(
    { max: EVENT_SENDS_PER_SECOND, intervalMs: 1000, daily: Number.MAX_SAFE_INTEGER },
    options.portalId,
  );
  const faults = new Faults(options.faults, options.faultSeed);
  const stats: SandboxStats = {
    requests: 0,
    byRoute: new Map(),
    inputsByRoute: new Map(),
    rateLimited: 0,
    inFlight: 0,
    maxInFlight: 0,
  };

  const server = createServer((request, response) => {
    stats.requests += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const started = Date.now();
    response.on("close", () => {
      stats.inFlight -= 1;
    });
    handle(request, response)
      .catch((cause: unknown) => send(response, error(500, undefined, `Sandbox failure: ${String(cause)}`)))
      .finally(() =>
        options.logger?.(
          `${request.method} ${request.url?.split("?")[0]} ${response.statusCode} ${Date.now() - started}ms`,
        ),
      );
  });
  server.keepAliveTimeout = 5_000;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://sandbox");
    const method = request.method ?? "GET";
    const raw = await readBody(request);
    if (raw === undefined) return send(response, error(413, undefined, "Request body too large"));

    const fault = faults.take(method, url.pathname, raw);
    if (fault?.kind === "reset") {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === "delay") await sleep(fault.delayMs ?? 0);
    if (fault?.kind === "expire-token") auth.expireAll();
    if (fault?.kind === "status") {
      const status = fault.status ?? 500;
      const answer =
        status === 429 ? rateLimited(fault.policyName ?? "TEN_SECONDLY_ROLLING") : serverError(status);
      if (fault.retryAfterSeconds !== undefined)
        answer.headers = { "Retry-After": String(fault.retryAfterSeconds) };
      return send(response, answer);
    }

    let answer = await serve(method, url, raw, request);
    if (fault?.kind === "commit-then-status") answer = serverError(fault.status ?? 502);
    send(response, answer);
  }

  async function serve(
    method: string,
    url: URL,
    raw: string,
    request: IncomingMessage,
  ): Promise<SandboxResponse> {
    const path = url.pathname;
    const match = parsePath(path);
    if (match.kind === "unknown-version") return versionNotImplemented(match.version, path);
    if (match.kind === "route" && (match.family === "oauth" || match.family === "token-info")) {
      const authorization = request.headers.authorization;
      const answer = routeTokens({
        method,
        match,
        raw,
        authorization,
        auth,
        portalId: store.portalId,
        count,
      });
      return answer ?? notImplemented(method, path);
    }
    const caller = auth.identify(request.headers.authorization);
    if (!isCaller(caller)) return caller;
    // Event sends are exempt from the burst and daily limits and capped at 1,250 requests a second instead (§5.1).
    const isEventSend = match.kind === "route" && match.family === "events" && match.rest[0] === "send";
    const admission = isEventSend ? eventLimiter.admitSilently(caller) : limiter.admit(caller);
    if (!admission.ok) {
      stats.rateLimited += 1;
      return { ...rateLimited(admission.policyName, admission.groupName), headers: admission.headers };
    }
    if (options.latencyMs > 0 || options.latencyJitterMs > 0) {
      const jitter = (Math.random() * 2 - 1) * options.latencyJitterMs;
      await sleep(Math.max(0, options.latencyMs + jitter));
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch (cause) {
        const detail = cause instanceof Error ? cause.message : "not JSON";
        return {
          ...error(400, undefined, `Invalid input JSON on line 1, column 1: ${detail}`),
          headers: admission.headers,
        };
      }
    }
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
    const answer =
      routeAssociations(linkRequest) ??
      routeLists(linkRequest) ??
      (match.kind === "route"
        ? (routeApi({
            method,
            path,
            match,
            query: url.searchParams,
            body,
            caller,
            store,
            tier: options.tier,
            rules: rules.size > 0 ? rules : undefined,
            rulesOnEveryVersion: options.validationRulesOnEveryVersion,
            count,
            countInputs,
          }) ?? notImplemented(method, path))
        : notImplemented(method, path, match.hint));
    // Read the bucket again as the answer leaves: requests admitted meanwhile have used it too.
    const limitHeaders = isEventSend ? {} : limiter.currentHeaders(caller);
    return { ...answer, headers: { ...limitHeaders, ...answer.headers } };
  }

  function count(route: string): void {
    stats.byRoute.set(route, (stats.byRoute.get(route) ?? 0) + 1);
  }

  function countInputs(route: string, inputs: number): void {
    stats.inputsByRoute.set(route, (stats.inputsByRoute.get(route) ?? 0) + inputs);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    portalId: options.portalId,
    store,
    faults,
    stats,
    auth,
    ledger: store.ledger,
    warnings,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const isCaller = (value: Caller | SandboxResponse): value is Caller => "scopes" in value;

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, answer: SandboxResponse): void {
  if (response.headersSent || response.destroyed) return;
  const headers: Record<string, string> = { "X-HubSpot-Correlation-Id": randomUUID(), ...answer.headers };
  if (answer.body === undefined) {
    response.writeHead(answer.status, headers).end();
    return;
  }
  const text = JSON.stringify(answer.body);
  response
    .writeHead(answer.status, {
      ...headers,
      "Content-Type": "application/json;charset=utf-8",
      "Content-Length": String(Buffer.byteLength(text)),
    })
    .end(text);
}
