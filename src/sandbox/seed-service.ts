/**
 * Tickets, line items and leads, with the properties their guides name and D-OBJ's required properties
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis, "Required properties to create
 * records"): tickets `subject`, `hs_pipeline` and `hs_pipeline_stage`; line items none. Leads follow their own guide
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/leads/guide): a lead "must have a lead name,
 * specified using the `hs_lead_name` property" and "must be associated with an existing contact"; D-OBJ's table
 * lists the `hs_associated_*` properties too, which HubSpot fills from those links, so the sandbox has them
 * read-only.
 *
 * Built-in unique keys: tickets `hs_external_object_ids` and line items `hs_external_id`, as a third party verified
 * on a live portal (bruin-data/ingestr PR #1179, 2026-09); HubSpot's docs name none.
 */
import { object, policy, type Spec, standardScopes } from "./seed-builder.js";
import type { SeedObject } from "./seed-shapes.js";

function tickets(): SeedObject {
  // The `tickets` scope covers reading and writing tickets and their properties (the Tickets and Properties specs).
  const scopes = { read: ["tickets"], write: ["tickets"], schemaRead: ["tickets"], schemaWrite: ["tickets"] };
  const read = ["subject", "content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_priority"];
  return object(
    {
      objectTypeId: "0-5",
      name: "tickets",
      custom: false,
      singular: "Ticket",
      plural: "Tickets",
      primaryDisplayProperty: "subject",
      requiredProperties: ["subject", "hs_pipeline", "hs_pipeline_stage"],
      policy: policy(
        scopes,
        { read, searchable: ["subject", "content"] },
        { mergeable: true, pipeline: { pipeline: "hs_pipeline", stage: "hs_pipeline_stage" } },
      ),
    },
    [
      ["subject", "string"],
      ["content", "string", { fieldType: "textarea" }],
      // Their options are the portal's ticket pipelines and stages (pipelines.ts fills them in).
      ["hs_pipeline", "enumeration"],
      ["hs_pipeline_stage", "enumeration"],
      ["hs_ticket_priority", "enumeration", { values: ["LOW", "MEDIUM", "HIGH", "URGENT"] }],
      [
        "hs_ticket_category",
        "enumeration",
        {
          fieldType: "checkbox",
          values: ["PRODUCT_ISSUE", "BILLING_ISSUE", "FEATURE_REQUEST", "GENERAL_INQUIRY"],
        },
      ],
      ["source_type", "enumeration", { values: ["CHAT", "EMAIL", "FORM", "PHONE"] }],
      ["hs_external_object_ids", "string", { hasUniqueValue: true }],
    ],
  );
}

function lineItems(): SeedObject {
  const read = ["crm.objects.line_items.read", "e-commerce"];
  const scopes = {
    read,
    write: ["crm.objects.line_items.write", "e-commerce"],
    schemaRead: ["crm.schemas.line_items.read", ...read],
    schemaWrite: ["e-commerce"],
  };
  return object(
    {
      objectTypeId: "0-8",
      name: "line_items",
      aliases: ["line_item"],
      custom: false,
      singular: "Line item",
      plural: "Line items",
      primaryDisplayProperty: "name",
      requiredProperties: [],
      policy: policy(scopes, { read: ["name", "price", "quantity", "hs_product_id", "amount"] }),
    },
    [
      ["name", "string"],
      ["description", "string", { fieldType: "textarea" }],
      ["price", "number"],
      ["quantity", "number"],
      ["discount", "number"],
      ["amount", "number", { calculated: true, readOnly: true }],
      ["hs_product_id", "string"],
      ["hs_sku", "string"],
      ["hs_external_id", "string", { hasUniqueValue: true }],
    ],
  );
}

function leads(): SeedObject {
  const scopes = { ...standardScopes("leads"), schemaRead: ["crm.objects.leads.read"] };
  // HubSpot's specs name no schema scope for leads; the sandbox asks for the contacts' one (inferred).
  scopes.schemaWrite = ["crm.schemas.contacts.write"];
  const associated = [
    "contact_email",
    "contact_firstname",
    "contact_lastname",
    "company_name",
    "company_domain",
  ];
  return object(
    {
      objectTypeId: "0-136",
      name: "leads",
      custom: false,
      singular: "Lead",
      plural: "Leads",
      primaryDisplayProperty: "hs_lead_name",
      requiredProperties: ["hs_lead_name"],
      policy: policy(
        scopes,
        { read: ["hs_lead_name", "hs_lead_type", "hs_lead_label"], searchable: ["hs_lead_name"] },
        { requiredLinks: ["0-1"] },
      ),
    },
    [
      ["hs_lead_name", "string"],
      // The guide's example sends "NEW BUSINESS" and "WARM"; the other options are inferred.
      ["hs_lead_type", "enumeration", { values: ["NEW BUSINESS", "EXISTING BUSINESS"] }],
      ["hs_lead_label", "enumeration", { values: ["HOT", "WARM", "COLD"] }],
      ...associated.map(
        (name) => [`hs_associated_${name}`, "string", { calculated: true, readOnly: true }] as Spec,
      ),
    ],
  );
}

export function serviceObjects(): SeedObject[] {
  return [tickets(), lineItems(), leads()];
}
