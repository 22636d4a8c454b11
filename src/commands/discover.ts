/**
 * `discover`: one DESTINATION_CATALOG message listing every object the credentials can write, per sync mode, with
 * its JSON schema and matching keys. An object that cannot be read is skipped with a LOG warning (in catalog.ts);
 * only a failure that leaves nothing to list (bad token, bad config) fails the command. Custom events follow the
 * CRM objects, or are left out with a warning where the account cannot have them (not Enterprise, no scope); then
 * the static lists (segments), each as `list:<name>`, or none with a warning when the token cannot read lists.
 */
import { configSecrets } from "../config/schema.js";
import { toConnectorError as classifyHubSpotError } from "../hubspot/classify.js";
import { discoverObjects } from "../targets/crm-object/discover.js";
import { eventOperations } from "../targets/event/operations.js";
import { listEventDefinitions } from "../targets/event/wire.js";
import { createHubSpotClient, INTERACTIVE_RETRY } from "../hubspot/factory.js";
import { ListsApi } from "../targets/list/api.js";
import type { DestinationOperation } from "../protocol/messages.js";
import { discoverListOperations } from "../targets/list/operations.js";
import type { MessageWriter } from "../protocol/writer.js";
import { readConfig } from "../config/read.js";

export async function runDiscover(configPath: string, writer: MessageWriter): Promise<void> {
  const config = await readConfig(configPath, (message) => writer.log("WARN", message));
  writer.setSecrets(configSecrets(config));
  const log = (level: "INFO" | "WARN", message: string) => writer.log(level, message);
  const { client } = createHubSpotClient(config, {
    log,
    retry: INTERACTIVE_RETRY,
    onAccessToken: (token) => writer.setSecrets([token]),
  });
  try {
    const discovered = await discoverObjects(client, log);
    const operations: DestinationOperation[] = discovered.operations;
    try {
      operations.push(...eventOperations(await listEventDefinitions(client)));
    } catch (error) {
      const reason = classifyHubSpotError(error, { operation: "listing the custom event definitions" });
      log("WARN", `Discover left out custom events: ${reason.message}`);
    }
    try {
      const api = new ListsApi(client, client.paths);
      operations.push(
        ...(await discoverListOperations(api, discovered.objects, config.lists.create_missing_records, log)),
      );
    } catch (error) {
      const reason = classifyHubSpotError(error, { operation: "searching the lists (segments)" });
      log("WARN", `Discover left out lists (segments): ${reason.message}`);
    }
    await writer.destinationCatalog(operations);
  } catch (error) {
    throw classifyHubSpotError(error, { operation: "discovering the writable objects" });
  } finally {
    await client.close();
  }
}
