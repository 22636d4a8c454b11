/**
 * The sandbox's one reading of a request path: which API family it belongs to, which version (a legacy numbered
 * path or a date version), and the segments after the family's prefix. Every route is matched from this, once.
 *
 * HubSpot moved to date versions in 2025; the numbered paths stay supported and take the same bodies
 * (https://developers.hubspot.com/docs/developer-tooling/platform/versioning). The prefixes below come from
 * HubSpot's OpenAPI specs (HubSpot-public-api-spec-collection, `…/Rollouts/…/{v3,2026-03,2026-09}/…json`).
 */

/** The date versions the sandbox serves. Any other date answers 501 (the sandbox does not know how it behaves). */
export const API_VERSIONS = ["2026-03", "2026-09"] as const;
export type DatedVersion = (typeof API_VERSIONS)[number];
/** `legacy` is a numbered path (`/crm/v3/…`, `/oauth/v1/…`, …). */
export type ApiVersion = "legacy" | DatedVersion;

export type Family =
  | "objects"
  | "properties"
  | "schemas"
  | "events"
  | "oauth"
  | "token-info"
  | "account"
  | "associations"
  | "lists"
  | "pipelines"
  | "limits";

export interface ParsedPath {
  family: Family;
  version: ApiVersion;
  /** The prefix matched, e.g. `/oauth/v3` or `/crm-object-schemas/2026-03/schemas`. */
  prefix: string;
  /** Path segments after the family's prefix, URI-decoded. */
  rest: string[];
}

export type PathMatch =
  | ({ kind: "route" } & ParsedPath)
  | { kind: "unknown-version"; family: Family; version: string }
  | { kind: "unknown"; hint?: string };

interface Prefix {
  family: Family;
  /** Matches the prefix; group 1, when present, is the date version. */
  pattern: RegExp;
  /** A numbered path (no version group). */
  legacy?: true;
}

const DATE = "(\\d{4}-\\d{2}[^/]*)";
const at = (source: string) => new RegExp(`^${source}(?=/|$)`);

/** Prefix table, most specific first. */
const PREFIXES: readonly Prefix[] = [
  { family: "objects", pattern: at("/crm/v3/objects"), legacy: true },
  { family: "objects", pattern: at(`/crm/objects/${DATE}`) },
  { family: "properties", pattern: at("/crm/v3/properties"), legacy: true },
  { family: "properties", pattern: at(`/crm/properties/${DATE}`) },
  { family: "schemas", pattern: at("/crm/v3/schemas"), legacy: true },
  { family: "schemas", pattern: at("/crm-object-schemas/v3/schemas"), legacy: true },
  { family: "schemas", pattern: at(`/crm-object-schemas/${DATE}/schemas`) },
  { family: "events", pattern: at("/events/v3"), legacy: true },
  { family: "events", pattern: at(`/events/custom/${DATE}`) },
  { family: "events", pattern: at(`/events/${DATE}`) },
  { family: "token-info", pattern: at("/oauth/v2/private-apps/get/access-token-info"), legacy: true },
  { family: "oauth", pattern: at("/oauth/v[13]"), legacy: true },
  { family: "oauth", pattern: at(`/oauth/${DATE}`) },
  { family: "account", pattern: at("/account-info/v3"), legacy: true },
  { family: "account", pattern: at(`/account-info/${DATE}`) },
  { family: "associations", pattern: at("/crm/v4/associations"), legacy: true },
  { family: "associations", pattern: at(`/crm/associations/${DATE}`) },
  { family: "lists", pattern: at("/crm/v3/lists"), legacy: true },
  { family: "lists", pattern: at(`/crm/lists/${DATE}`) },
  { family: "pipelines", pattern: at("/crm/v3/pipelines"), legacy: true },
  { family: "pipelines", pattern: at(`/crm/pipelines/${DATE}`) },
  { family: "limits", pattern: at("/crm/v3/limits"), legacy: true },
  { family: "limits", pattern: at(`/crm/limits/${DATE}`) },
];

/**
 * Custom events moved under `/events/custom/` in 2026-09 (S-EVSEND 2026-09 lists `/events/custom/2026-09/send`),
 * while 2026-03 keeps `/events/2026-03/…` (HubSpot's 2026-03 reference shows `/events/2026-03/send/batch`).
 */
const EVENTS_UNDER_CUSTOM: Record<DatedVersion, boolean> = { "2026-03": false, "2026-09": true };

const isDatedVersion = (value: string): value is DatedVersion =>
  (API_VERSIONS as readonly string[]).includes(value);

/** Reads a request path (without the query string). */
export function parsePath(path: string): PathMatch {
  for (const prefix of PREFIXES) {
    const match = prefix.pattern.exec(path);
    if (!match) continue;
    const rest = path.slice(match[0].length).split("/").filter(Boolean).map(safeDecode);
    const base = { kind: "route", family: prefix.family, prefix: match[0], rest } as const;
    if (prefix.legacy) return { ...base, version: "legacy" };
    const version = match[1] as string;
    if (!isDatedVersion(version)) return { kind: "unknown-version", family: prefix.family, version };
    if (prefix.family === "events") {
      const custom = match[0].startsWith("/events/custom/");
      if (custom !== EVENTS_UNDER_CUSTOM[version]) {
        const expected = EVENTS_UNDER_CUSTOM[version] ? `/events/custom/${version}` : `/events/${version}`;
        return {
          kind: "unknown",
          hint: `HubSpot's ${version} custom event endpoints are under ${expected}/.`,
        };
      }
    }
    return { ...base, version };
  }
  return { kind: "unknown" };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
