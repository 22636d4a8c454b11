/**
 * The Lists API's limits, scopes and codes as the connector uses them, each with its source. HubSpot now calls lists
 * "segments" (https://developers.hubspot.com/docs/guides/api/crm/lists/overview); paths and fields still say `list`.
 * Segments API: https://developers.hubspot.com/docs/api-reference/latest/crm/lists/guide
 */
import type { ScopeRequirement, WriteMode } from "../../contract.js";

export const LIST_LIMITS = {
  /**
   * Members one list can hold (HubSpot's "100,000 memberships" cap; the sandbox refuses an add past it).
   * @default 100_000
   */
  maxMembers: 100_000,
  /**
   * Record ids per add or remove request. HubSpot documents no cap (Segments API guide); 1,000 is a
   * conservative choice (inferred), and a request HubSpot refuses whole is isolated anyway.
   * @default 1_000
   */
  idsPerMembershipRequest: 1_000,
  /** Records per input batch of a list stream: one membership request after ten key reads. @default 1_000 */
  recordsPerBatch: 1_000,
  /** `GET …/memberships?limit=`: HubSpot's maximum page (S-LISTS "The maximum limit is 250"). @default 250 */
  membersPerPage: 250,
  /** `POST …/lists/search` `count`: HubSpot's maximum (S-LISTS `ListSearchRequest`). @default 500 */
  listsPerSearchPage: 500,
  /**
   * HubSpot ids of records this run wrote through other streams, kept to spare key reads (oldest forgotten first).
   * @default 100_000
   */
  knownIds: 100_000,
  /**
   * Record ids an overwrite remembers having seen. Past it the run cannot vouch for what it saw and does not sweep
   * (twice the list cap: more distinct members than a list can hold would not fit the list anyway).
   * @default 200_000
   */
  seenIds: 200_000,
  /** How often, at most, a list thought full is read again for its size, in ms. @default 10_000 */
  sizeRefreshMs: 10_000,
} as const;

/**
 * Lists scopes: reads need `crm.lists.read`; every membership write lists `crm.lists.read` together with
 * `crm.lists.write` (the Lists spec's `security`), so a write needs both.
 */
export const LIST_SCOPES = {
  read: ["crm.lists.read"],
  write: ["crm.lists.write"],
} as const satisfies Record<string, ScopeRequirement>;

/** How the protocol's destination sync modes map to membership writes. */
export const LIST_SYNC_MODE_TO_WRITE_MODE: Readonly<Record<string, WriteMode>> = {
  append: "add",
  // Membership is a set: adding a member twice is adding it once.
  append_dedup: "add",
  soft_delete: "remove",
  overwrite: "replace",
};

/** The write modes a list stream takes. */
export const LIST_WRITE_MODES: readonly WriteMode[] = ["add", "remove", "replace"];

/** HubSpot's processing types (D-LISTS): MANUAL and SNAPSHOT lists take membership writes, DYNAMIC ones do not. */
export const WRITABLE_PROCESSING_TYPES: readonly string[] = ["MANUAL", "SNAPSHOT"];

/** The connector's own rejection codes for list members. */
export const LIST_REJECTION_CODES = {
  /** The member's record does not exist (and `create_missing_records` is off), or HubSpot named it missing. */
  RECORD_NOT_FOUND: "RECORD_NOT_FOUND",
  /** The list already holds HubSpot's maximum of members. */
  LIST_FULL: "LIST_FULL",
} as const;
