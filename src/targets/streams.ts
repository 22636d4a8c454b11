/**
 * Resolves what each stream writes before any record is read: the HubSpot object (standard name, or a custom
 * object's name resolved once to its `2-…` type id), the matching key, the write mode, and the mapper compiled from
 * the object's property definitions. Everything wrong here is the user's to fix, so it is a ConfigError.
 */
import { ConfigError } from "../errors.js";
import { EVENT_OBJECT_PREFIX, GENERIC_EVENTS_OBJECT } from "./event/wire.js";
import { canonicalObjectName, STANDARD_OBJECTS } from "../hubspot/policies.js";
import type { ObjectSchema, Property } from "../hubspot/types.js";
import { DEFAULT_LIST_OBJECT, isListObject, parseListObject } from "./list/names.js";
import { LIST_SYNC_MODE_TO_WRITE_MODE } from "./list/policies.js";
import type { ConfiguredCatalog, ConfiguredStream } from "../protocol/catalog.js";
import { streamKey } from "../protocol/stream-key.js";
import type { WriteMode } from "../contract.js";

/** `EVENTS` (the generic operation) and `event:<name>` (one event definition) send custom events. */
export const isEventObject = (objectName: string) =>
  objectName === GENERIC_EVENTS_OBJECT || objectName.startsWith(EVENT_OBJECT_PREFIX);

/** The mode a raw pipe run (`--object`) writes in without `--mode`. */
export function defaultWriteMode(objectName: string): WriteMode {
  if (isEventObject(objectName)) return "send";
  return isListObject(objectName) ? "add" : "upsert";
}

/** Contacts are matched by email unless the catalog names another unique property. */
export const DEFAULT_MATCHING_KEYS: Record<string, string> = { CONTACT: "email" };

const standardObject = (name: string) =>
  (STANDARD_OBJECTS as Record<string, { objectTypeId: string } | undefined>)[name.toUpperCase()];

/** How the protocol's destination sync modes map to what the connector does. */
export const SYNC_MODE_TO_WRITE_MODE: Record<string, WriteMode> = {
  // Airbyte's own connector declares only `append` and upserts; keep its catalogs working.
  append: "upsert",
  append_dedup: "upsert",
  update: "update",
  soft_delete: "archive",
};

export interface StreamSpec {
  key: string;
  streamName: string;
  namespace: string | undefined;
  objectName: string;
  mode: WriteMode;
  idProperty: string;
  syncId: number | undefined;
  generationId: number | undefined;
  /** Plain JSON lines from `--object`: the end of the input is the end of the source. */
  raw?: boolean;
  /**
   * Rejected records of earlier runs sent again (`replay`): `generationId` is the one they were read in, which may
   * be long past, and the input is no source's whole (a replayed overwrite never sweeps).
   */
  replay?: boolean;
}

export interface ResolvedObject {
  objectName: string;
  objectType: string;
  properties: Property[];
}

export function planFromCatalog(catalog: ConfiguredCatalog): StreamSpec[] {
  return catalog.streams.map((configured) => {
    const name = configured.stream.name;
    const namespace = configured.stream.namespace ?? undefined;
    const label = `Stream ${streamKey(name, namespace)}`;
    const named = configured.destination_object_name;
    const objectName = named ? canonicalObjectName(named) : named;
    if (!objectName) {
      throw new ConfigError(
        `${label} has no destination_object_name: choose the HubSpot object (CONTACT, COMPANY, DEAL, PRODUCT or a custom object) in the connection's mapping.`,
      );
    }
    const mode = isListObject(objectName)
      ? listWriteMode(label, configured)
      : SYNC_MODE_TO_WRITE_MODE[configured.destination_sync_mode];
    if (!mode) {
      throw new ConfigError(
        `${label} uses destination_sync_mode ${configured.destination_sync_mode}, which HubSpot cannot do for ${objectName}; use append_dedup (upsert), update or soft_delete (archive). overwrite is for lists (list:<name>).`,
      );
    }
    return {
      key: streamKey(name, namespace),
      streamName: name,
      namespace,
      objectName,
      mode,
      idProperty: isEventObject(objectName) ? "uuid" : matchingKey(label, objectName, configured.primary_key),
      syncId: configured.sync_id ?? undefined,
      generationId: configured.generation_id ?? undefined,
    };
  });
}

