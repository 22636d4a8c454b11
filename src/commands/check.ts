/**
 * `check`: answers CONNECTION_STATUS SUCCEEDED, or FAILED with a cause a person can act on; exit 0 either way.
 *
 * 1. The config must parse (every bad field is named, no value echoed; unknown keys are warned about).
 * 2. The credentials must work: OAuth gets an access token (a refused refresh token or client is named); its
 *    scopes come from introspection, a private app token's or service key's from access-token-info. When HubSpot
 *    does not know the token there, each standard object's property definitions are read instead, and the answer
 *    says write scopes were not verified.
 * 3. At least one CRM object must be writable with those scopes; objects that are not are listed with the
 *    write scope they lack.
 * 4. With `guards.expected_portal_id`, the credentials must belong to that portal (as `write` checks first).
 *    With `create_missing_properties`, the token must be able to create the properties of an object it writes
 *    (targets/crm-object/properties/check.ts), and the portal's custom-property usage is read and reported.
 * 5. With S3 configured, a test object is written, listed and deleted under `bucket_path`.
 * Whatever fails, the answer is a FAILED status with its cause, never a crash: `check` exits 0.
 */
import { type Config, configSecrets } from "../config/schema.js";
import { ConfigError, toConnectorError } from "../errors.js";
import { HubSpotApiError } from "../hubspot/api-errors.js";
import { toConnectorError as classifyHubSpotError } from "../hubspot/classify.js";
import type { HubSpotClient } from "../hubspot/client.js";
import { createHubSpotClient, INTERACTIVE_RETRY } from "../hubspot/factory.js";
import { OBJECT_SCOPES, STANDARD_OBJECT_NAMES, STANDARD_OBJECTS } from "../hubspot/policies.js";
import type { MessageWriter } from "../protocol/writer.js";
import { checkPortal } from "../guards/portal.js";
import { listEventDefinitions } from "../targets/event/wire.js";
import { grantedScopes } from "../hubspot/scopes.js";
import { checkPropertyCreation } from "../targets/crm-object/properties/check.js";
import { readConfig } from "../config/read.js";

export async function runCheck(configPath: string, writer: MessageWriter): Promise<void> {
  try {
    const { status, message } = await checkConnection(configPath, writer);
    await writer.connectionStatus(status, message);
  } catch (error) {
    // `check` answers with a status whatever happens (exit 0): a failure it did not foresee is a FAILED status
    // too, said to be the connector's own when it is.
    const failure = toConnectorError(error);
    const message =
      failure.failureType === "system_error"
        ? `${failure.message} The connector did not expect this failure: if it happens again, please report it.`
        : failure.message;
    await writer.connectionStatus("FAILED", message);
  }
}

interface CheckAnswer {
  status: "SUCCEEDED" | "FAILED";
  message: string;
}

const failed = (message: string): CheckAnswer => ({ status: "FAILED", message });

/** Steps 1-5; a failure HubSpot's answers explain is classified here, anything else is thrown. */
async function checkConnection(configPath: string, writer: MessageWriter): Promise<CheckAnswer> {
  const config = await readConfig(configPath, (message) => writer.log("WARN", message));
  writer.setSecrets(configSecrets(config));
  const { client } = createHubSpotClient(config, {
    log: (level, message) => writer.log(level, message),
    retry: INTERACTIVE_RETRY,
    onAccessToken: (token) => writer.setSecrets([token]),
  });
  try {
    const access = await checkHubSpot(client);
    if (!access.ok) return failed(access.reason);
    // The portal guard refuses a write for another portal at once: check is where a user learns it.
    await checkPortal(config.guards.expected_portal_id, access.hubId, async () => {
      return (await client.getAccountDetails()).portalId;
    });
    const events = await checkEvents(client, config);
    if (!events.ok) return failed(events.reason);
    const properties = await checkPropertyCreation(config, client, access.scopes);
    if (!properties.ok) return failed(properties.reason);
    const storage = config.object_storage_config;
    let storeNote = "rejected records are only counted (object_storage_config is None)";
    if (storage.storage_type === "S3") {
      // The AWS SDK is loaded only when S3 is configured (rejects/create-sink.ts says why).
      const { checkS3Store } = await import("../rejects/check-store.js");
      const store = await checkS3Store(storage);
      if (!store.ok)
        return failed(`HubSpot works, but the rejected-records store does not: ${store.reason}.`);
      storeNote = `rejected records go to s3://${storage.s3_bucket_name}/${storage.bucket_path}`;
    }
    const created = properties.summary ? `; ${properties.summary}` : "";
    return { status: "SUCCEEDED", message: `${access.summary}; ${events.summary}${created}; ${storeNote}.` };
  } catch (error) {
    throw classifyHubSpotError(error, { operation: "checking the connection" });
  } finally {
    await client.close();
  }
}

type AccessResult =
  | { ok: true; summary: string; hubId?: number | undefined; scopes?: string[] | undefined }
  | { ok: false; reason: string };

async function checkHubSpot(client: HubSpotClient): Promise<AccessResult> {
  const granted = await grantedScopes(client);
  if (granted) {
    const scopes = new Set(granted.scopes);
    const has = (requirement: readonly string[]) => requirement.some((scope) => scopes.has(scope));
    const writable = STANDARD_OBJECT_NAMES.filter((name) => has(OBJECT_SCOPES[name].write)) as string[];
    if (has(OBJECT_SCOPES.CUSTOM.write)) writable.push("custom objects");
    const missing = [...STANDARD_OBJECT_NAMES, "CUSTOM" as const]
      .filter((name) => !has(OBJECT_SCOPES[name].write))
      .map(
        (name) =>
          `${name === "CUSTOM" ? "custom objects" : name} needs ${OBJECT_SCOPES[name].write.join(" or ")}`,
      );
    const who = `The ${granted.credential} token of HubSpot portal ${granted.hubId}`;
    if (writable.length === 0) {
      return {
        ok: false,
        reason: `${who} has none of the write scopes the connector needs: ${missing.join("; ")}. Add them to the app (or key), then run check again.`,
      };
    }
    return {
      ok: true,
      hubId: granted.hubId,
      scopes: granted.scopes,
      summary: `Connected to HubSpot portal ${granted.hubId} with a ${granted.credential} token; writable: ${writable.join(", ")}${missing.length ? `; missing write scopes: ${missing.join("; ")}` : ""}`,
    };
  }
  return probeObjects(client);
}

/** When HubSpot cannot say what the token may do: a cheap read per object, which names missing read scopes. */
async function probeObjects(client: HubSpotClient): Promise<AccessResult> {
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
    summary: `Connected to HubSpot with a private app token or service key; readable: ${readable.join(", ")}${missing.length ? `; missing scopes for ${missing.join("; ")}` : ""}; write scopes were not verified (HubSpot's token info does not know this token)`,
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
