/**
 * The HubSpot API versions the connector speaks: a config choice (`api_version`), owned here so the config sits
 * below the HTTP layer that builds each version's paths (hubspot/api-paths.ts). HubSpot's date-based versions:
 * https://developers.hubspot.com/docs/api-reference/latest/overview
 */

/** The API versions the connector speaks, newest first. @default "2026-09" */
export const API_VERSIONS = ["2026-09", "2026-03", "legacy"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];
export const DEFAULT_API_VERSION: ApiVersion = "2026-09";
