/**
 * The HubSpot-compatible sandbox: a node:http server on loopback that behaves as HubSpot documents it (statuses,
 * error bodies, limits, rate-limit headers), for the demo, the tests and users trying their own code.
 *
 * 1. Every request may first meet an injected fault (see faults.ts).
 * 2. Then it is served (serve.ts): path, credentials, limits, schema, the honoured parts, the route.
 * 3. The answer leaves with a correlation id, and is checked against HubSpot's response schema when told to.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { SandboxAuth } from "./auth.js";
import { Faults } from "./faults.js";
import type { WriteLedger } from "./ledger.js";
import {
  type ResolvedSandboxOptions,
  type SandboxOptions,
  SandboxOptionsSchema,
  unknownOptionWarnings,
} from "./options.js";
import { RateLimiter } from "./rate-limit.js";
import { error, rateLimited, type SandboxResponse, serverError } from "./responses.js";
import type { SchemaChecker, SchemaReport } from "./schema-check.js";
import { type RawRequest, type SandboxParts, type SandboxStats, serve } from "./serve.js";
import { seedRecords } from "./seed-records.js";
import { SandboxStore } from "./store.js";
import { ValidationRules } from "./validation-rules.js";

export {
  ALL_SCOPES,
  DEFAULT_PRIVATE_APP_TOKEN,
  READ_ONLY_PRIVATE_APP_TOKEN,
  READ_ONLY_SCOPES,
} from "./auth.js";
export { EMAIL_RULES, emailProblem, type EmailRule } from "./email.js";
export { INFERENCES, type Inference } from "./inferences.js";
export { mergeRecords } from "./merge.js";
export type { FaultRule } from "./faults.js";
export type { LedgerEntry, WriteLedger } from "./ledger.js";
export { loadSandboxOptions, type SandboxOptions, unknownOptionWarnings } from "./options.js";
export { API_VERSIONS, type ApiVersion } from "./paths.js";
export type { ValidationRule } from "./validation-rules.js";
export type { SandboxStats } from "./serve.js";
export type { SchemaFailure, SchemaReport } from "./schema-check.js";

/**
 * HubSpot's cap on the event send endpoints
 * (https://developers.hubspot.com/docs/api-reference/legacy/events/send-event-data/guide, "Limits").
 */
const EVENT_SENDS_PER_SECOND = 1250;

/** Request bodies larger than this are refused (HubSpot's edge refuses large bodies too). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface Sandbox {
  url: string;
  portalId: number;
  store: SandboxStore;
  faults: Faults;
  stats: SandboxStats;
  auth: SandboxAuth;
  /** What the sandbox received and applied, per object type and key, and per event uuid (ledger.ts). */
  ledger: WriteLedger;
  /** Requests and answers checked against HubSpot's published schemas, when `openapiDir` is set. */
  schemas?: SchemaReport;
  /** Unknown option keys, as `unknownOptionWarnings` words them (also sent to `logger`). */
  warnings: string[];
  close(): Promise<void>;
}

/**
 * Starts the sandbox on loopback; unknown option keys are ignored with a warning through `logger`. With
 * `openapiDir`, HubSpot's OpenAPI files are read first: a directory that cannot be read fails the start.
 */
export async function startSandbox(input: SandboxOptions = {}): Promise<Sandbox> {
  const { logger, ...rest } = input;
  const warnings = unknownOptionWarnings(rest);
  for (const warning of warnings) logger?.(warning);
  const options: ResolvedSandboxOptions = { ...SandboxOptionsSchema.parse(rest), logger };
  const parts = await buildParts(options);
  const faults = new Faults(options.faults, options.faultSeed);
  const server = createServer((request, response) => {
    const { stats } = parts;
    stats.requests += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const started = Date.now();
    handle(parts, faults, request, response)
      .catch((cause: unknown) => send(response, error(500, undefined, `Sandbox failure: ${String(cause)}`)))
      .finally(() => {
        // In flight until its work is done, not until its connection closes: a write whose caller went away (killed,
        // timed out) is still applied after the latency, as HubSpot applies it, and counts until then.
        stats.inFlight -= 1;
        logger?.(
          `${request.method} ${request.url?.split("?")[0]} ${response.statusCode} ${Date.now() - started}ms`,
        );
      });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const { store, stats, auth, schemas } = parts;
  return {
    url: `http://${host}:${port}`,
    portalId: options.portalId,
    ...{ store, stats, auth, faults, warnings, ledger: store.ledger },
    ...(schemas ? { schemas: schemas.report } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function buildParts(options: ResolvedSandboxOptions): Promise<SandboxParts> {
  const store = new SandboxStore(options.portalId, {
    ledgerHistory: options.ledgerHistory,
    associations: options.associations,
    lists: options.lists,
    pipelines: options.pipelines,
    customPropertyLimits: options.customPropertyLimits,
    searchIndexLagMs: options.searchIndexLagMs,
  });
  seedRecords(store, options.seed);
  const rules = new ValidationRules(
    options.validationRules,
    (object) => store.resolve(object)?.definition.objectTypeId,
  );
  const { privateAppTokens, oauthClients, accessTokenTtlSeconds, portalId } = options;
  const unlimitedDay = Number.MAX_SAFE_INTEGER;
  const perSecond = (max: number) =>
    new RateLimiter({ max, intervalMs: 1000, daily: unlimitedDay }, portalId);
  return {
    options,
    store,
    auth: new SandboxAuth(privateAppTokens, oauthClients, accessTokenTtlSeconds, portalId),
    limiters: {
      api: new RateLimiter(options.rateLimit, portalId),
      events: perSecond(EVENT_SENDS_PER_SECOND),
      search: perSecond(options.searchRequestsPerSecond),
    },
    ...(rules.size > 0 ? { rules } : {}),
    ...(options.openapiDir
      ? { schemas: await schemaChecker(options.openapiDir, options.checkResponses) }
      : {}),
    stats: {
      requests: 0,
      byRoute: new Map(),
      inputsByRoute: new Map(),
      rateLimited: 0,
      inFlight: 0,
      maxInFlight: 0,
    },
  };
}

/** Loads ajv and HubSpot's files only when asked to check against them. */
async function schemaChecker(dir: string, responses: boolean): Promise<SchemaChecker> {
  const { loadSchemaChecker } = await import("./schema-check.js");
  return loadSchemaChecker(dir, { responses });
}

async function handle(
  parts: SandboxParts,
  faults: Faults,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
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
  if (fault?.kind === "expire-token") parts.auth.expireAll();
  if (fault?.kind === "status") {
    const status = fault.status ?? 500;
    const answer =
      status === 429 ? rateLimited(fault.policyName ?? "TEN_SECONDLY_ROLLING") : serverError(status);
    if (fault.retryAfterSeconds !== undefined)
      answer.headers = { "Retry-After": String(fault.retryAfterSeconds) };
    return send(response, answer);
  }
  const served: RawRequest = { method, url, raw, headers: request.headers };
  let answer = await serve(parts, served);
  if (fault?.kind === "commit-then-status") answer = serverError(fault.status ?? 502);
  else {
    const failure = parts.schemas?.checkResponse(method, url.pathname, answer);
    if (failure) {
      parts.options.logger?.(
        `Answer to ${method} ${url.pathname} (${answer.status}) breaks ${failure.operation} in ${failure.file}: ${failure.problems.slice(0, 3).join("; ")}`,
      );
    }
  }
  send(response, answer);
}

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
