/** The sandbox's options: in code (tests, demo) or from a JSON file (`destination-hubspot sandbox --options`). */
import * as z from "zod";
import { closestKey } from "../config/closest-key.js";
import { ConfigError } from "../errors.js";
import { AssociationOptionsSchema } from "./associations-store.js";
import {
  ALL_SCOPES,
  DEFAULT_OAUTH_CLIENT,
  DEFAULT_PRIVATE_APP_TOKEN,
  READ_ONLY_PRIVATE_APP_TOKEN,
  READ_ONLY_SCOPES,
} from "./auth.js";
import { FaultRuleSchema } from "./faults.js";
import { PropertyLimitOptionsSchema } from "./limit-options.js";
import { ListOptionsSchema } from "./lists-store.js";
import { PipelineOptionsSchema } from "./pipelines.js";
import { SeedOptionsSchema } from "./seed-records.js";
import { DEFAULT_RATE_LIMIT } from "./rate-limit.js";
import { SEARCH_REQUESTS_PER_SECOND } from "./search.js";
import { ValidationRuleSchema } from "./validation-rules.js";

export const TIERS = ["starter", "professional", "enterprise"] as const;

export const SandboxOptionsSchema = z.object({
  host: z.string().default("127.0.0.1"),
  port: z.number().int().min(0).max(65_535).default(0),
  portalId: z.number().int().positive().default(12_345_678),
  /** Custom objects (and, on HubSpot, custom events) need an Enterprise hub. @default "enterprise" */
  tier: z.enum(TIERS).default("enterprise"),
  /** @default the all-scopes `sandbox-private-app-token` and the read-only `sandbox-read-only-token` */
  privateAppTokens: z
    .array(
      z.object({
        token: z.string().min(1),
        scopes: z.array(z.string()),
        appId: z.number().int().positive().optional(),
        userId: z.number().int().positive().optional(),
        /** `false`: token info does not know it (a service key, say) and answers 401. @default true */
        introspectable: z.boolean().optional(),
      }),
    )
    .default([
      { token: DEFAULT_PRIVATE_APP_TOKEN, scopes: [...ALL_SCOPES] },
      { token: READ_ONLY_PRIVATE_APP_TOKEN, scopes: [...READ_ONLY_SCOPES] },
    ]),
  oauthClients: z
    .array(
      z.object({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        refreshTokens: z.array(z.string().min(1)),
        scopes: z.array(z.string()),
      }),
    )
    .default([{ ...DEFAULT_OAUTH_CLIENT, scopes: [...ALL_SCOPES] }]),
  /** Lifetime of issued OAuth access tokens. HubSpot's are 1,800 s. */
  accessTokenTtlSeconds: z.number().int().min(1).default(1800),
  rateLimit: z
    .object({
      max: z.number().int().min(1).default(DEFAULT_RATE_LIMIT.max),
      intervalMs: z.number().int().min(1).default(DEFAULT_RATE_LIMIT.intervalMs),
      daily: z.number().int().min(1).default(DEFAULT_RATE_LIMIT.daily),
      /** Add `Retry-After` (seconds) to the limiter's 429s; HubSpot does not promise one. @default false */
      retryAfter: z.boolean().default(false),
    })
    .default({ ...DEFAULT_RATE_LIMIT, retryAfter: false }),
  /** Added latency per API request (not OAuth), mean and ± uniform jitter, in ms. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  latencyJitterMs: z.number().int().min(0).max(60_000).default(0),
  faults: z.array(FaultRuleSchema).default([]),
  /** Seed of the draws behind faults with a `probability`. */
  faultSeed: z.number().int().default(1),
  /** Admin-configured property validation rules, enforced on 2026-09 CRM writes (validation-rules.ts). */
  validationRules: z.array(ValidationRuleSchema).default([]),
  /**
   * Enforce `validationRules` on every version, not only 2026-09. HubSpot's 2023 changelog says rules apply to all
   * API writes from 2023-07-24, while a digest of its versioning page ties them to 2026-09. @default false
   */
  validationRulesOnEveryVersion: z.boolean().default(false),
  /** Keep every property map written in `sandbox.ledger` (memory grows with writes). @default false */
  ledgerHistory: z.boolean().default(false),
  /** Association limits and paging (associations-store.ts). */
  associations: AssociationOptionsSchema,
  /** List size and request caps (lists-store.ts). */
  lists: ListOptionsSchema,
  /** Deal and ticket pipelines besides HubSpot's default ones (pipelines.ts). */
  pipelines: PipelineOptionsSchema,
  /** How many custom properties each object, and the portal, may have (limits.ts). */
  customPropertyLimits: PropertyLimitOptionsSchema,
  /** Records and merges the portal starts with (seed-records.ts). */
  seed: SeedOptionsSchema,
  /**
   * How long a write takes to reach CRM search: records become searchable (and updates visible to search) only
   * this long after they are written, as on HubSpot, whose index trails writes (search-index.ts). @default 0
   */
  searchIndexLagMs: z.number().int().min(0).max(600_000).default(0),
  /** CRM search requests a second for the portal (HubSpot: "five requests per second per account"). @default 5 */
  searchRequestsPerSecond: z.number().int().min(1).default(SEARCH_REQUESTS_PER_SECOND),
  /**
   * A directory of HubSpot's published OpenAPI files (HubSpot-public-api-spec-collection, or any folder of them):
   * every request body and query is then checked against its operation's schema and refused with HubSpot's 400
   * VALIDATION_ERROR when it breaks it (schema-check.ts). The sandbox does not start if the directory cannot be read.
   */
  openapiDir: z.string().min(1).optional(),
  /** With `openapiDir`, also check every answer against the operation's response schema (for the sandbox's tests). */
  checkResponses: z.boolean().default(false),
});

