/** The sandbox's options: in code (tests, demo) or from a JSON file (`destination-hubspot sandbox --options`). */
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { AssociationOptionsSchema } from "./associations-store.js";
import { ALL_SCOPES, DEFAULT_OAUTH_CLIENT, DEFAULT_PRIVATE_APP_TOKEN } from "./auth.js";
import { FaultRuleSchema } from "./faults.js";
import { ListOptionsSchema } from "./lists-store.js";
import { DEFAULT_RATE_LIMIT } from "./rate-limit.js";

export const TIERS = ["starter", "professional", "enterprise"] as const;

export const SandboxOptionsSchema = z.object({
  host: z.string().default("127.0.0.1"),
  port: z.number().int().min(0).max(65_535).default(0),
  portalId: z.number().int().positive().default(12_345_678),
  /** Custom objects (and, on HubSpot, custom events) need an Enterprise hub. @default "enterprise" */
  tier: z.enum(TIERS).default("enterprise"),
  privateAppTokens: z
    .array(z.object({ token: z.string().min(1), scopes: z.array(z.string()) }))
    .default([{ token: DEFAULT_PRIVATE_APP_TOKEN, scopes: [...ALL_SCOPES] }]),
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
    })
    .default(DEFAULT_RATE_LIMIT),
  /** Added latency per API request (not OAuth), mean and ± uniform jitter, in ms. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  latencyJitterMs: z.number().int().min(0).max(60_000).default(0),
  faults: z.array(FaultRuleSchema).default([]),
  /** Association limits and paging (associations-store.ts). */
  associations: AssociationOptionsSchema,
  /** List size and request caps (lists-store.ts). */
  lists: ListOptionsSchema,
});

export type SandboxOptions = z.input<typeof SandboxOptionsSchema> & { logger?: (line: string) => void };
export type ResolvedSandboxOptions = z.output<typeof SandboxOptionsSchema> & {
  logger?: (line: string) => void;
};

/** Validates an options file; a problem names the field. */
export function loadSandboxOptions(json: unknown): SandboxOptions {
  const parsed = SandboxOptionsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(options)"}: ${issue.message}`,
    );
    throw new ConfigError(`The sandbox options are not valid. ${problems.join("; ")}`);
  }
  return parsed.data;
}
