/**
 * HubSpot's property validation as the sandbox applies it to a write: the problems come back in HubSpot's own shape
 * (`{isValid:false, message, error, name}`, hubspot-api-notes §1.7), with its codes where documented.
 */
import type { ObjectState } from "./store.js";

export interface PropertyProblem {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
  portalId: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
/** HubSpot's limit on a string property value (D-PROP). */
const MAX_LENGTH = 65_536;

export function validateProperties(
  state: ObjectState,
  properties: Record<string, unknown>,
  portalId: number,
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
    if (definition.readOnly) return problem(name, "READ_ONLY_VALUE", `Property "${name}" is read-only`);
    if (raw === null) continue; // accepted and ignored, as HubSpot does (notes §8)
    const value = typeof raw === "string" ? raw : String(raw);
    if (value === "") continue;
    if (value.length > MAX_LENGTH) {
      return problem(name, "INVALID_LONG_STRING", `${name} is longer than ${MAX_LENGTH} characters`);
    }
    switch (definition.type) {
      case "number":
        if (!NUMBER.test(value)) return problem(name, "INVALID_INTEGER", `${value} was not a valid number`);
        break;
      case "bool":
        if (value !== "true" && value !== "false") {
          return problem(name, "INVALID_BOOLEAN", `${value} is not a valid boolean; use true or false`);
        }
        break;
      case "date": {
        const dateProblem = checkDate(value);
        if (dateProblem) return problem(name, "INVALID_DATE", dateProblem);
        break;
      }
      case "datetime":
        if (!/^-?\d+$/.test(value) && Number.isNaN(Date.parse(value))) {
          return problem(name, "INVALID_DATETIME", `${value} is not a valid date-time`);
        }
        break;
      case "enumeration": {
        const allowed = definition.options.map((option) => option.value);
        const parts = definition.fieldType === "checkbox" ? value.replace(/^;/, "").split(";") : [value];
        const bad = parts.find((part) => !allowed.includes(part));
        if (bad !== undefined) {
          return problem(
            name,
            "INVALID_OPTION",
            `${bad} was not one of the allowed options: [${allowed.join(", ")}]`,
          );
        }
        break;
      }
      default:
        if (name === "email" && state.definition.name === "contacts" && !EMAIL.test(value)) {
          return problem(name, "INVALID_EMAIL", `Email address ${value} is invalid`);
        }
    }
  }
  return undefined;
}

function checkDate(value: string): string | undefined {
  if (/^-?\d+$/.test(value)) {
    const ms = Number(value);
    if (ms % 86_400_000 === 0) return undefined;
    const time = new Date(ms).toISOString().slice(11, 23);
    return `${value} is at ${time} UTC, not midnight!`;
  }
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    return `${value} is not a valid date`;
  return undefined;
}

/** HubSpot stores dates given as midnight epoch ms as they were sent; the sandbox keeps ISO dates as ISO. */
export function storedValue(state: ObjectState, name: string, value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  if (name === "email" && state.definition.name === "contacts") return text.trim().toLowerCase();
  return text;
}
