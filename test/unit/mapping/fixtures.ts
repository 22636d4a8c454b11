import type { Property } from "../../../src/hubspot/types.js";
import { compileObjectMapping, type ObjectMappingOptions } from "../../../src/mapping/index.js";

const options = (...values: string[]) => values.map((value) => ({ value, label: value }));

export const CONTACT_PROPERTIES: Property[] = [
  { name: "email", type: "string", fieldType: "text" },
  { name: "firstname", type: "string", fieldType: "text" },
  { name: "external_id", type: "string", fieldType: "text", hasUniqueValue: true },
  { name: "age", type: "number", fieldType: "number" },
  { name: "hs_email_optout", type: "bool", fieldType: "booleancheckbox" },
  { name: "date_of_birth", type: "date", fieldType: "date" },
  { name: "last_seen", type: "datetime", fieldType: "date" },
  {
    name: "lifecyclestage",
    type: "enumeration",
    fieldType: "radio",
    options: options("subscriber", "lead", "customer"),
  },
  {
    name: "hs_buying_role",
    type: "enumeration",
    fieldType: "checkbox",
    options: options("BUDGET_HOLDER", "END_USER", "CHAMPION"),
  },
  { name: "hubspot_owner_id", type: "enumeration", fieldType: "select", externalOptions: true },
  { name: "createdate", type: "datetime", modificationMetadata: { readOnlyValue: true } },
  { name: "num_notes", type: "number", calculated: true },
  {
    name: "hs_object_id",
    type: "number",
    hasUniqueValue: true,
    modificationMetadata: { readOnlyValue: true },
  },
];

export const CAR_PROPERTIES: Property[] = [
  { name: "car_id", type: "string", hasUniqueValue: true },
  { name: "vin_number", type: "number", hasUniqueValue: true },
  { name: "make", type: "string" },
];

/** A contacts mapper with the config's defaults, matched by email; any option can be overridden. */
export const compileContacts = (overrides: Partial<ObjectMappingOptions> = {}) =>
  compileObjectMapping({
    objectName: "CONTACT",
    properties: CONTACT_PROPERTIES,
    matchingKey: "email",
    mode: "upsert",
    unknownProperties: "reject",
    nullValues: "clear",
    dateTimeZone: "UTC",
    ...overrides,
  });
