/**
 * `check`: answers CONNECTION_STATUS SUCCEEDED, or FAILED with a cause a person can act on; exit 0 either way.
 *
 * 1. The config must parse (every bad field is named, no value echoed).
 * 2. The credentials must work: OAuth gets an access token (a refused refresh token or client is named) and reads
 *    its scopes; a private app token is tried on each standard object's property definitions.
 * 3. At least one CRM object must be writable with those scopes; objects that are not are listed with the
 *    scope they lack.
 * 4. With S3 configured, a test object is written, listed and deleted under `bucket_path`.
 */
import { type Config, configSecrets } from "../config.js";
import { ConfigError, isConnectorError } from "../errors.js";
import { HubSpotApiError } from "../hubspot/api-errors.js";
import { toConnectorError as classifyHubSpotError } from "../hubspot/classify.js";
import type { HubSpotClient } from "../hubspot/client.js";
import { createHubSpotClient, INTERACTIVE_RETRY } from "../hubspot/factory.js";
import {
  OBJECT_SCOPES,
  STANDARD_OBJECT_NAMES,
  STANDARD_OBJECTS,
  type StandardObjectName,
} from "../hubspot/policies.js";
import type { MessageWriter } from "../protocol/writer.js";
import { listEventDefinitions } from "../hubspot/events.js";
import { checkS3Store } from "../rejects/check-store.js";
import { readConfig } from "./inputs.js";

export async function runCheck(configPath: string, writer: MessageWriter): Promise<void> {
  let config: Config;
  try {
    config = await readConfig(configPath);
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    return writer.connectionStatus("FAILED", error.message);
  }
  writer.setSecrets(configSecrets(config));
  const { client } = createHubSpotClient(config, {
    log: (level, message) => writer.log(level, message),
    retry: INTERACTIVE_RETRY,
    onAccessToken: (token) => writer.setSecrets([token]),
  });
  try {
    const access = await checkHubSpot(client);
    if (!access.ok) return writer.connectionStatus("FAILED", access.reason);
    const events = await checkEvents(client, config);
    if (!events.ok) return writer.connectionStatus("FAILED", events.reason);
    const storage = config.object_storage_config;
    let storeNote = "rejected records are only counted (object_storage_config is None)";
    if (storage.storage_type === "S3") {
      const store = await checkS3Store(storage);
      if (!store.ok) {
        return writer.connectionStatus(
          "FAILED",
          `HubSpot works, but the rejected-records store does not: ${store.reason}.`,
        );
      }
      storeNote = `rejected records go to s3://${storage.s3_bucket_name}/${storage.bucket_path}`;
    }
    return writer.connectionStatus("SUCCEEDED", `${access.summary}; ${events.summary}; ${storeNote}.`);
  } catch (error) {
    const failure = classifyHubSpotError(error, { operation: "checking the connection" });
    if (failure.failureType === "system_error") throw failure;
    return writer.connectionStatus("FAILED", failure.message);
  } finally {
    await client.close();
  }
}

type AccessResult = { ok: true; summary: string } | { ok: false; reason: string };

async function checkHubSpot(client: HubSpotClient): Promise<AccessResult> {
  const info = await client.getAccessTokenInfo();
  if (info) {
    const scopes = new Set(info.scopes);
    const has = (requirement: readonly string[]) => requirement.some((scope) => scopes.has(scope));
    const writable = STANDARD_OBJECT_NAMES.filter((name) => has(OBJECT_SCOPES[name].write));
    if (has(OBJECT_SCOPES.CUSTOM.write)) writable.push("CUSTOM" as StandardObjectName);
    if (writable.length === 0) {
      return {
        ok: false,
        reason: `The OAuth token of portal ${info.hub_id} has none of the write scopes the connector needs (for example ${OBJECT_SCOPES.CONTACT.write[0]}); reinstall the app with them.`,
      };
    }
    const missing = STANDARD_OBJECT_NAMES.filter((name) => !has(OBJECT_SCOPES[name].write)).map(
      (name) => `${name} (${OBJECT_SCOPES[name].write.join(" or ")})`,
    );
    return {
      ok: true,
      summary: `Connected to HubSpot portal ${info.hub_id} with OAuth; writable: ${writable.join(", ").replace("CUSTOM", "custom objects")}${missing.length ? `; missing scopes for ${missing.join(", ")}` : ""}`,
    };
  }

  // A private app token: HubSpot's introspection does not know it, so try a cheap read per object.
  const readable: string[] = [];
  const missing: string[] = [];
  for (const name of STANDARD_OBJECT_NAMES) {
    try {
      await client.listProperties(STANDARD_OBJECTS[name].objectTypeId);
      readable.push(name);
    } catch (error) {
      if (error instanceof HubSpotApiError && error.status === 403) {
        missing.push(
          `${name} (${(error.requiredScopes.length ? error.requiredScopes : OBJECT_SCOPES[name].schemaRead).join(" or ")})`,
        );
        continue;
      }
      throw error;
    }
  }
  if (readable.length === 0) {
    throw new ConfigError(
      `The private app token can reach none of CONTACT, COMPANY, DEAL, PRODUCT; add the scopes: ${missing.join("; ")}.`,
    );
  }
  return {
    ok: true,
    summary: `Connected to HubSpot with a private app token; readable: ${readable.join(", ")}${missing.length ? `; missing scopes for ${missing.join("; ")}` : ""}`,
  };
}

/**
 * Custom events need an Enterprise hub and two scopes. When the config maps events, not having them fails the
 * check; otherwise it is only reported, since CRM writes work without them.
 */
async function checkEvents(client: HubSpotClient, config: Config): Promise<AccessResult> {
  const wanted = config.events.mappings.length > 0;
  try {
    const definitions = await listEventDefinitions(client);
    return { ok: true, summary: `custom events: ${definitions.length} event definitions readable` };
  } catch (error) {
    const failure = classifyHubSpotError(error, { operation: "listing the custom event definitions" });
    if (failure.failureType !== "config_error") throw failure;
    return wanted
      ? { ok: false, reason: `The config maps custom events, but ${failure.message}` }
      : { ok: true, summary: `custom events unavailable (${failure.message})` };
  }
}
