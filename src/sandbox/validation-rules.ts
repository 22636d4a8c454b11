/**
 * Admin-configured property validation rules (Settings › Properties › a property › Rules; the property validations
 * API: `PUT /crm/property-validations/{v}/{objectTypeId}/{propertyName}/rule-type/{ruleType}` with rule types such
 * as REGEX, MIN_LENGTH and MAX_LENGTH, S-PV 2026-09).
 *
 * HubSpot enforces them on API writes and answers a violation like any invalid value: `Property values were not
 * valid: [{isValid:false, message:<the rule's message>, error:<code>, name}]`, category VALIDATION_ERROR
 * (changelog "Property Validations Rules will be enforced for APIs and Integrations", whose example code is
 * INVALID_ALPHA for a letters-only rule). The codes for the rule kinds the sandbox has are not documented:
 * INVALID_REGEX, INVALID_MIN_LENGTH and INVALID_MAX_LENGTH are inferred from that pattern; a rule may name its own.
 */
import * as z from "zod";

export const ValidationRuleSchema = z.object({
  /** Object type as paths take it: `contacts`, `0-1`, `cars`, … */
  object: z.string().min(1),
  property: z.string().min(1),
  /** A JavaScript regular expression the whole value must match (HubSpot's REGEX rule). */
  pattern: z.string().optional(),
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(0).optional(),
  /** The message HubSpot shows for a violation (admins write it). */
  message: z.string().optional(),
  /** The error code to report instead of the inferred one. */
  code: z.string().optional(),
});
export type ValidationRule = z.input<typeof ValidationRuleSchema>;

/** A rule the value breaks, in HubSpot's words. */
export interface RuleViolation {
  error: string;
  message: string;
}

interface CompiledRule {
  pattern?: RegExp;
  minLength?: number;
  maxLength?: number;
  message?: string;
  code?: string;
}

/** The rules of one portal, looked up by object type id and property. */
export class ValidationRules {
  private readonly byProperty = new Map<string, CompiledRule[]>();

  /** `objectTypeIdOf` resolves a rule's `object` (a name or id) to the object type id, or undefined. */
  constructor(rules: readonly ValidationRule[], objectTypeIdOf: (object: string) => string | undefined) {
    for (const rule of rules) {
      const typeId = objectTypeIdOf(rule.object);
      if (!typeId) throw new Error(`validationRules: unknown object type ${rule.object}`);
      const key = `${typeId}/${rule.property}`;
      const list = this.byProperty.get(key) ?? [];
      list.push({
        ...(rule.pattern !== undefined ? { pattern: new RegExp(rule.pattern, "u") } : {}),
        ...(rule.minLength !== undefined ? { minLength: rule.minLength } : {}),
        ...(rule.maxLength !== undefined ? { maxLength: rule.maxLength } : {}),
        ...(rule.message !== undefined ? { message: rule.message } : {}),
        ...(rule.code !== undefined ? { code: rule.code } : {}),
      });
      this.byProperty.set(key, list);
    }
  }

  get size(): number {
    return this.byProperty.size;
  }

  /** The first rule a non-empty value breaks. */
  check(objectTypeId: string, property: string, value: string): RuleViolation | undefined {
    for (const rule of this.byProperty.get(`${objectTypeId}/${property}`) ?? []) {
      const length = [...value].length;
      if (rule.pattern && !matchesWhole(rule.pattern, value)) {
        return { error: rule.code ?? "INVALID_REGEX", message: rule.message ?? "Enter a valid value" };
      }
      if (rule.minLength !== undefined && length < rule.minLength) {
        return {
          error: rule.code ?? "INVALID_MIN_LENGTH",
          message: rule.message ?? `Enter at least ${rule.minLength} characters`,
        };
      }
      if (rule.maxLength !== undefined && length > rule.maxLength) {
        return {
          error: rule.code ?? "INVALID_MAX_LENGTH",
          message: rule.message ?? `Enter at most ${rule.maxLength} characters`,
        };
      }
    }
    return undefined;
  }
}

function matchesWhole(pattern: RegExp, value: string): boolean {
  const match = pattern.exec(value);
  return match !== null && match.index === 0 && match[0].length === value.length;
}
