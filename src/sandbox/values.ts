/**
 * How HubSpot stores a valid value (https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide), so
 * reads give back what HubSpot would:
 * - contacts' email lower-cased (as HubSpot was seen to answer), and their secondary addresses the same way,
 *   `;`-separated;
 * - a datetime sent as epoch ms comes back as ISO 8601 with `Z` ("Responses always use ISO", D-PROP);
 * - a date sent as midnight epoch ms comes back as `YYYY-MM-DD` (dates are date-only, D-PROP);
 * - a multiple-checkbox value starting with `;` adds its options to the stored ones instead of replacing them
 *   ("a leading `;` appends to existing values", D-PROP), each option once;
 * - everything else as the string that was sent (numbers keep their string form, `"17"`).
 * `null` values are accepted and ignored (HubSpot maintainer on hubspot-api-nodejs#324); `""` clears.
 */
import { SECONDARY_EMAILS, splitEmails } from "./secondary-emails.js";
import type { ObjectState } from "./store.js";

const EPOCH = /^-?\d+$/;

/** The stored form of each non-null value in `properties`, given the record's current values (if any). */
export function storedProperties(
  state: ObjectState,
  properties: Record<string, unknown>,
  current: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(properties)) {
    if (value === null || value === undefined) continue;
    stored[name] = storedValue(state, name, String(value), current[name]);
  }
  return stored;
}

function storedValue(state: ObjectState, name: string, text: string, current: string | undefined): string {
  if (text === "") return text;
  if (name === "email" && state.definition.name === "contacts") return text.trim().toLowerCase();
  if (name === SECONDARY_EMAILS && state.definition.name === "contacts") return splitEmails(text).join(";");
  const definition = state.properties.get(name);
  switch (definition?.type) {
    case "datetime":
      return EPOCH.test(text) ? new Date(Number(text)).toISOString() : text;
    case "date":
      return EPOCH.test(text) ? new Date(Number(text)).toISOString().slice(0, 10) : text;
    case "enumeration":
      if (definition.fieldType === "checkbox" && text.startsWith(";")) {
        const options = [...(current ? current.split(";") : []), ...text.slice(1).split(";")];
        return [...new Set(options.filter(Boolean))].join(";");
      }
      return text;
    default:
      return text;
  }
}
