/**
 * What `check` says of `create_missing_properties` when it is on: which of the objects the token can write it can
 * also create properties of (their schema-write scope, scopes.ts), and the portal's custom-property room. No
 * object at all is a failure; some objects without the scope are listed. When HubSpot does not say which scopes
 * the token has, the limits read alone stands for the check.
 */
import type { Config } from "../../../config/schema.js";
import { OBJECT_SCOPES, STANDARD_OBJECT_NAMES } from "../../../hubspot/policies.js";
import { type PropertiesTransport, readCustomPropertyLimits } from "../../../hubspot/property-writes.js";
import { CUSTOM_PROPERTY_WRITE_SCOPE, propertyWriteScope } from "./scopes.js";

export type PropertyCheck = { ok: true; summary: string | undefined } | { ok: false; reason: string };

export async function checkPropertyCreation(
  config: Config,
  client: PropertiesTransport,
  scopes: readonly string[] | undefined,
): Promise<PropertyCheck> {
  if (!config.create_missing_properties) return { ok: true, summary: undefined };
  const granted = new Set(scopes ?? []);
  const has = (anyOf: readonly string[]) => anyOf.some((scope) => granted.has(scope));
  const objects = [
    ...STANDARD_OBJECT_NAMES.map((name) => ({
      name,
      write: OBJECT_SCOPES[name].write,
      create: propertyWriteScope(name),
    })),
    { name: "custom objects", write: OBJECT_SCOPES.CUSTOM.write, create: CUSTOM_PROPERTY_WRITE_SCOPE },
  ].filter((object) => scopes === undefined || has(object.write));
  const creatable = objects.filter((object) => has(object.create)).map((object) => object.name);
  const lacking = objects
    .filter((object) => !has(object.create))
    .map((object) => `${object.name} needs ${object.create.join(" or ")}`);
  if (scopes !== undefined && creatable.length === 0) {
    return {
      ok: false,
      reason: `create_missing_properties is on, but the token can create the properties of none of the objects it writes: ${lacking.join("; ")}. Add the scopes to the app (or key), or turn the option off.`,
    };
  }
  const limits = await readCustomPropertyLimits(client);
  const room = `${limits.overallUsage} of ${limits.overallLimit} custom properties in use`;
  if (scopes === undefined) {
    return { ok: true, summary: `create_missing_properties: ${room}; schema-write scopes not verified` };
  }
  const without = lacking.length > 0 ? `; not of ${lacking.join("; ")}` : "";
  return {
    ok: true,
    summary: `create_missing_properties: can create properties of ${creatable.join(", ")}${without}; ${room}`,
  };
}
