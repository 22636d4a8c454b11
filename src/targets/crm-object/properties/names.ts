/**
 * What HubSpot takes as a property's internal name, and the label a created property gets: one rule for CRM
 * properties (`create_missing_properties`) and custom event properties (`events.create_definitions`).
 *
 * HubSpot's API pages state no rule for CRM property names; its property editor fixes a name once created and
 * caps it at 100 characters (https://knowledge.hubspot.com/properties/understand-the-property-editor), and names
 * HubSpot makes are lowercase letters, digits and underscores, a letter first. Event property names follow the
 * same pattern in at most 50 characters
 * (https://developers.hubspot.com/docs/api-reference/legacy/events/define-events/guide).
 */

/** Longest internal name of a CRM property. @default 100 */
export const CRM_PROPERTY_NAME_MAX = 100;
/** Longest internal name of a custom event property. @default 50 */
export const EVENT_PROPERTY_NAME_MAX = 50;

/** Why HubSpot cannot take `name` as a property name, or undefined when it can. */
export function propertyNameProblem(name: string, maxLength = CRM_PROPERTY_NAME_MAX): string | undefined {
  if (name.length === 0) return "is empty";
  if (name.length > maxLength) return `is ${name.length} characters long, over HubSpot's ${maxLength}`;
  if (!/^[a-z]/.test(name)) return "does not start with a lowercase letter";
  if (!/^[a-z0-9_]+$/.test(name)) return "holds characters other than lowercase letters, digits and _";
  return undefined;
}

/** What a name must be, for messages. */
export const describeNameRule = (maxLength = CRM_PROPERTY_NAME_MAX) =>
  `lowercase letters, digits and _, starting with a letter, at most ${maxLength} characters`;

/** A created property's label: its name with spaces for underscores (`order_total` → `order total`). */
export const propertyLabel = (name: string, maxLength: number = CRM_PROPERTY_NAME_MAX) =>
  name.replace(/_/g, " ").slice(0, maxLength);
