/**
 * `discover`: one DESTINATION_CATALOG message listing every object the credentials can write, per sync mode, with
 * its JSON schema and matching keys. An object that cannot be read is skipped with a LOG warning (in catalog.ts);
 * only a failure that leaves nothing to list (bad token, bad config) fails the command.
 */
import { configSecrets } from "../config.js";
import { toConnectorError as classifyHubSpotError } from "../hubspot/classify.js";
import { discoverOperations } from "../hubspot/catalog.js";
import { createHubSpotClient, INTERACTIVE_RETRY } from "../hubspot/factory.js";
import type { MessageWriter } from "../protocol/writer.js";
import { readConfig } from "./inputs.js";

export async function runDiscover(configPath: string, writer: MessageWriter): Promise<void> {
  const config = await readConfig(configPath);
  writer.setSecrets(configSecrets(config));
  const log = (level: "INFO" | "WARN", message: string) => writer.log(level, message);
  const { client } = createHubSpotClient(config, { log, retry: INTERACTIVE_RETRY });
  try {
    const operations = await discoverOperations(client, log);
    await writer.destinationCatalog(operations);
  } catch (error) {
    throw classifyHubSpotError(error, { operation: "discovering the writable objects" });
  } finally {
    await client.close();
  }
}
