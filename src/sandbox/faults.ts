/**
 * Injected faults for reliability tests: each rule matches requests by method and path and fires a number of times.
 * - status: answer that status with a HubSpot-shaped body (a 429 names its policy; Retry-After when given);
 * - commit-then-status: do the request, then answer the status instead (HubSpot's 502/504 after a committed write);
 * - reset: destroy the connection without an answer;
 * - delay: wait, then serve normally (slower than a client timeout, if long enough);
 * - expire-token: expire every OAuth access token issued so far, then serve (the call then gets 401 EXPIRED).
 */
import * as z from "zod";

export const FaultRuleSchema = z.object({
  kind: z.enum(["status", "commit-then-status", "reset", "delay", "expire-token"]),
  /** Substring of the request path (without the query); absent matches every path. */
  path: z.string().optional(),
  method: z.string().optional(),
  /** Substring of the raw request body: the rule fires only for requests carrying it (one record, say). */
  bodyContains: z.string().optional(),
  /** How many matching requests the rule fires for. */
  times: z.number().int().min(1).default(1),
  /** Matching requests to let through before the rule starts firing. */
  after: z.number().int().min(0).default(0),
  /** Fire for this share of matching requests (seeded, so a run can be replayed), up to `times`. @default 1 */
  probability: z.number().min(0).max(1).default(1),
  status: z.number().int().min(100).max(599).optional(),
  policyName: z.enum(["TEN_SECONDLY_ROLLING", "DAILY"]).optional(),
  retryAfterSeconds: z.number().min(0).optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
});
export type FaultRule = z.input<typeof FaultRuleSchema>;
type ParsedRule = z.output<typeof FaultRuleSchema> & { seen: number; fired: number };

export class Faults {
  private rules: ParsedRule[] = [];
  private state: number;

  constructor(initial: readonly FaultRule[] = [], seed = 1) {
    this.state = seed >>> 0;
    for (const rule of initial) this.add(rule);
  }

  /** mulberry32: the seeded draw behind `probability`. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  add(rule: FaultRule): void {
    this.rules.push({ ...FaultRuleSchema.parse(rule), seen: 0, fired: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Times each rule has fired, in the order added. */
  get fired(): number[] {
    return this.rules.map((rule) => rule.fired);
  }

  /** The rule that fires for this request, if any (consuming one of its times). */
  take(method: string, path: string, body = ""): ParsedRule | undefined {
    for (const rule of this.rules) {
      if (rule.fired >= rule.times) continue;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.path && !path.includes(rule.path)) continue;
      if (rule.bodyContains !== undefined && !body.includes(rule.bodyContains)) continue;
      rule.seen += 1;
      if (rule.seen <= rule.after) continue;
      if (rule.probability < 1 && this.random() >= rule.probability) continue;
      rule.fired += 1;
      return rule;
    }
    return undefined;
  }
}
