/**
 * HubSpot's property validation as the sandbox applies it to a write: the problems come back in HubSpot's own shape
 * (`{isValid:false, message, error, name}`,
 * https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis), with its codes where documented.
 *
 * Checked per value, in this order: the property exists; it is not read-only (a create-only one, contacts'
 * `hs_additional_emails`, only when the write creates the record); a non-string value has no leading or trailing
 * whitespace (LEADING_TRAILING_WHITESPACE, changelog "Breaking Change: Enhanced Validations for Non-String
 * Properties", in force since 2025-04-07); the value fits the type (§8), a pipeline stage being checked against its
 * pipeline instead (pipelines.ts); an email is one HubSpot takes (email.ts), each secondary address too; the admin's
 * validation rules, when the path enforces them (validation-rules.ts).
 */
import { emailProblem } from "./email.js";
import { SECONDARY_EMAILS, splitEmails } from "./secondary-emails.js";
import type { SeedProperty } from "./seed-shapes.js";
import type { ObjectState } from "./store.js";
import type { ValidationRules } from "./validation-rules.js";

export interface PropertyProblem {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
  portalId: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** "numeric digits and at most one decimal" (D-PROP); no commas (changelog, May 2023). */
const NUMBER = /^-?\d+(\.\d+)?$/;
const EPOCH = /^-?\d+$/;
/** HubSpot's limit on a string property value (D-PROP). */
const MAX_LENGTH = 65_536;
/** Property types whose values may not carry outer whitespace (the 2025 changelog: "non-string properties"). */
const TRIMMED_TYPES = new Set(["number", "bool", "date", "datetime", "enumeration"]);

export function validateProperties(
  state: ObjectState,
  properties: Record<string, unknown>,
  portalId: number,
  rules?: ValidationRules,
  creating = false,
): PropertyProblem | undefined {
  const problem = (name: string, error: string, message: string): PropertyProblem => ({
    isValid: false,
    message,
    error,
    name,
    localizedErrorMessage: message,
    portalId,
  });
  for (const [name, raw] of Object.entries(properties)) {
    const definition = state.properties.get(name);
    if (!definition) return problem(name, "PROPERTY_DOESNT_EXIST", `Property "${name}" does not exist`);
    // The exact code for a read-only write is not documented (notes §1.7); this one is the sandbox's.
    if (definition.readOnly || (definition.createOnly && !creating)) {
      return problem(name, "READ_ONLY_VALUE", `Property "${name}" is read-only`);
    }
    if (raw === null) continue; // accepted and ignored, as HubSpot does (notes §8)
    const value = typeof raw === "string" ? raw : String(raw);
    if (value === "") continue;
    if (TRIMMED_TYPES.has(definition.type) && value.trim() !== value) {
      return problem(
        name,
        "LEADING_TRAILING_WHITESPACE",
        `"${value}" includes leading or trailing whitespace.`,
      );
    }
    const stage = state.definition.policy.pipeline?.stage === name;
    const typeProblem = stage ? undefined : checkType(definition, value);
    if (typeProblem) return problem(name, typeProblem.error, typeProblem.message);
    const contacts = state.definition.name === "contacts";
    const emails = !contacts
      ? []
      : name === "email"
        ? [value]
        : name === SECONDARY_EMAILS
          ? splitEmails(value)
          : [];
    const badEmail = emails.find((email) => emailProblem(email));
    if (badEmail !== undefined) return problem(name, "INVALID_EMAIL", `Email address ${badEmail} is invalid`);
    const violation = rules?.check(state.definition.objectTypeId, name, value);
    if (violation) return problem(name, violation.error, violation.message);
  }
  return undefined;
}

function checkType(definition: SeedProperty, value: string): { error: string; message: string } | undefined {
  switch (definition.type) {
    case "number":
      return NUMBER.test(value)
        ? undefined
        : { error: "INVALID_INTEGER", message: `${value} was not a valid number` };
    case "bool":
      return value === "true" || value === "false"
        ? undefined
        : { error: "INVALID_BOOLEAN", message: `${value} is not a valid boolean; use true or false` };
    case "date": {
      const message = checkDate(value);
      return message ? { error: "INVALID_DATE", message } : undefined;
    }
    case "datetime":
      return EPOCH.test(value) || !Number.isNaN(Date.parse(value))
        ? undefined
        : { error: "INVALID_DATETIME", message: `${value} is not a valid date-time` };
    case "enumeration": {
      const allowed = definition.options.map((option) => option.value);
      const parts = definition.fieldType === "checkbox" ? value.replace(/^;/, "").split(";") : [value];
      const bad = parts.find((part) => !allowed.includes(part));
      return bad === undefined
        ? undefined
        : {
            error: "INVALID_OPTION",
            message: `${bad} was not one of the allowed options: [${allowed.join(", ")}]`,
          };
    }
    default:
      return value.length > MAX_LENGTH
        ? {
            error: "INVALID_LONG_STRING",
            message: `${definition.name} is longer than ${MAX_LENGTH} characters`,
          }
        : undefined;
  }
}

function checkDate(value: string): string | undefined {
  if (EPOCH.test(value)) {
    const ms = Number(value);
    if (ms % 86_400_000 === 0) return undefined;
    const time = new Date(ms).toISOString().slice(11, 23);
    return `${value} is at ${time} UTC, not midnight!`;
  }
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    return `${value} is not a valid date`;
  return undefined;
}

/** Properties a create must carry: the object's required ones still missing or empty in `properties`. */
export function missingRequired(state: ObjectState, properties: Record<string, unknown>): string[] {
  const present = (name: string) => {
    const value = properties[name];
    return value !== undefined && value !== null && String(value) !== "";
  };
  const { requiredProperties, requiredOneOf } = state.definition;
  const missing = requiredProperties.filter((name) => !present(name));
  if (requiredOneOf && !requiredOneOf.some(present)) missing.push(requiredOneOf.join(" or "));
  return missing;
}
