/**
 * The portal the sandbox starts with: property definitions for contacts, companies, deals and products, and two
 * custom objects (`cars` with a unique, required `car_id`; `pets` with a required `pet_name` and no unique
 * property). Shapes follow `GET /crm/v3/properties/{objectType}` and `GET /crm/v3/schemas` (hubspot-api-notes §2,
 * §3). Required properties on create are D-OBJ's table ("Required properties to create records"): deals need
 * `dealname`, `dealstage` and `pipeline`; products `hs_sku`, `hs_folder`, `price`, `name` and `description`;
 * companies at least one of `domain` or `name`; contacts none; custom objects their schema's `requiredProperties`.
 * Deals come with the `default` pipeline and its stages, so data can be valid.
 */

export interface SeedOption {
  label: string;
  value: string;
  description?: string;
  displayOrder?: number;
  hidden?: boolean;
}

export interface SeedProperty {
  name: string;
  label: string;
  type: "string" | "number" | "bool" | "date" | "datetime" | "enumeration" | "phone_number";
  fieldType: string;
  groupName: string;
  options: SeedOption[];
  hasUniqueValue: boolean;
  calculated: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  readOnly: boolean;
  /** Set by a property create; seeded properties have none. */
  description?: string;
  /** `-1` (HubSpot's "last") unless a create gives one. */
  displayOrder?: number;
  formField?: boolean;
  /** When a create made it (ISO); seeded properties carry fixed dates. */
  createdAt?: string;
}

export interface SeedGroup {
  name: string;
  label: string;
  displayOrder: number;
}

export interface SeedObject {
  objectTypeId: string;
  /** The path name HubSpot accepts (`contacts`), or a custom object's name (`cars`). */
  name: string;
  custom: boolean;
  singular: string;
  plural: string;
  primaryDisplayProperty: string;
  requiredProperties: string[];
  /** At least one of these must be set on create (companies: `domain` or `name`). */
  requiredOneOf?: string[];
  /** The property groups; every seeded property sits in the first. */
  groups: SeedGroup[];
  properties: SeedProperty[];
}

type Spec = [name: string, type: SeedProperty["type"], extra?: Partial<SeedProperty> & { values?: string[] }];

function property([name, type, extra = {}]: Spec, hubspotDefined: boolean, groupName: string): SeedProperty {
  const { values, ...rest } = extra;
  const fieldType =
    type === "number"
      ? "number"
      : type === "bool"
        ? "booleancheckbox"
        : type === "date" || type === "datetime"
          ? "date"
          : type === "enumeration"
            ? "select"
            : type === "phone_number"
              ? "phonenumber"
              : "text";
  return {
    name,
    label: name.replace(/_/g, " ").replace(/^./, (first) => first.toUpperCase()),
    type,
    fieldType,
    groupName,
    options: (values ?? (type === "bool" ? ["true", "false"] : [])).map((value) => ({ label: value, value })),
    hasUniqueValue: false,
    calculated: false,
    hidden: false,
    hubspotDefined,
    readOnly: false,
    ...rest,
  };
}

/** Read-only properties every object has. */
const SYSTEM: Spec[] = [
  ["hs_object_id", "number", { readOnly: true, hasUniqueValue: true }],
  ["createdate", "datetime", { readOnly: true }],
  ["hs_lastmodifieddate", "datetime", { readOnly: true }],
];

/**
 * HubSpot's default group per object: `contactinformation`, `dealinformation` (D-PROP examples),
 * `companyinformation`, `productinformation` (inferred), `{name}_information` for a custom object (inferred).
 */
function defaultGroup(base: Omit<SeedObject, "properties" | "groups">): SeedGroup {
  const name = base.custom ? `${base.name}_information` : `${base.singular.toLowerCase()}information`;
  return { name, label: `${base.singular} information`, displayOrder: 0 };
}

