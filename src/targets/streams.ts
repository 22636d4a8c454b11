/**
 * Resolves what each stream writes before any record is read, by the kind that claims its object name: the object
 * (in the connector's spelling), the write mode and the matching key. From an Airbyte catalog, from raw pipe mode's
 * `--object`, `--key` and `--mode`, or for a replayed row stored without its key or mode. Everything wrong here is
 * the user's to fix: a ConfigError (a UsageError on the command line).
 */
import { type StreamSpec, WRITE_MODES, type WriteMode } from "../contract.js";
import { ConfigError, UsageError } from "../errors.js";
import type { ConfiguredCatalog } from "../protocol/catalog.js";
import { streamKey } from "../protocol/stream-key.js";
import { kindOf } from "./index.js";

/** Each configured stream of a catalog. */
export function catalogSpecs(catalog: ConfiguredCatalog): StreamSpec[] {
  return catalog.streams.map((configured) => {
    const name = configured.stream.name;
    const namespace = configured.stream.namespace ?? undefined;
    const key = streamKey(name, namespace);
    const label = `Stream ${key}`;
    const named = configured.destination_object_name;
    if (!named) {
      throw new ConfigError(
        `${label} has no destination_object_name: choose the HubSpot object (CONTACT, COMPANY, DEAL, PRODUCT or a custom object) in the connection's mapping.`,
      );
    }
    const kind = kindOf(named);
    const { objectName, mode, idProperty } = kind.catalogStream(configured, label);
    const ids = {
      syncId: configured.sync_id ?? undefined,
      generationId: configured.generation_id ?? undefined,
    };
    const jsonSchema = configured.stream.json_schema;
    return {
      key,
      streamName: name,
      namespace,
      kind: kind.name,
      objectName,
      mode,
      idProperty,
      ...ids,
      jsonSchema,
    };
  });
}

/** Raw pipe mode's one stream, `stdin`: `--object`, with `--key` and `--mode` or the object's defaults. */
export function rawSpec(options: {
  object: string;
  key?: string | undefined;
  mode?: string | undefined;
}): StreamSpec {
  const kind = kindOf(options.object);
  const { objectName, idProperty } = kind.rawStream(options.object, options.key);
  const mode = options.mode ?? kind.defaults(objectName).mode;
  if (!(WRITE_MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`--mode must be one of ${WRITE_MODES.join(", ")}.`);
  }
  return {
    key: streamKey("stdin"),
    streamName: "stdin",
    namespace: undefined,
    kind: kind.name,
    objectName,
    mode: mode as WriteMode,
    idProperty,
    syncId: undefined,
    generationId: undefined,
    raw: true,
  };
}

/** The kind, mode and key of a stream of this object when none were recorded (replay's older rows). */
export function defaultsOf(objectName: string): { kind: string; mode: WriteMode; key: string | undefined } {
  const kind = kindOf(objectName);
  return { kind: kind.name, ...kind.defaults(objectName) };
}
