/**
 * Contacts, companies, deals and products, and two custom objects (`cars` with a unique, required `car_id`; `pets`
 * with a required `pet_name` and no unique property). Required properties on create are D-OBJ's table ("Required
 * properties to create records", https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis):
 * deals need `dealname`, `dealstage` and `pipeline`; products `hs_sku`, `hs_folder`, `price`, `name` and
 * `description`; companies at least one of `domain` or `name`; contacts none; custom objects their schema's
 * `requiredProperties`. What reads and searches show by default is the search guide's list where it gives one
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm), inferred otherwise.
 */
import { object, policy, standardScopes } from "./seed-builder.js";
import type { SeedObject } from "./seed-shapes.js";

const LIFECYCLE = [
  "subscriber",
  "lead",
  "marketingqualifiedlead",
  "salesqualifiedlead",
  "opportunity",
  "customer",
  "evangelist",
  "other",
];
const BUYING_ROLES = [
  "BUDGET_HOLDER",
  "CHAMPION",
  "DECISION_MAKER",
  "END_USER",
  "EXECUTIVE_SPONSOR",
  "INFLUENCER",
  "LEGAL_AND_COMPLIANCE",
  "OTHER",
];

function contacts(): SeedObject {
  const shown = {
    read: ["email", "firstname", "lastname"],
    search: ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
    searchable: ["firstname", "lastname", "email", "phone", "company"],
  };
  return object(
    {
      objectTypeId: "0-1",
      name: "contacts",
      custom: false,
      singular: "Contact",
      plural: "Contacts",
      primaryDisplayProperty: "email",
      requiredProperties: [],
      policy: policy(standardScopes("contacts"), shown, { mergeable: true }),
    },
    [
      ["email", "string"],
      // Secondary addresses, `;`-separated: read-only says a 2018 HubSpot staff answer; a 2026 live test creates a
      // contact with them (rudder-transformer), so the sandbox takes them on create only (secondary-emails.ts).
      ["hs_additional_emails", "string", { createOnly: true }],
      ["firstname", "string"],
      ["lastname", "string"],
      ["phone", "phone_number"],
      ["company", "string"],
      ["website", "string"],
      ["jobtitle", "string"],
      ["lifecyclestage", "enumeration", { fieldType: "radio", values: LIFECYCLE }],
      ["hs_buying_role", "enumeration", { fieldType: "checkbox", values: BUYING_ROLES }],
      ["date_of_birth", "date"],
      ["hs_email_optout", "bool"],
      ["annualrevenue", "number"],
      ["num_notes", "number", { calculated: true, readOnly: true }],
      ["lastmodifieddate", "datetime", { readOnly: true }],
    ],
    [["external_id", "string", { hasUniqueValue: true }]],
  );
}

function companies(): SeedObject {
  const shown = {
    read: ["domain", "name"],
    search: ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
    searchable: ["website", "phone", "name", "domain"],
  };
  return object(
    {
      objectTypeId: "0-2",
      name: "companies",
      custom: false,
      singular: "Company",
      plural: "Companies",
      primaryDisplayProperty: "name",
      requiredProperties: [],
      requiredOneOf: ["domain", "name"],
      policy: policy(standardScopes("companies"), shown, { mergeable: true }),
    },
    [
      ["name", "string"],
      ["domain", "string"],
      ["numberofemployees", "number"],
      ["annualrevenue", "number"],
      [
        "industry",
        "enumeration",
        { values: ["ACCOUNTING", "AIRLINES_AVIATION", "COMPUTER_SOFTWARE", "RETAIL", "OTHER"] },
      ],
      ["description", "string", { fieldType: "textarea" }],
      ["founded_year", "string"],
    ],
    [["company_external_id", "string", { hasUniqueValue: true }]],
  );
}

function deals(): SeedObject {
  const shown = {
    read: ["amount", "closedate", "dealname", "dealstage", "pipeline"],
    search: [
      ...["amount", "closedate", "createdate", "dealname", "dealstage"],
      ...["hs_lastmodifieddate", "hs_object_id", "pipeline"],
    ],
    searchable: ["dealname", "pipeline", "dealstage", "description"],
  };
  return object(
    {
      objectTypeId: "0-3",
      name: "deals",
      custom: false,
      singular: "Deal",
      plural: "Deals",
      primaryDisplayProperty: "dealname",
      requiredProperties: ["dealname", "dealstage", "pipeline"],
      policy: policy(standardScopes("deals"), shown, {
        mergeable: true,
        pipeline: { pipeline: "pipeline", stage: "dealstage" },
      }),
    },
    [
      ["dealname", "string"],
      ["amount", "number"],
      ["closedate", "datetime"],
      // Their options are the portal's pipelines and stages (pipelines.ts fills them in).
      ["dealstage", "enumeration", { fieldType: "radio" }],
      ["pipeline", "enumeration"],
      ["description", "string", { fieldType: "textarea" }],
    ],
    [["deal_external_id", "string", { hasUniqueValue: true }]],
  );
}

function products(): SeedObject {
  const commerce = {
    read: ["crm.objects.products.read", "e-commerce"],
    write: ["crm.objects.products.write"],
  };
  const scopes = {
    read: commerce.read,
    write: [...commerce.write, "e-commerce"],
    schemaRead: commerce.read,
    schemaWrite: ["e-commerce"],
  };
  const shown = {
    read: ["description", "name", "price"],
    search: ["createdate", "description", "hs_lastmodifieddate", "hs_object_id", "name", "price"],
    searchable: ["name", "hs_sku"],
  };
  return object(
    {
      objectTypeId: "0-7",
      name: "products",
      custom: false,
      singular: "Product",
      plural: "Products",
      primaryDisplayProperty: "name",
      requiredProperties: ["hs_sku", "hs_folder", "price", "name", "description"],
      policy: policy(scopes, shown),
    },
    [
      ["name", "string"],
      ["price", "number"],
      ["description", "string", { fieldType: "textarea" }],
      ["hs_sku", "string"],
      ["hs_folder", "string"],
    ],
    [["product_external_id", "string", { hasUniqueValue: true }]],
  );
}

/** Custom objects: `crm.objects.custom.*` scopes; merged through the generic merge endpoint (Enterprise). */
function custom(base: Pick<SeedObject, "objectTypeId" | "name" | "singular" | "plural">, display: string) {
  const dates = ["createdate", "hs_lastmodifieddate", "hs_object_id"];
  return {
    ...base,
    custom: true,
    primaryDisplayProperty: display,
    requiredProperties: [display],
    policy: policy(
      standardScopes("custom"),
      { read: [], search: [...dates, display], searchable: [display] },
      { mergeable: true },
    ),
  };
}

export function crmObjects(): SeedObject[] {
  return [contacts(), companies(), deals(), products()];
}

export function customObjects(): SeedObject[] {
  return [
    object(
      custom({ objectTypeId: "2-3465404", name: "cars", singular: "Car", plural: "Cars" }, "car_id"),
      [],
      [
        ["car_id", "string", { hasUniqueValue: true }],
        ["make", "string"],
        ["model", "string"],
        ["year", "number"],
        ["color", "enumeration", { values: ["red", "blue", "black", "white"] }],
      ],
    ),
    object(
      custom({ objectTypeId: "2-3465405", name: "pets", singular: "Pet", plural: "Pets" }, "pet_name"),
      [],
      [
        ["pet_name", "string"],
        ["species", "string"],
      ],
    ),
  ];
}
