/**
 * How a stream of CRM records is read from the catalog or the command line: its write mode from the protocol's
 * sync mode, and its matching key (one top-level unique-value property, or `email` for contacts). Everything wrong
 * here is the user's to fix: a ConfigError naming the stream.
 */
import type { WriteMode } from "../../contract.js";
import { ConfigError } from "../../errors.js";

/** Contacts are matched by email unless the catalog names another unique property. */
export const DEFAULT_MATCHING_KEYS: Readonly<Record<string, string>> = { CONTACT: "email" };

/**
 * How the protocol's destination sync modes map to what the connector does with CRM records. `append` creates a
 * new record per input record when the stream names no matching key (and its object has no default one); with a
 * key it upserts, as Airbyte's own connector (which declares only `append`) does, so its catalogs keep working and
 * a key the user names makes a create stream idempotent (see `crmWriteMode`).
 */
export const SYNC_MODE_TO_WRITE_MODE: Readonly<Record<string, WriteMode>> = {
  append: "upsert",
  append_dedup: "upsert",
  update: "update",
  soft_delete: "archive",
};

/** The key records of this object match on when none is given (email for contacts). */
export const defaultMatchingKey = (objectName: string): string | undefined =>
  DEFAULT_MATCHING_KEYS[objectName.toUpperCase()];

/** The write mode of a catalog stream of CRM records; a ConfigError for a mode HubSpot cannot do for them. */
export function crmWriteMode(
  label: string,
  objectName: string,
  syncMode: string,
  primaryKey?: string[][] | null,
): WriteMode {
  const keyless = (primaryKey ?? []).length === 0 && defaultMatchingKey(objectName) === undefined;
  if (syncMode === "append" && keyless) return "create";
  const mode = SYNC_MODE_TO_WRITE_MODE[syncMode];
  if (mode) return mode;
  throw new ConfigError(
    `${label} uses destination_sync_mode ${syncMode}, which HubSpot cannot do for ${objectName}; use append (create, or upsert by primary_key), append_dedup (upsert), update or soft_delete (archive). overwrite is for lists (list:<name>).`,
  );
}

/**
 * The matching key of a stream whose records are keyed as `objectName`'s (a list's members are keyed as its
 * object's records): the one top-level property `primary_key` names, else the object's default.
 */
export function matchingKey(
  label: string,
  objectName: string,
  primaryKey: string[][] | undefined | null,
): string {
  const keys = primaryKey ?? [];
  if (keys.length === 0) {
    const fallback = defaultMatchingKey(objectName);
    if (fallback) return fallback;
    throw new ConfigError(
      `${label} has no matching key: set primary_key to a unique-value property of ${objectName}.`,
    );
  }
  if (keys.length > 1 || keys[0]?.length !== 1) {
    throw new ConfigError(
      `${label} has the matching key ${JSON.stringify(keys)}; HubSpot matches on exactly one top-level property.`,
    );
  }
  return keys[0][0] as string;
}
