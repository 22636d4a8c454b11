/**
 * The scope creating an object's properties and property groups needs, from the `security` of
 * `POST /crm/properties/{version}/{objectType}` in HubSpot's Properties spec
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/properties/guide): `crm.schemas.{object}.write`
 * for contacts, companies and deals; `tickets` for tickets; `e-commerce` for products and line items;
 * `crm.schemas.custom.write` for custom objects. The spec names no schema scope of their own for leads and
 * activities (notes, calls, tasks, meetings, emails); the connector asks for the contacts' one for them, which is
 * what the sandbox enforces too (an inference, docs/properties.md says so).
 */
import type { ScopeRequirement } from "../../../contract.js";
import { STANDARD_OBJECTS } from "../../../hubspot/policies.js";

const CONTACTS_SCHEMA_WRITE = ["crm.schemas.contacts.write"];

/** Scope requirement by HubSpot object type id. */
export const PROPERTY_WRITE_SCOPES: Readonly<Record<string, ScopeRequirement>> = {
  "0-1": CONTACTS_SCHEMA_WRITE,
  "0-2": ["crm.schemas.companies.write"],
  "0-3": ["crm.schemas.deals.write"],
  "0-5": ["tickets"],
  "0-7": ["e-commerce"],
  "0-8": ["e-commerce"],
  "0-136": CONTACTS_SCHEMA_WRITE,
  "0-27": CONTACTS_SCHEMA_WRITE,
  "0-46": CONTACTS_SCHEMA_WRITE,
  "0-47": CONTACTS_SCHEMA_WRITE,
  "0-48": CONTACTS_SCHEMA_WRITE,
  "0-49": CONTACTS_SCHEMA_WRITE,
};

/** Custom objects' (and any object the table does not list). */
export const CUSTOM_PROPERTY_WRITE_SCOPE: ScopeRequirement = ["crm.schemas.custom.write"];

/** The scope creating properties of an object needs, by its name in the connector's spelling or its type id. */
export function propertyWriteScope(objectName: string): ScopeRequirement {
  const standard = (STANDARD_OBJECTS as Record<string, { objectTypeId: string } | undefined>)[
    objectName.toUpperCase()
  ];
  const typeId = standard?.objectTypeId ?? objectName;
  return PROPERTY_WRITE_SCOPES[typeId] ?? CUSTOM_PROPERTY_WRITE_SCOPE;
}