/**
 * A list stream's mode: append adds, soft_delete removes, overwrite replaces. An overwrite removes what the source
 * no longer has, so it needs to see the whole source (full_refresh, not incremental) and the generation id that
 * tells a resumed sync from a new one (docs/lists.md).
 */
function listWriteMode(label: string, configured: ConfiguredStream): WriteMode {
  const mode = LIST_SYNC_MODE_TO_WRITE_MODE[configured.destination_sync_mode];
  if (!mode) {
    throw new ConfigError(
      `${label} uses destination_sync_mode ${configured.destination_sync_mode} for ${configured.destination_object_name}; a list takes append (add members), soft_delete (remove them) or overwrite (make the list exactly the stream's members).`,
    );
  }
  if (mode === "replace" && configured.sync_mode === "incremental") {
    throw new ConfigError(
      `${label} overwrites ${configured.destination_object_name} from an incremental read, which sends only changed records: every other member would be removed. Use full_refresh with overwrite, or append and soft_delete.`,
    );
  }
  if (mode === "replace" && typeof configured.generation_id !== "number") {
    throw new ConfigError(
      `${label} overwrites ${configured.destination_object_name}, but the catalog has no generation_id to tell a resumed sync from a new one; this needs an Airbyte platform that sends generation ids (1.0 or later).`,
    );
  }
  return mode;
}

/** The object whose records a stream's keys name: a list's members are keyed as its object's records are. */
function keyedObject(objectName: string): string {
  const list = parseListObject(objectName);
  return list ? (list.objectName ?? DEFAULT_LIST_OBJECT) : objectName;
}

/** The key a stream of this object matches on when none is given (email for contacts and lists of them). */
export function defaultMatchingKey(objectName: string): string | undefined {
  return DEFAULT_MATCHING_KEYS[keyedObject(objectName).toUpperCase()];
}

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
      `${label} has no matching key: set primary_key to a unique-value property of ${keyedObject(objectName)}.`,
    );
  }
  if (keys.length > 1 || keys[0]?.length !== 1) {
    throw new ConfigError(
      `${label} has the matching key ${JSON.stringify(keys)}; HubSpot matches on exactly one top-level property.`,
    );
  }
  return keys[0][0] as string;
}

/** The minimal client surface needed to resolve objects. */
export interface ObjectCatalogSource {
  listProperties(objectType: string): Promise<Property[]>;
  listSchemas(): Promise<ObjectSchema[]>;
}

/** Reads each distinct object's definitions once; custom objects come from one schemas call. */
export async function resolveObjects(
  objectNames: Iterable<string>,
  source: ObjectCatalogSource,
): Promise<Map<string, ResolvedObject>> {
  const resolved = new Map<string, ResolvedObject>();
  let schemas: ObjectSchema[] | undefined;
  for (const objectName of new Set(objectNames)) {
    const standard = standardObject(objectName);
    if (standard) {
      const properties = await source.listProperties(standard.objectTypeId);
      resolved.set(objectName, { objectName, objectType: standard.objectTypeId, properties });
      continue;
    }
    schemas ??= await source.listSchemas();
    const schema = schemas.find(
      (candidate) =>
        candidate.name === objectName ||
        candidate.fullyQualifiedName === objectName ||
        candidate.objectTypeId === objectName,
    );
    if (!schema?.objectTypeId) {
      const known = ["CONTACT", "COMPANY", "DEAL", "PRODUCT", ...schemas.map((candidate) => candidate.name)];
      throw new ConfigError(
        `HubSpot has no object ${objectName}. Objects this portal can take: ${known.join(", ")}.`,
      );
    }
    resolved.set(objectName, {
      objectName,
      objectType: schema.objectTypeId,
      properties: schema.properties ?? [],
    });
  }
  return resolved;
}
