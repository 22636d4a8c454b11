/**
 * Whether writing a record's values would change what HubSpot holds: the plan's `update` (with each property's
 * old → new value) versus `unchanged`. Pure.
 *
 * HubSpot answers values in its own spelling (a datetime as ISO 8601 or epoch milliseconds, a number as it stored
 * it, an email in lower case), so values are compared by what they mean for the property's type, not as text:
 * numbers numerically, datetimes as instants, dates as days, multiple checkboxes as sets (a value starting with
 * `;` adds to the stored ones, https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide), booleans
 * and emails without case. An empty value, a null and no value at all are the same (writing "" clears a property).
 */
import type { Property } from "../hubspot/types.js";
import { mergeCheckboxValue } from "../mapping/merge.js";

/** One property a write would change: HubSpot's value now (null: none) and the value it would hold after. */
export interface PropertyChange {
  from: string | null;
  to: string;
}

const isEmpty = (value: string | null | undefined): value is null | undefined | "" =>
  value === null || value === undefined || value === "";

const isMultiCheckbox = (property: Property | undefined) =>
  property?.type === "enumeration" && property.fieldType === "checkbox";

/** What HubSpot would hold after `next` is written over `current`. */
export function storedAfter(
  property: Property | undefined,
  current: string | null | undefined,
  next: string,
): string {
  if (isMultiCheckbox(property) && next.startsWith(";"))
    return mergeCheckboxValue(current ?? "", next).replace(/^;/, "");
  return next;
}

function instant(value: string): number {
  return /^-?\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
}

function day(value: string): string {
  const text = value.trim();
  return /^-?\d+$/.test(text) ? new Date(Number(text)).toISOString().slice(0, 10) : text.slice(0, 10);
}

const optionSet = (value: string) =>
  [...new Set(value.split(";").filter((part) => part !== ""))].sort().join(";");

/** Whether two stored values mean the same for this property. */
export function sameStored(
  property: Property | undefined,
  a: string | null | undefined,
  b: string | null | undefined,
): boolean {
  if (isEmpty(a) || isEmpty(b)) return isEmpty(a) && isEmpty(b);
  if (a === b) return true;
  switch (property?.type) {
    case "number": {
      const [x, y] = [Number(a), Number(b)];
      return Number.isFinite(x) && Number.isFinite(y) && x === y;
    }
    case "bool":
      return a.trim().toLowerCase() === b.trim().toLowerCase();
    case "datetime": {
      const [x, y] = [instant(a), instant(b)];
      return Number.isFinite(x) && x === y;
    }
    case "date":
      return day(a) === day(b);
    case "enumeration":
      return isMultiCheckbox(property) ? optionSet(a) === optionSet(b) : false;
    default:
      return property?.name === "email" ? a.trim().toLowerCase() === b.trim().toLowerCase() : false;
  }
}

/**
 * The properties writing `properties` would change, given HubSpot's `current` values (undefined: no record, so
 * every non-empty value is a change) and the object's property definitions.
 */
export function changesOf(
  properties: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string | null>> | undefined,
  definitions: ReadonlyMap<string, Property>,
): Record<string, PropertyChange> {
  const changes: Record<string, PropertyChange> = {};
  for (const [name, next] of Object.entries(properties)) {
    const property = definitions.get(name);
    const now = current?.[name] ?? null;
    const after = storedAfter(property, now, next);
    if (!sameStored(property, now, after)) changes[name] = { from: isEmpty(now) ? null : now, to: after };
  }
  return changes;
}
