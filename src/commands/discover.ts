/**
 * `discover`: one DESTINATION_CATALOG message listing what the credentials can write, each kind's operations in
 * the registry's order (targets/index.ts): the CRM objects per sync mode with their JSON schemas and matching keys,
 * then custom events, then the static lists (segments). An object or a kind the account cannot offer is left out
 * with a LOG warning (each kind says why); only a failure that leaves nothing to list (bad token, bad config) fails
 * the command.
 */
import { configSecrets } from "../config/schema.js";
import { readConfig } from "../config/read.js";
import { toConnectorError as classifyHubSpotError } from "../hubspot/classify.js";
import { createHubSpotClient, INTERACTIVE_RETRY } from "../hubspot/factory.js";
import type { DestinationOperation } from "../protocol/messages.js";
import type { MessageWriter } from "../protocol/writer.js";
import { TARGET_KINDS } from "../targets/index.js";
import type { KindSetup } from "../targets/kind.js";

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
    const setup: KindSetup = { config, client, log, objects: [] };
    const operations: DestinationOperation[] = [];
    for (const kind of TARGET_KINDS) operations.push(...((await kind.discover?.(setup)) ?? []));
    await writer.destinationCatalog(operations);
  } catch (error) {
    throw classifyHubSpotError(error, { operation: "discovering the writable objects" });
  } finally {
    await client.close();
  }
}
