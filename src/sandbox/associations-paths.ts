/**
 * Where an associations request goes: its API version, its kind and its path parameters, parsed once. HubSpot
 * serves each association route on a legacy path and on date-versioned twins
 * (https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/guide):
 *
 * - batch: `/crm/v4/associations/{from}/{to}/batch/{op}` ↔ `/crm/associations/{date}/{from}/{to}/batch/{op}`
 * - labels: `/crm/v4/associations/{from}/{to}/labels` and `/crm/associations/v4/{from}/{to}/labels` (guides and
 *   spec each use one; clients use both) ↔ `/crm/associations/{date}/{from}/{to}/labels`
 * - one record: `/crm/v4/objects/{type}/{id}/associations/…` ↔ `/crm/objects/{date}/{type}/{id}/associations/…`
 *
 * Also here, because the lists routes share them: the dates served, the 501 answer for a route the sandbox does not
 * implement, opaque paging cursors and record-id ordering.
 */
import { KNOWN_UNSERVED, unservedObject } from "./object-types.js";
import { error, type SandboxResponse } from "./responses.js";
import type { ObjectState, SandboxStore } from "./store.js";

/** The date versions the sandbox serves; other dates answer 501. */
export const API_DATES = ["2026-03", "2026-09"] as const;
/** `legacy` for the numbered paths (`/crm/v4/…`, `/crm/v3/lists`), else the date in the path. */
export type ApiVersion = "legacy" | (typeof API_DATES)[number];

/** A date-shaped path segment, served or not (`2025-09`, `2026-09-beta`). */
const DATE_SEGMENT = /^\d{4}-\d{2}(?:-[a-z]+)?$/;

/** What an associations path asks for; `unimplemented` routes answer 501. */
export type AssociationRoute =
  | { kind: "batch"; version: ApiVersion; from: string; to: string; operation: string }
  | { kind: "labels"; version: ApiVersion; from: string; to: string; typeId?: string }
  | { kind: "record"; version: ApiVersion; from: string; fromId: string; rest: string[] }
  | { kind: "unimplemented"; reason?: string };

/** Parses an associations path; undefined when the path is not in the associations family. */
export function parseAssociationPath(path: string): AssociationRoute | undefined {
  const record = /^\/crm\/(?:v4\/objects|objects\/([^/]+))\/([^/]+)\/([^/]+)\/associations(?:\/(.*))?$/.exec(
    path,
  );
  if (record) {
    const version = versionOf(record[1] ?? "legacy");
    if (typeof version !== "string") return version;
    const [from, fromId] = [decode(record[2]), decode(record[3])];
    return { kind: "record", version, from, fromId, rest: segments(record[4]) };
  }
  const family = /^\/crm\/(?:v4\/associations|associations\/([^/]+))\/(.*)$/.exec(path);
  if (!family) return undefined;
  const schemaPath = family[1] === "v4";
  const version = schemaPath ? "legacy" : versionOf(family[1] ?? "legacy");
  if (typeof version !== "string") return version;
  const [from, to, head, ...tail] = segments(family[2]);
  if (from === undefined || to === undefined) return { kind: "unimplemented" };
  if (head === "labels" && tail.length <= 1) {
    return { kind: "labels", version, from, to, ...(tail[0] === undefined ? {} : { typeId: tail[0] }) };
  }
  // The schema spelling `/crm/associations/v4/…` exists only for labels and definitions (S-ASCH).
  if (head === "batch" && tail.length > 0 && !schemaPath) {
    return { kind: "batch", version, from, to, operation: tail.join("/") };
  }
  return { kind: "unimplemented" };
}

function versionOf(segment: string): ApiVersion | { kind: "unimplemented"; reason?: string } {
  if (segment === "legacy") return "legacy";
  if ((API_DATES as readonly string[]).includes(segment)) return segment as ApiVersion;
  if (DATE_SEGMENT.test(segment)) return { kind: "unimplemented", reason: `API version ${segment}` };
  return { kind: "unimplemented" };
}

/** The version of a lists path, `/crm/v3/lists…` or `/crm/lists/{date}…`, with the rest of the path. */
export function parseListsPath(
  path: string,
): { version: ApiVersion; rest: string[] } | { kind: "unimplemented"; reason?: string } | undefined {
  const legacy = /^\/crm\/v3\/lists(?:\/(.*))?$/.exec(path);
  if (legacy) return { version: "legacy", rest: segments(legacy[1]) };
  const dated = /^\/crm\/lists\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (!dated) return undefined;
  const version = versionOf(dated[1] as string);
  if (typeof version !== "string") return version;
  return { version, rest: segments(dated[2]) };
}

const segments = (rest: string | undefined) => (rest ? rest.split("/").filter(Boolean).map(decode) : []);

function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? "");
  } catch {
    return segment ?? "";
  }
}

/**
 * The 501 a route the sandbox does not implement answers, so a client never mistakes it for HubSpot's own 404.
 * `reason` names what is missing when it is narrower than the route (an API version).
 */
export function notImplemented(method: string, path: string, reason?: string): SandboxResponse {
  const what = reason ? `${reason} of ${method} ${path}` : `${method} ${path}`;
  return error(501, "NOT_IMPLEMENTED", `The sandbox does not implement ${what}`);
}

/**
 * Object names HubSpot accepts in association paths: "for contacts, companies, deals, tickets, and notes, you can use
 * the object name"
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associate-records/guide); every other
 * object goes by its type id.
 */
const NAMED_OBJECTS = new Set([
  ...["contact", "contacts", "company", "companies", "deal", "deals"],
  ...["ticket", "tickets", "note", "notes"],
]);
const TYPE_ID = /^\d+-\d+$/;

/**
 * The object an association path names, the 501 for an object the sandbox does not serve, or the 400 HubSpot
 * answers for a name it cannot infer.
 */
export function resolveAssociationObject(
  store: SandboxStore,
  segment: string,
): ObjectState | SandboxResponse {
  const named = NAMED_OBJECTS.has(segment.toLowerCase()) || TYPE_ID.test(segment);
  const state = named ? store.resolve(segment) : undefined;
  if (state) return state;
  // An object HubSpot has and the sandbox does not serve (quotes, invoices, 0-14…): a 501 naming it, not HubSpot's
  // 400, which would tell the user's code that the object does not exist.
  if (KNOWN_UNSERVED.has(segment.toLowerCase())) return unservedObject(segment);
  return error(400, "VALIDATION_ERROR", `Unable to infer object type from: ${segment}`);
}