function object(
  base: Omit<SeedObject, "properties" | "groups">,
  builtIn: Spec[],
  custom: Spec[],
): SeedObject {
  const group = defaultGroup(base);
  return {
    ...base,
    groups: [group],
    properties: [
      ...[...SYSTEM, ...builtIn].map((spec) => property(spec, !base.custom, group.name)),
      ...custom.map((spec) => property(spec, false, group.name)),
    ],
  };
}

export function seedObjects(): SeedObject[] {
  return [
    object(
      {
        objectTypeId: "0-1",
        name: "contacts",
        custom: false,
        singular: "Contact",
        plural: "Contacts",
        primaryDisplayProperty: "email",
        requiredProperties: [],
      },
      [
        ["email", "string"],
        ["firstname", "string"],
        ["lastname", "string"],
        ["phone", "phone_number"],
        ["company", "string"],
        ["website", "string"],
        ["jobtitle", "string"],
        [
          "lifecyclestage",
          "enumeration",
          {
            fieldType: "radio",
            values: [
              "subscriber",
              "lead",
              "marketingqualifiedlead",
              "salesqualifiedlead",
              "opportunity",
              "customer",
              "evangelist",
              "other",
            ],
          },
        ],
        [
          "hs_buying_role",
          "enumeration",
          {
            fieldType: "checkbox",
            values: [
              "BUDGET_HOLDER",
              "CHAMPION",
              "DECISION_MAKER",
              "END_USER",
              "EXECUTIVE_SPONSOR",
              "INFLUENCER",
              "LEGAL_AND_COMPLIANCE",
              "OTHER",
            ],
          },
        ],
        ["date_of_birth", "date"],
        ["hs_email_optout", "bool"],
        ["annualrevenue", "number"],
        ["num_notes", "number", { calculated: true, readOnly: true }],
        ["lastmodifieddate", "datetime", { readOnly: true }],
      ],
      [["external_id", "string", { hasUniqueValue: true }]],
    ),
    object(
      {
        objectTypeId: "0-2",
        name: "companies",
        custom: false,
        singular: "Company",
        plural: "Companies",
        primaryDisplayProperty: "name",
        requiredProperties: [],
        requiredOneOf: ["domain", "name"],
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
    ),
    object(
      {
        objectTypeId: "0-3",
        name: "deals",
        custom: false,
        singular: "Deal",
        plural: "Deals",
        primaryDisplayProperty: "dealname",
        requiredProperties: ["dealname", "dealstage", "pipeline"],
      },
      [
        ["dealname", "string"],
        ["amount", "number"],
        ["closedate", "datetime"],
        [
          "dealstage",
          "enumeration",
          {
            fieldType: "radio",
            values: [
              "appointmentscheduled",
              "qualifiedtobuy",
              "presentationscheduled",
              "decisionmakerboughtin",
              "contractsent",
              "closedwon",
              "closedlost",
            ],
          },
        ],
        ["pipeline", "enumeration", { values: ["default"] }],
        ["description", "string", { fieldType: "textarea" }],
      ],
      [["deal_external_id", "string", { hasUniqueValue: true }]],
    ),
    object(
      {
        objectTypeId: "0-7",
        name: "products",
        custom: false,
        singular: "Product",
        plural: "Products",
        primaryDisplayProperty: "name",
        requiredProperties: ["hs_sku", "hs_folder", "price", "name", "description"],
      },
      [
        ["name", "string"],
        ["price", "number"],
        ["description", "string", { fieldType: "textarea" }],
        ["hs_sku", "string"],
        ["hs_folder", "string"],
      ],
      [["product_external_id", "string", { hasUniqueValue: true }]],
    ),
    object(
      {
        objectTypeId: "2-3465404",
        name: "cars",
        custom: true,
        singular: "Car",
        plural: "Cars",
        primaryDisplayProperty: "car_id",
        requiredProperties: ["car_id"],
      },
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
      {
        objectTypeId: "2-3465405",
        name: "pets",
        custom: true,
        singular: "Pet",
        plural: "Pets",
        primaryDisplayProperty: "pet_name",
        requiredProperties: ["pet_name"],
      },
      [],
      [
        ["pet_name", "string"],
        ["species", "string"],
      ],
    ),
  ];
}
