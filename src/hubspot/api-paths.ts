/**
 * Every HubSpot path the connector calls, for each API version: the one module that owns the path map.
 *
 * HubSpot moved to date-based versions (`/crm/objects/2026-09/…`); the numbered paths (`/crm/v3/…`, `/crm/v4/…`)
 * go unsupported on 2027-03-30 (v4) and in September 2027 (v1–v3), and HubSpot asks integrations to move straight
 * to a dated version (https://developers.hubspot.com/docs/developer-tooling/platform/versioning;
 * https://developers.hubspot.com/changelog/legacy-apis-and-legacy-apps-whats-going-unsupported-and-when). `legacy`
 * keeps today's numbered paths for portals or proxies that need them. Dated paths follow HubSpot's pattern
 * `/{api-name}/{YYYY-MM}/{resource}`: https://developers.hubspot.com/docs/api-reference/latest/overview
 */

import { type ApiVersion, DEFAULT_API_VERSION } from "../config/api-versions.js";

export type CrmBatchAction = "upsert" | "update" | "read" | "archive" | "create";
export type AssociationBatchAction = "create" | "associate/default" | "read" | "archive" | "labels/archive";
export type MembershipAction = "add" | "remove" | "add-and-remove";

const segment = (value: string) => encodeURIComponent(value);

export interface ApiPaths {
  readonly version: ApiVersion;
  /** Whether a partly failed batch write answers 200 with `errors` rather than 207 (2026-09, §1.3). */
  readonly batchErrorsOn200: boolean;
  crmBatch(objectType: string, action: CrmBatchAction): string;
  crmObjects(objectType: string): string;
  properties(objectType: string): string;
  /** One property by name. */
  property(objectType: string, name: string): string;
  propertyGroups(objectType: string): string;
  /** The portal's custom-property limits and usage (Limits Tracking API). */
  customPropertyLimits(): string;
  schemas(): string;
  pipelines(objectType: string): string;
  accountDetails(): string;
  oauthToken(): string;
  /** OAuth access-token introspection: legacy `GET …/access-tokens/{token}`; dated `POST …/token/introspect`. */
  oauthIntrospect(token: string): { method: "GET" | "POST"; path: string };
  /** Private-app and service-key token info (§14.1); HubSpot has no dated twin for it yet. */
  privateAppTokenInfo(): string;
  eventDefinitions(): string;
  eventDefinition(name: string): string;
  eventProperty(name: string): string;
  eventSendBatch(): string;
  associationsBatch(fromType: string, toType: string, action: AssociationBatchAction): string;
  associationLabels(fromType: string, toType: string): string;
  lists(): string;
  list(listId: string): string;
  listByName(objectTypeId: string, name: string): string;
  listSearch(): string;
  listMemberships(listId: string, action?: MembershipAction): string;
}

export function apiPaths(version: ApiVersion = DEFAULT_API_VERSION): ApiPaths {
  const dated = version !== "legacy";
  const crm = dated ? `/crm/objects/${version}` : "/crm/v3/objects";
  const associations = dated ? `/crm/associations/${version}` : "/crm/v4/associations";
  const lists = dated ? `/crm/lists/${version}` : "/crm/v3/lists";
  // 2026-09 moved custom events under /events/custom/ (HubSpot's spec collection); 2026-03 kept /events/2026-03.
  const events =
    version === "legacy"
      ? "/events/v3"
      : version === "2026-03"
        ? "/events/2026-03"
        : `/events/custom/${version}`;
  return {
    version,
    batchErrorsOn200: version === "2026-09",
    crmBatch: (type, action) => `${crm}/${segment(type)}/batch/${action}`,
    crmObjects: (type) => `${crm}/${segment(type)}`,
    properties: (type) => `${dated ? `/crm/properties/${version}` : "/crm/v3/properties"}/${segment(type)}`,
    property: (type, name) =>
      `${dated ? `/crm/properties/${version}` : "/crm/v3/properties"}/${segment(type)}/${segment(name)}`,
    propertyGroups: (type) =>
      `${dated ? `/crm/properties/${version}` : "/crm/v3/properties"}/${segment(type)}/groups`,
    customPropertyLimits: () =>
      dated ? `/crm/limits/${version}/custom-properties` : "/crm/v3/limits/custom-properties",
    // The legacy path the official Node SDK and Airbyte's connector use; HubSpot also serves /crm-object-schemas/v3.
    schemas: () => (dated ? `/crm-object-schemas/${version}/schemas` : "/crm/v3/schemas"),
    pipelines: (type) => `${dated ? `/crm/pipelines/${version}` : "/crm/v3/pipelines"}/${segment(type)}`,
    accountDetails: () => (dated ? `/account-info/${version}/details` : "/account-info/v3/details"),
    oauthToken: () => (dated ? `/oauth/${version}/token` : "/oauth/v1/token"),
    oauthIntrospect: (token) =>
      dated
        ? { method: "POST", path: `/oauth/${version}/token/introspect` }
        : { method: "GET", path: `/oauth/v1/access-tokens/${segment(token)}` },
    privateAppTokenInfo: () => "/oauth/v2/private-apps/get/access-token-info",
    eventDefinitions: () => `${events}/event-definitions`,
    eventDefinition: (name) => `${events}/event-definitions/${segment(name)}`,
    eventProperty: (name) => `${events}/event-definitions/${segment(name)}/property`,
    eventSendBatch: () => `${events}/send/batch`,
    associationsBatch: (from, to, action) =>
      `${associations}/${segment(from)}/${segment(to)}/batch/${action}`,
    associationLabels: (from, to) => `${associations}/${segment(from)}/${segment(to)}/labels`,
    lists: () => lists,
    list: (listId) => `${lists}/${segment(listId)}`,
    listByName: (objectTypeId, name) =>
      `${lists}/object-type-id/${segment(objectTypeId)}/name/${segment(name)}`,
    listSearch: () => `${lists}/search`,
    listMemberships: (listId, action) =>
      `${lists}/${segment(listId)}/memberships${action === undefined ? "" : `/${action}`}`,
  };
}

/** Path prefixes whose next segment is a secret (an OAuth token): never shown in messages or errors. */
export const SECRET_PATH_PREFIXES = ["/oauth/v1/access-tokens/", "/oauth/v1/refresh-tokens/"] as const;
