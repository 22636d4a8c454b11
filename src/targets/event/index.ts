/**
 * The event kind: a stream named `EVENTS` (records name their event, Amplitude's shape, sent as `events.mappings`
 * say) or `event:<name>` (one event definition) sends custom behavioral events (docs/events.md). Occurrences are
 * only appended; a replay is harmless, as HubSpot keeps the first occurrence of a uuid.
 */
import { ConfigError } from "../../errors.js";
import { toConnectorError as classifyHubSpotError } from "../../hubspot/classify.js";
import { EVENT_SCOPES } from "../../hubspot/policies.js";
import type { Kind } from "../kind.js";
import { eventOperations } from "./operations.js";
import { buildEventRoutes } from "./routes.js";
import { EVENT_TARGET } from "./target.js";
import { EVENT_OBJECT_PREFIX, GENERIC_EVENTS_OBJECT, listEventDefinitions } from "./wire.js";

/** `EVENTS` (the generic operation) and `event:<name>` (one event definition) send custom events. */
export const isEventObject = (objectName: string) =>
  objectName === GENERIC_EVENTS_OBJECT || objectName.startsWith(EVENT_OBJECT_PREFIX);

/** Occurrences are keyed by their uuid (derived from the record when it has none). */
const UUID = "uuid";

export const eventKind: Kind = {
  name: EVENT_TARGET.kind,
  claims: isEventObject,
  catalogStream(configured, label) {
    const objectName = configured.destination_object_name as string;
    const syncMode = configured.destination_sync_mode;
    if (syncMode !== "append" && syncMode !== "append_dedup") {
      throw new ConfigError(
        `${label} writes the events ${objectName} with destination_sync_mode ${syncMode}; events can only be appended (sent): use append.`,
      );
    }
    return { objectName, mode: "send", idProperty: UUID };
  },
  rawStream: (objectName) => ({ objectName, idProperty: UUID }),
  defaults: () => ({ mode: "send", key: UUID }),
  // Sending, and managing definitions when the connector may create them.
  scopes: (_spec, config) =>
    config.events.create_definitions ? [EVENT_SCOPES.send, EVENT_SCOPES.definitions] : [EVENT_SCOPES.send],
  async discover(setup) {
    try {
      return eventOperations(await listEventDefinitions(setup.client));
    } catch (error) {
      const reason = classifyHubSpotError(error, { operation: "listing the custom event definitions" });
      setup.log("WARN", `Discover left out custom events: ${reason.message}`);
      return [];
    }
  },
  build: buildEventRoutes,
};
