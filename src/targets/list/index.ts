/**
 * The list kind: a stream named `list:<name>` (or `list[OBJECT]:<name>`) keeps a static list's (segment's)
 * members in step with its records (docs/lists.md). append adds members, soft_delete removes them, overwrite
 * makes the list exactly the stream's members (its sweep removes the others once the source said COMPLETE).
 */
import type { ConfiguredStream } from "../../protocol/catalog.js";
import type { WriteMode } from "../../contract.js";
import { ConfigError, UsageError } from "../../errors.js";
import { defaultMatchingKey, matchingKey } from "../crm-object/streams.js";
import type { Kind } from "../kind.js";
import { ListsApi } from "./api.js";
import { DEFAULT_LIST_OBJECT, isListObject, parseListObject } from "./names.js";
import { discoverListOperations } from "./operations.js";
import { LIST_SYNC_MODE_TO_WRITE_MODE } from "./policies.js";
import { buildListRoutes } from "./routes.js";
import { listWriteScopes } from "./scopes.js";
import { LIST_TARGET } from "./target.js";
import { toConnectorError as classifyHubSpotError } from "../../hubspot/classify.js";

/** The object whose records a list's members are: the one its name pins, else contacts. */
const keyedObject = (objectName: string) => parseListObject(objectName)?.objectName ?? DEFAULT_LIST_OBJECT;

export const listKind: Kind = {
  name: LIST_TARGET.kind,
  claims: isListObject,
  catalogStream(configured, label) {
    const objectName = configured.destination_object_name as string;
    const mode = listWriteMode(label, configured);
    return {
      objectName,
      mode,
      idProperty: matchingKey(label, keyedObject(objectName), configured.primary_key),
    };
  },
  rawStream(objectName, key) {
    const idProperty = key ?? defaultMatchingKey(keyedObject(objectName));
    if (idProperty === undefined) {
      throw new UsageError(
        `--object ${objectName} needs --key: the unique-value property of ${parseListObject(objectName)?.objectName} that names each member (only lists of contacts default to email).`,
      );
    }
    return { objectName, idProperty };
  },
  defaults: (objectName) => ({ mode: "add", key: defaultMatchingKey(keyedObject(objectName)) }),
  scopes: (spec, config) => listWriteScopes(spec.objectName, spec.mode, config.lists.create_missing_records),
  async discover(setup) {
    try {
      const api = new ListsApi(setup.client, setup.client.paths);
      const createMissing = setup.config.lists.create_missing_records;
      return await discoverListOperations(api, setup.objects, createMissing, setup.log);
    } catch (error) {
      const reason = classifyHubSpotError(error, { operation: "searching the lists (segments)" });
      setup.log("WARN", `Discover left out lists (segments): ${reason.message}`);
      return [];
    }
  },
  build: buildListRoutes,
};

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
