/**
 * Pure: whether creating the wanted properties stays within the portal's custom-property limits
 * (`GET /crm/limits/{version}/custom-properties`: an overall limit and usage, and one per object type,
 * https://developers.hubspot.com/docs/api-reference/latest/crm/limits-tracking/get-custom-properties). A run that
 * would pass one is the user's to fix before anything is created: a ConfigError naming the object and the figures.
 */
import { ConfigError } from "../../../errors.js";
import type { CustomPropertyLimits } from "../../../hubspot/property-writes.js";
import type { ObjectWants } from "./wanted.js";

const REMEDY =
  "Leave some fields out of the streams' schemas, archive custom properties the portal no longer uses, or raise the portal's limit; then run again.";

export function checkPropertyRoom(limits: CustomPropertyLimits, wanted: readonly ObjectWants[]): void {
  let total = 0;
  for (const object of wanted) {
    const count = object.properties.size;
    total += count;
    const entry = limits.byObjectType.find((candidate) => candidate.objectTypeId === object.objectType);
    if (!entry || entry.usage + count <= entry.limit) continue;
    const plural = entry.pluralLabel ?? object.objectName;
    throw new ConfigError(
      `create_missing_properties would create ${count} ${count === 1 ? "property" : "properties"} of ${object.objectName} (${names(object)}), but HubSpot allows ${entry.limit} custom properties for ${plural.toLowerCase()} and ${entry.usage} are in use: ${Math.max(0, entry.limit - entry.usage)} left. ${REMEDY}`,
    );
  }
  if (total > 0 && limits.overallUsage + total > limits.overallLimit) {
    const objects = wanted
      .filter((object) => object.properties.size > 0)
      .map((object) => `${object.properties.size} of ${object.objectName}`);
    throw new ConfigError(
      `create_missing_properties would create ${total} properties (${objects.join(", ")}), but the portal allows ${limits.overallLimit} custom properties in all and ${limits.overallUsage} are in use: ${Math.max(0, limits.overallLimit - limits.overallUsage)} left. ${REMEDY}`,
    );
  }
}

const LISTED = 10;
function names(object: ObjectWants): string {
  const all = [...object.properties.keys()];
  return all.slice(0, LISTED).join(", ") + (all.length > LISTED ? `, and ${all.length - LISTED} more` : "");
}
