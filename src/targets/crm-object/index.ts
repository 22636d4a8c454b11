/**
 * The crm-object kind: a stream named by a CRM object (CONTACT, COMPANY, DEAL, PRODUCT, or a custom object's name
 * or type id; HubSpot's own spellings too: `contacts`, `0-1`) upserts, updates or archives its records by a
 * unique-value key, or creates a new record per input record (docs/objects.md). It claims every name no other kind claims: a custom object may be called
 * anything.
 */
import type { Config } from "../../config/schema.js";
import type { StreamSpec, WriteMode } from "../../contract.js";
import { canonicalObjectName, OBJECT_SCOPES, STANDARD_OBJECTS } from "../../hubspot/policies.js";
import { propertyWriteScope } from "./properties/index.js";
import type { Kind } from "../kind.js";
import { keyedByRecordId } from "./by-id/routes.js";
import { discoverObjects } from "./discover.js";
import { buildCrmRoutes } from "./routes.js";
import { crmWriteMode, defaultMatchingKey, matchingKey } from "./streams.js";
import { CRM_OBJECT_TARGET } from "./target.js";

/**
 * The scopes a stream of this object needs in a write mode: an archive reads records by key first, and a write by
 * record id reads the ids HubSpot refused, to follow merged ones (by-id/merged-ids.ts).
 */
function objectWriteScopes(objectName: string, mode: WriteMode, idProperty: string) {
  const name = objectName.toUpperCase();
  const scopes = OBJECT_SCOPES[name in STANDARD_OBJECTS ? (name as keyof typeof STANDARD_OBJECTS) : "CUSTOM"];
  const reads = mode === "archive" || keyedByRecordId({ idProperty });
  return reads ? [scopes.write, scopes.read] : [scopes.write];
}

/** Whether a stream may create properties: the option is on, and its schema declares fields a write sets. */
const createsProperties = (spec: StreamSpec, config: Config) =>
  config.create_missing_properties && spec.jsonSchema !== undefined && spec.mode !== "archive";

export const crmObjectKind: Kind = {
  name: CRM_OBJECT_TARGET.kind,
  claims: () => true,
  fallback: true,
  catalogStream(configured, label) {
    const objectName = canonicalObjectName(configured.destination_object_name as string);
    const { primary_key: primaryKey } = configured;
    const mode = crmWriteMode(label, objectName, configured.destination_sync_mode, primaryKey);
    if (mode === "create") return { objectName, mode, idProperty: "" };
    return { objectName, mode, idProperty: matchingKey(label, objectName, primaryKey) };
  },
  rawStream(named, key) {
    const objectName = canonicalObjectName(named);
    // Without a default, the key is asked for once the object's properties are read (routes.ts), to list them.
    return { objectName, idProperty: key ?? defaultMatchingKey(objectName) ?? "" };
  },
  defaults: (objectName) => ({ mode: "upsert", key: defaultMatchingKey(objectName) }),
  scopes: (spec, config) => [
    ...objectWriteScopes(spec.objectName, spec.mode, spec.idProperty),
    ...(createsProperties(spec, config) ? [propertyWriteScope(spec.objectName)] : []),
  ],
  async discover(setup) {
    const discovered = await discoverObjects(setup.client, setup.log);
    setup.objects.push(...discovered.objects);
    return discovered.operations;
  },
  build: buildCrmRoutes,
};
