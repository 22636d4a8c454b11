/**
 * HubSpot's response shapes as the client reads them (wire names kept). Each zod schema is the one source of its
 * type. Only what the connector relies on is required; other fields are optional, `null` counts as absent, and
 * unknown fields pass through. In a list, an entry that does not fit is dropped rather than failing the list.
 * Properties: https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
 * Schemas: https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/schemas/guide
 */
import * as z from "zod";

const withoutNulls = (value: unknown): unknown =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== null))
    : value;

/** A wire object: nulls dropped before validation. */
const wire = <T extends z.ZodType>(schema: T) => z.preprocess(withoutNulls, schema);

/** An array whose entries that do not fit `item` are left out. */
const lenientArray = <T extends z.ZodType>(item: T) =>
  z.array(z.unknown()).transform((entries) =>
    entries.flatMap((entry) => {
      const parsed = item.safeParse(entry);
      return parsed.success ? [parsed.data as z.output<T>] : [];
    }),
  );

export const PropertyOptionSchema = wire(
  z.looseObject({
    value: z.union([z.string(), z.number(), z.boolean()]).transform(String),
    label: z.string().optional(),
    hidden: z.boolean().optional(),
    description: z.string().optional(),
    displayOrder: z.number().optional(),
  }),
);
export type PropertyOption = z.output<typeof PropertyOptionSchema>;

export const ModificationMetadataSchema = wire(
  z.looseObject({
    /** The value cannot be written through the API. */
    readOnlyValue: z.boolean().optional(),
    readOnlyDefinition: z.boolean().optional(),
    archivable: z.boolean().optional(),
    readOnlyOptions: z.boolean().optional(),
  }),
);

/** A property definition (`GET /crm/v3/properties/{objectType}`, and inline in object schemas). */
export const PropertySchema = wire(
  z.looseObject({
    name: z.string().min(1),
    /** bool, date, datetime, enumeration, number, phone_number, string; internal: object_coordinates, json. */
    type: z.string(),
    /** booleancheckbox, checkbox (multi-select), radio, select, date, file, text, textarea, number, phonenumber, … */
    fieldType: z.string().optional(),
    label: z.string().optional(),
    description: z.string().optional(),
    groupName: z.string().optional(),
    options: lenientArray(PropertyOptionSchema).optional(),
    /** Values are unique per record: usable as a matching key (`idProperty`). */
    hasUniqueValue: z.boolean().optional(),
    /** Computed by HubSpot. */
    calculated: z.boolean().optional(),
    hidden: z.boolean().optional(),
    archived: z.boolean().optional(),
    hubspotDefined: z.boolean().optional(),
    externalOptions: z.boolean().optional(),
    referencedObjectType: z.string().optional(),
    /** non_sensitive | sensitive | highly_sensitive */
    dataSensitivity: z.string().optional(),
    modificationMetadata: ModificationMetadataSchema.optional(),
  }),
);
export type Property = z.output<typeof PropertySchema>;

export const PropertyListSchema = wire(z.looseObject({ results: lenientArray(PropertySchema) }));

/** A custom object's schema (`GET /crm/v3/schemas`), its properties inline. */
export const ObjectSchemaSchema = wire(
  z.looseObject({
    /** The object's name, e.g. `cars`: the Airbyte object name of a custom object. */
    name: z.string().min(1),
    /** `2-…`: the type id the object APIs take. */
    objectTypeId: z.string().optional(),
    /** `p{portalId}_{name}`. */
    fullyQualifiedName: z.string().optional(),
    /** Opaque; key on `objectTypeId`. */
    id: z.string().optional(),
    labels: wire(
      z.looseObject({ singular: z.string().optional(), plural: z.string().optional() }),
    ).optional(),
    properties: lenientArray(PropertySchema).default([]),
    requiredProperties: z.array(z.string()).optional(),
    primaryDisplayProperty: z.string().optional(),
    archived: z.boolean().optional(),
  }),
);
export type ObjectSchema = z.output<typeof ObjectSchemaSchema>;

export const ObjectSchemaListSchema = wire(z.looseObject({ results: lenientArray(ObjectSchemaSchema) }));

/** A pipeline stage (`GET /crm/pipelines/{version}/{objectType}`, the Pipelines spec's `PipelineStage`). */
const PipelineStageSchema = wire(
  z.looseObject({ id: z.string().min(1), label: z.string(), archived: z.boolean().optional() }),
);

/** A pipeline with its stages (the Pipelines spec's `Pipeline`). */
export const PipelineSchema = wire(
  z.looseObject({
    id: z.string().min(1),
    label: z.string(),
    archived: z.boolean().optional(),
    stages: lenientArray(PipelineStageSchema).default([]),
  }),
);
export type Pipeline = z.output<typeof PipelineSchema>;

export const PipelineListSchema = wire(z.looseObject({ results: lenientArray(PipelineSchema) }));

/**
 * `GET /account-info/v3/details` (HubSpot's OpenAPI spec `Account/Account Info/Rollouts/144923/v3/accountInfo.json`
 * in github.com/HubSpot/HubSpot-public-api-spec-collection).
 */
export const AccountDetailsSchema = wire(
  z.looseObject({
    portalId: z.number(),
    /** The account's time zone: the daily request limit resets at its midnight. */
    timeZone: z.string().optional(),
    utcOffset: z.string().optional(),
    uiDomain: z.string().optional(),
    dataHostingLocation: z.string().optional(),
    companyCurrency: z.string().optional(),
    /** APP_DEVELOPER | DEVELOPER_TEST | SANDBOX | STANDARD */
    accountType: z.string().optional(),
  }),
);
export type AccountDetails = z.output<typeof AccountDetailsSchema>;

/**
 * `GET /oauth/v1/access-tokens/{token}`, or the dated `POST /oauth/{version}/token/introspect` (which adds
 * `active`). A plain (stripping) object: the token and its signed form are not kept.
 * https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/guide
 */
export const AccessTokenInfoSchema = wire(
  z.object({
    active: z.boolean().optional(),
    hub_id: z.number(),
    scopes: z.array(z.string()).default([]),
    hub_domain: z.string().optional(),
    app_id: z.number().optional(),
    user_id: z.number().optional(),
    user: z.string().optional(),
    /** Seconds left. */
    expires_in: z.number().optional(),
    token_type: z.string().optional(),
  }),
);
export type AccessTokenInfo = z.output<typeof AccessTokenInfoSchema>;

/**
 * `POST /oauth/v2/private-apps/get/access-token-info` `{tokenKey}`: a private app's (or service key's) portal and
 * granted scopes (https://developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview). Plain object.
 */
export const PrivateAppTokenInfoSchema = wire(
  z.object({
    hubId: z.number(),
    scopes: z.array(z.string()).default([]),
    appId: z.number().optional(),
    userId: z.number().optional(),
  }),
);
export type PrivateAppTokenInfo = z.output<typeof PrivateAppTokenInfoSchema>;

/** `POST /oauth/v1/token` (grant_type=refresh_token). Plain object: only these fields are kept. */
export const TokenResponseSchema = wire(
  z.object({
    access_token: z.string().min(1),
    /** Seconds; 1800 in HubSpot's example. */
    expires_in: z.number().optional(),
    refresh_token: z.string().optional(),
    token_type: z.string().optional(),
  }),
);
export type TokenResponse = z.output<typeof TokenResponseSchema>;
