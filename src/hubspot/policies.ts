/**
 * HubSpot policies as data: where the API lives, how long we wait for it, how early OAuth tokens are renewed,
 * which objects the connector knows, and which scopes each feature needs. One place, each with its source.
 */
import type { ScopeRequirement } from "../contract.js";

/**
 * HubSpot's public API origin. The OpenAPI specs list it as their only server.
 * https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis
 * @default "https://api.hubapi.com"
 */
export const DEFAULT_BASE_URL = "https://api.hubapi.com";

/** HubSpot's limit of inputs per CRM object batch request (D-OBJ "Limits"). */
export const CRM_BATCH_LIMIT = 100;

/** Timeouts of one HTTP request, in milliseconds. */
export const REQUEST_TIMEOUTS = {
  /**
   * Time to open the TCP/TLS connection.
   * @default 10_000
   */
  connectMs: 10_000,
  /**
   * Time from sending the request to the end of the response headers (the connection silent that long; http.ts
   * bounds the whole wait at connect + headers + 5 s). HubSpot's edge answers 524 itself when its
   * backend has not answered in 100 s ("Error handling", https://developers.hubspot.com/docs/api-reference/error-handling),
   * so a longer wait gains nothing; a shorter one gives up on slow but healthy batch writes.
   * @default 60_000
   */
  headersMs: 60_000,
  /**
   * Longest silence between two chunks of a response body.
   * @default 30_000
   */
  bodyMs: 30_000,
} as const;

/** Connection reuse towards HubSpot (connection-pool.ts). */
export const KEEP_ALIVE = {
  /**
   * Idle time after which an unused connection is closed, or 1 s before a server's `Keep-Alive: timeout=` hint
   * when that is sooner (Node's agent), so a request is not sent on a connection the server is closing.
   * @default 30_000
   */
  idleMs: 30_000,
  /**
   * Connections per origin. HubSpot allows 100–250 requests per 10 s per app
   * (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines), which a handful of
   * connections carries; the rate governor decides how many requests actually run at once.
   * @default 8
   */
  connections: 8,
} as const;

/** Bounds on what the client reads from a response, in bytes. */
export const RESPONSE_LIMITS = {
  /**
   * A successful body (the properties of a big portal's contacts run to a few MB).
   * @default 33_554_432 (32 MiB)
   */
  maxBodyBytes: 32 * 1024 * 1024,
  /**
   * An error body: HubSpot's are small JSON; an HTML error page is cut here.
   * @default 65_536
   */
  maxErrorBodyBytes: 64 * 1024,
  /**
   * HubSpot's own message carried in an error's message, in characters.
   * @default 500
   */
  maxMessageChars: 500,
} as const;

/**
 * OAuth access tokens are renewed this long before `expires_in` runs out (HubSpot: "Unauthorized (401) requests are
 * not a valid indicator that a new access token must be retrieved"; refresh by `expires_in`). Tokens that live less
 * than twice this are renewed at half their life instead.
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 * @default 60_000
 */
export const OAUTH_REFRESH_SKEW_MS = 60_000;

/**
 * The standard objects the connector writes: Airbyte's names (the same as Airbyte's own HubSpot destination, so
 * catalogs carry over, and HubSpot's singular names upper-cased for the objects Airbyte's connector did not write)
 * → HubSpot's object type id and plural name, and the key HubSpot matches on even though it is not a unique-value
 * property (contacts upsert by `email`: "idProperty … or `email` for contacts").
 * https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis (object type ids table, upserts)
 */
export const STANDARD_OBJECTS = {
  CONTACT: { objectTypeId: "0-1", pluralName: "contacts", builtInKey: "email" },
  COMPANY: { objectTypeId: "0-2", pluralName: "companies", builtInKey: undefined },
  DEAL: { objectTypeId: "0-3", pluralName: "deals", builtInKey: undefined },
  PRODUCT: { objectTypeId: "0-7", pluralName: "products", builtInKey: undefined },
  TICKET: { objectTypeId: "0-5", pluralName: "tickets", builtInKey: undefined },
  LINE_ITEM: { objectTypeId: "0-8", pluralName: "line_items", builtInKey: undefined },
  LEAD: { objectTypeId: "0-136", pluralName: "leads", builtInKey: undefined },
  NOTE: { objectTypeId: "0-46", pluralName: "notes", builtInKey: undefined },
  CALL: { objectTypeId: "0-48", pluralName: "calls", builtInKey: undefined },
  TASK: { objectTypeId: "0-27", pluralName: "tasks", builtInKey: undefined },
  MEETING: { objectTypeId: "0-47", pluralName: "meetings", builtInKey: undefined },
  EMAIL: { objectTypeId: "0-49", pluralName: "emails", builtInKey: undefined },
} as const;

export type StandardObjectName = keyof typeof STANDARD_OBJECTS;
export const STANDARD_OBJECT_NAMES = Object.keys(STANDARD_OBJECTS) as StandardObjectName[];

/**
 * The connector's name of a standard object however it is spelled: Airbyte's (`CONTACT`, any case), HubSpot's own
 * in its paths (`contacts`, `line_items`) or its object type id (`0-1`), as the object APIs take either
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis); any other name as given (a
 * custom object's name or type id, resolved against the portal's schemas).
 */
export function canonicalObjectName(name: string): string {
  const spelled = name.trim().toLowerCase();
  const found = STANDARD_OBJECT_NAMES.find((standard) => {
    const { objectTypeId, pluralName } = STANDARD_OBJECTS[standard];
    return spelled === standard.toLowerCase() || spelled === pluralName || spelled === objectTypeId;
  });
  return found ?? name;
}

