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
   * Time from sending the request to the end of the response headers. HubSpot's edge answers 524 itself when its
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

/** Connection reuse towards HubSpot (undici Pool options). */
export const KEEP_ALIVE = {
  /**
   * Idle time after which an unused connection is closed, unless the server's Keep-Alive hint says otherwise.
   * @default 30_000
   */
  idleMs: 30_000,
  /**
   * Upper bound for a server's Keep-Alive hint.
   * @default 300_000
   */
  maxIdleMs: 300_000,
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
 * catalogs carry over) → HubSpot's object type id and plural name, and the key HubSpot matches on even though it
 * is not a unique-value property (contacts upsert by `email`: "idProperty … or `email` for contacts").
 * https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis (object type ids table, upserts)
 */
export const STANDARD_OBJECTS = {
  CONTACT: { objectTypeId: "0-1", pluralName: "contacts", builtInKey: "email" },
  COMPANY: { objectTypeId: "0-2", pluralName: "companies", builtInKey: undefined },
  DEAL: { objectTypeId: "0-3", pluralName: "deals", builtInKey: undefined },
  PRODUCT: { objectTypeId: "0-7", pluralName: "products", builtInKey: undefined },
} as const;

export type StandardObjectName = keyof typeof STANDARD_OBJECTS;
export const STANDARD_OBJECT_NAMES = Object.keys(STANDARD_OBJECTS) as StandardObjectName[];

/**
 * The connector's name of a standard object however it is spelled: Airbyte's (`CONTACT`, any case), HubSpot's own
 * in its paths (`contacts`) or its object type id (`0-1`), as the object APIs take either
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

/** Scopes one object needs for each use. */
export interface ObjectScopes {
  /** Reading records (batch read by key, used by archive). */
  read: ScopeRequirement;
  /** Creating, updating and archiving records. */
  write: ScopeRequirement;
  /** Reading property definitions (`/crm/v3/properties/{type}`, `/crm/v3/schemas`). */
  schemaRead: ScopeRequirement;
}

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
