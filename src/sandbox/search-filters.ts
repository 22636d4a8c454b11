/**
 * CRM search filters as HubSpot's search guide describes them
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm, "Filter search results"):
 * filters in a group are ANDed, groups are ORed.
 *
 * Values compare by the property's type, as HubSpot compares them:
 * - numbers as numbers (`"10"` is greater than `"9"`, `"1.0"` equals `"1"`);
 * - dates and date-times as instants, from epoch milliseconds or ISO 8601 (`"2026-01-05"`, `"1767571200000"`);
 * - booleans as `true`/`false`, in any case;
 * - enumerations exactly (the guide: enumeration values are case-sensitive); a multiple-checkbox value matches
 *   when one of its options does (inferred);
 * - strings without regard to case (so an email matches in any case); LT/GT order them alphabetically.
 * `CONTAINS_TOKEN` matches a word of the value, or the whole value, with `*` as a wildcard (`*@hubspot.com`).
 * NEQ, NOT_IN and NOT_CONTAINS_TOKEN also match records without a value (inferred: HubSpot documents no
 * exception for them), HAS_PROPERTY/NOT_HAS_PROPERTY test for a value.
 */
import type { SeedProperty } from "./seed-shapes.js";

export const OPERATORS = [
  "EQ",
  "NEQ",
  "LT",
  "LTE",
  "GT",
  "GTE",
  "BETWEEN",
  "IN",
  "NOT_IN",
  "HAS_PROPERTY",
  "NOT_HAS_PROPERTY",
  "CONTAINS_TOKEN",
  "NOT_CONTAINS_TOKEN",
] as const;
export type Operator = (typeof OPERATORS)[number];

/** A filter read from a request, its value or values parsed for the property's type. */
export interface Filter {
  property: SeedProperty;
  operator: Operator;
  /** The compared values: one for most operators, two for BETWEEN, any number for IN/NOT_IN. */
  values: Comparable[];
}

export type Comparable = number | string | boolean;

const EPOCH = /^-?\d+$/;
const NEEDS_VALUE: ReadonlySet<Operator> = new Set([
  "EQ",
  "NEQ",
  "LT",
  "LTE",
  "GT",
  "GTE",
  "CONTAINS_TOKEN",
  "NOT_CONTAINS_TOKEN",
]);

/** A filter's compared values, or why they cannot be read. */
export function filterValues(
  property: SeedProperty,
  operator: Operator,
  raw: { value?: unknown; values?: unknown; highValue?: unknown },
): Comparable[] | string {
  const texts: unknown[] =
    operator === "BETWEEN"
      ? [raw.value, raw.highValue]
      : operator === "IN" || operator === "NOT_IN"
        ? Array.isArray(raw.values)
          ? raw.values
          : [undefined]
        : NEEDS_VALUE.has(operator)
          ? [raw.value]
          : [];
  const values: Comparable[] = [];
  for (const text of texts) {
    if (typeof text !== "string" && typeof text !== "number" && typeof text !== "boolean") {
      const field =
        operator === "BETWEEN" ? "value and highValue" : operator.endsWith("IN") ? "values" : "value";
      return `The ${operator} filter on ${property.name} needs ${field}`;
    }
    const parsed = operator.endsWith("CONTAINS_TOKEN")
      ? String(text).toLowerCase()
      : comparable(property, String(text));
    if (parsed === undefined)
      return `${String(text)} is not a valid ${property.type} value for ${property.name}`;
    values.push(parsed);
  }
  return values;
}

/** A stored or filter value as it compares for the property's type; undefined when it is not one. */
export function comparable(property: SeedProperty, text: string): Comparable | undefined {
  switch (property.type) {
    case "number": {
      const number = Number(text);
      return text.trim() !== "" && Number.isFinite(number) ? number : undefined;
    }
    case "date":
    case "datetime": {
      const ms = EPOCH.test(text) ? Number(text) : Date.parse(text);
      return Number.isNaN(ms) ? undefined : ms;
    }
    case "bool":
      return /^(true|false)$/i.test(text) ? text.toLowerCase() === "true" : undefined;
    case "enumeration":
      return text;
    default:
      return text.toLowerCase();
  }
}

/** Whether a record's properties pass one filter. */
export function matches(filter: Filter, properties: Readonly<Record<string, string>>): boolean {
  const { property, operator, values } = filter;
  const stored = properties[property.name];
  const present = stored !== undefined && stored !== "";
  if (operator === "HAS_PROPERTY") return present;
  if (operator === "NOT_HAS_PROPERTY") return !present;
  if (!present) return operator === "NEQ" || operator === "NOT_IN" || operator === "NOT_CONTAINS_TOKEN";
  if (operator === "CONTAINS_TOKEN" || operator === "NOT_CONTAINS_TOKEN") {
    return containsToken(stored, values[0] as string) === (operator === "CONTAINS_TOKEN");
  }
  const candidates = storedValues(property, stored);
  const test = (predicate: (value: Comparable) => boolean) => candidates.some(predicate);
  const [first, second] = values as [Comparable, Comparable];
  switch (operator) {
    case "EQ":
      return test((value) => value === first);
    case "NEQ":
      return !test((value) => value === first);
    case "LT":
      return test((value) => value < first);
    case "LTE":
      return test((value) => value <= first);
    case "GT":
      return test((value) => value > first);
    case "GTE":
      return test((value) => value >= first);
    case "BETWEEN":
      return test((value) => value >= first && value <= second);
    case "IN":
      return test((value) => values.includes(value));
    default:
      return !test((value) => values.includes(value));
  }
}

/** A stored value as it compares: a multiple-checkbox value is each of its options. */
function storedValues(property: SeedProperty, stored: string): Comparable[] {
  const parts = property.fieldType === "checkbox" ? stored.split(";").filter(Boolean) : [stored];
  return parts.map((part) => comparable(property, part)).filter((value) => value !== undefined);
}

function containsToken(stored: string, pattern: string): boolean {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  const glob = new RegExp(`^${source}$`, "i");
  return glob.test(stored) || stored.split(/[\s,;]+/).some((word) => glob.test(word));
}

/** Orders two stored values of a property for `sorts`; a record without a value comes last either way. */
export function compareStored(property: SeedProperty, a: string | undefined, b: string | undefined): number {
  const [left, right] = [
    a === undefined || a === "" ? undefined : comparable(property, a),
    b === undefined || b === "" ? undefined : comparable(property, b),
  ];
  if (left === undefined || right === undefined) return left === right ? 0 : left === undefined ? 1 : -1;
  return left < right ? -1 : left > right ? 1 : 0;
}