/**
 * What a create of a standard object must carry (HubSpot's table "Required properties to create records" in
 * https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis, and each object's guide: leads
 * https://developers.hubspot.com/docs/api-reference/latest/crm/objects/leads/guide, notes
 * https://developers.hubspot.com/docs/api-reference/latest/crm/activities/notes/guide). `oneOf`: at least one of
 * them (companies: `domain` or `name`). Custom objects take their schema's `requiredProperties` from the portal.
 */
export const REQUIRED_ON_CREATE: Readonly<
  Record<StandardObjectName, { all: readonly string[]; oneOf?: readonly string[] }>
> = {
  CONTACT: { all: [] },
  COMPANY: { all: [], oneOf: ["domain", "name"] },
  DEAL: { all: ["dealname", "dealstage", "pipeline"] },
  PRODUCT: { all: ["hs_sku", "hs_folder", "price", "name", "description"] },
  TICKET: { all: ["subject", "hs_pipeline", "hs_pipeline_stage"] },
  LINE_ITEM: { all: [] },
  LEAD: { all: ["hs_lead_name"] },
  NOTE: { all: ["hs_timestamp"] },
  CALL: { all: ["hs_timestamp"] },
  TASK: { all: ["hs_timestamp"] },
  MEETING: { all: ["hs_timestamp"] },
  EMAIL: { all: ["hs_timestamp", "hs_email_direction"] },
};

/**
 * Links a create must carry: "a lead must be associated with an existing contact" when it is created (the leads
 * guide above). By the target's type id.
 */
export const REQUIRED_LINKS_ON_CREATE: Readonly<Partial<Record<StandardObjectName, readonly string[]>>> = {
  LEAD: ["0-1"],
};

/**
 * The pipeline properties of the objects with pipelines, whose values may be given by label
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/pipelines/guide).
 */
export const PIPELINE_PROPERTIES: Readonly<
  Partial<Record<StandardObjectName, { pipeline: string; stage: string }>>
> = {
  DEAL: { pipeline: "pipeline", stage: "dealstage" },
  TICKET: { pipeline: "hs_pipeline", stage: "hs_pipeline_stage" },
};

/** Scopes one object needs for each use. */
export interface ObjectScopes {
  /** Reading records (batch read by key, used by archive). */
  read: ScopeRequirement;
  /** Creating, updating and archiving records. */
  write: ScopeRequirement;
  /** Reading property definitions (`/crm/v3/properties/{type}`, `/crm/v3/schemas`). */
  schemaRead: ScopeRequirement;
}

const ACTIVITY_SCOPES: ObjectScopes = {
  read: ["crm.objects.contacts.read"],
  write: ["crm.objects.contacts.write"],
  schemaRead: ["crm.schemas.contacts.read", "crm.objects.contacts.read"],
};

/**
 * Scopes per object, from the `security` of each operation in HubSpot's OpenAPI specs (contacts, companies, deals,
 * products, custom objects, properties, schemas); HubSpot's scope list: https://developers.hubspot.com/scopes
 */
export const OBJECT_SCOPES: Record<StandardObjectName | "CUSTOM", ObjectScopes> = {
  CONTACT: {
    read: ["crm.objects.contacts.read"],
    write: ["crm.objects.contacts.write"],
    schemaRead: ["crm.schemas.contacts.read", "crm.objects.contacts.read"],
  },
  COMPANY: {
    read: ["crm.objects.companies.read"],
    write: ["crm.objects.companies.write"],
    schemaRead: ["crm.schemas.companies.read", "crm.objects.companies.read"],
  },
  DEAL: {
    read: ["crm.objects.deals.read"],
    write: ["crm.objects.deals.write"],
    schemaRead: ["crm.schemas.deals.read", "crm.objects.deals.read"],
  },
  PRODUCT: {
    read: ["crm.objects.products.read", "e-commerce"],
    write: ["crm.objects.products.write", "e-commerce"],
    schemaRead: ["crm.objects.products.read", "e-commerce"],
  },
  TICKET: { read: ["tickets"], write: ["tickets"], schemaRead: ["tickets"] },
  LINE_ITEM: {
    read: ["crm.objects.line_items.read", "e-commerce"],
    write: ["crm.objects.line_items.write", "e-commerce"],
    schemaRead: ["crm.schemas.line_items.read", "crm.objects.line_items.read", "e-commerce"],
  },
  LEAD: {
    read: ["crm.objects.leads.read"],
    write: ["crm.objects.leads.write"],
    schemaRead: ["crm.objects.leads.read"],
  },
  // Activities are reached with the contacts' scopes, as the notes and calls guides list them.
  NOTE: ACTIVITY_SCOPES,
  CALL: ACTIVITY_SCOPES,
  TASK: ACTIVITY_SCOPES,
  MEETING: ACTIVITY_SCOPES,
  EMAIL: ACTIVITY_SCOPES,
  CUSTOM: {
    read: ["crm.objects.custom.read"],
    write: ["crm.objects.custom.write"],
    schemaRead: ["crm.schemas.custom.read"],
  },
};

/**
 * Scopes for custom behavioral events: sending occurrences and managing definitions.
 * https://developers.hubspot.com/docs/api-reference/legacy/events/send-event-data/guide
 * https://developers.hubspot.com/docs/api-reference/legacy/events/define-events/guide
 */
export const EVENT_SCOPES = {
  send: ["analytics.behavioral_events.send"],
  definitions: ["behavioral_events.event_definitions.read_write"],
} as const satisfies Record<string, ScopeRequirement>;

/**
 * HubSpot property types that exist only internally: they can be read but not created or written.
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide (property type table)
 */
export const INTERNAL_PROPERTY_TYPES: readonly string[] = ["object_coordinates", "json"];