export type SandboxOptions = z.input<typeof SandboxOptionsSchema> & { logger?: (line: string) => void };
export type ResolvedSandboxOptions = z.output<typeof SandboxOptionsSchema> & {
  logger?: (line: string) => void;
};

/**
 * Validates an options file; a problem names the field. Keys the sandbox does not know are kept (and ignored), so
 * that `startSandbox` can warn about them.
 */
export function loadSandboxOptions(json: unknown): SandboxOptions {
  const parsed = SandboxOptionsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(options)"}: ${issue.message}`,
    );
    throw new ConfigError(`The sandbox options are not valid. ${problems.join("; ")}`);
  }
  return { ...(json as object), ...parsed.data };
}

/**
 * One warning per key the options do not know, naming the closest known key when one is near
 * (`latencyMS` → `latencyMs`). Parsing stays lenient: unknown keys are ignored.
 */
export function unknownOptionWarnings(json: unknown): string[] {
  const warnings: string[] = [];
  walk(SandboxOptionsSchema, json, "", warnings);
  return warnings;
}

function walk(schema: z.ZodType, value: unknown, path: string, warnings: string[]): void {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    value.forEach((item, index) => walk(inner.element as z.ZodType, item, `${path}[${index}]`, warnings));
    return;
  }
  if (!(inner instanceof z.ZodObject) || typeof value !== "object" || value === null || Array.isArray(value))
    return;
  const shape = inner.shape as Record<string, z.ZodType>;
  const known = Object.keys(shape);
  for (const [key, child] of Object.entries(value)) {
    const where = path ? `${path}.${key}` : key;
    const childSchema = shape[key];
    if (childSchema) {
      walk(childSchema, child, where, warnings);
      continue;
    }
    const closest = closestKey(key, known);
    warnings.push(
      `Unknown sandbox option "${where}" is ignored${closest ? `; did you mean "${path ? `${path}.` : ""}${closest}"?` : "."}`,
    );
  }
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}
