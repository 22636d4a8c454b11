/**
 * The connector's configuration: one zod schema is the source of the `Config` type, of the validation `check`,
 * `discover` and `write` run on the config file, and of `spec/spec.json` (see `spec.ts`).
 *
 * It is a superset of Airbyte's own destination-hubspot spec (`credentials` with an OAuth branch,
 * `object_storage_config` with None and S3 branches, the same field names), so configs written for that connector
 * work here unchanged. Fields beyond it all have safe defaults.
 */
import * as z from "zod";
import { AssociationsConfig } from "./associations.js";
import { ListsConfig } from "./lists.js";
import { ObjectStorage } from "./storage.js";
import { cleanSecret, unknownKeyWarnings, withCredentialsType } from "./checks.js";
import { EventsConfig } from "./events.js";
import { GuardsConfig } from "./guards.js";
import { ConfigError } from "../errors.js";
import { API_VERSIONS, DEFAULT_API_VERSION } from "./api-versions.js";

const secret = (title: string, order: number, description?: string) =>
  z
    .string()
    .min(1, "must not be empty")
    .meta({ title, order, airbyte_secret: true, ...(description ? { description } : {}) });

const OAuthCredentials = z
  .object({
    type: z.literal("OAuth"),
    client_id: secret("Client ID", 0, "The client ID of your HubSpot app."),
    client_secret: secret("Client Secret", 1, "The client secret of your HubSpot app."),
    refresh_token: secret("Refresh Token", 2, "A refresh token obtained through HubSpot's OAuth flow."),
  })
  .meta({ title: "OAuth" });

const PrivateAppCredentials = z
  .object({
    type: z.literal("Private App"),
    access_token: secret(
      "Access Token or Service Key",
      0,
      "The access token of a HubSpot private app, or a service key (which replaces legacy private apps; sent the same way), such as pat-na1-…",
    ),
  })
  .meta({ title: "Private App or Service Key" });

const Credentials = z.discriminatedUnion("type", [OAuthCredentials, PrivateAppCredentials]).meta({
  title: "Credentials",
  description: "Choose how to authenticate to HubSpot.",
  order: 0,
});

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Plain http is only for a sandbox on this machine: tokens must never cross a network in clear text. */
function isAllowedBaseUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && (LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith("127."));
}

export const DEFAULT_API_BASE_URL = "https://api.hubapi.com";

export const ConfigSchema = z
  .object({
    credentials: Credentials,
    object_storage_config: ObjectStorage.default({ storage_type: "None" }),
    api_base_url: z
      .string()
      .default(DEFAULT_API_BASE_URL)
      .refine(isAllowedBaseUrl, "must be an https:// URL (plain http:// is allowed only for loopback hosts)")
      .meta({
        title: "API Base URL",
        order: 2,
        description:
          "HubSpot's API host. EU-hosted accounts may use https://api-eu1.hubapi.com; the built-in sandbox runs on http://127.0.0.1.",
        examples: ["https://api.hubapi.com", "https://api-eu1.hubapi.com"],
      }),
    api_version: z.enum(API_VERSIONS).default(DEFAULT_API_VERSION).meta({
      title: "API Version",
      order: 3,
      description:
        "HubSpot API version for every call: a date-based version (2026-09, 2026-03), or legacy for the numbered /crm/v3, /crm/v4 and /events/v3 paths, which HubSpot stops supporting in 2027.",
    }),
    batch_size: z.number().int().min(1).max(100).default(100).meta({
      title: "Batch Size",
      order: 4,
      description: "Records per CRM batch request (HubSpot allows 100).",
    }),
    max_concurrent_requests: z.number().int().min(1).max(64).default(8).meta({
      title: "Concurrent Requests",
      order: 5,
      description:
        "Requests in flight at once; the rate governor still keeps the total under HubSpot's limits.",
    }),
    max_requests_per_10s: z.number().int().min(1).optional().meta({
      title: "Request Cap per 10 Seconds",
      order: 6,
      description:
        "Caps this connector below the portal's burst limit, to leave room for other apps. Empty: use the limit HubSpot reports.",
    }),
    linger_ms: z.number().int().min(0).max(60_000).default(1000).meta({
      title: "Batch Linger (ms)",
      order: 7,
      description: "How long a partly filled batch may wait for more records before it is sent.",
    }),
    request_timeout_seconds: z.number().int().min(1).max(600).default(60).meta({
      title: "Request Timeout (s)",
      order: 8,
      description: "A request without a response after this long is abandoned and retried.",
    }),
    unknown_properties: z.enum(["reject", "drop"]).default("reject").meta({
      title: "Unknown Properties",
      order: 9,
      description:
        "What to do with a record field that is not a writable HubSpot property: reject the record (naming the field) or drop the field.",
    }),
    create_missing_properties: z.boolean().default(false).meta({
      title: "Create Missing Properties",
      order: 9,
      description:
        "Create a CRM stream's fields that are not properties of its object before the first record, typed from the stream's JSON schema, in the property group destination_hubspot. Needs the object's schema-write scope; the portal's custom-property limit is checked first.",
    }),
    null_values: z.enum(["clear", "ignore"]).default("clear").meta({
      title: "Null Values",
      order: 10,
      description:
        "clear: a JSON null empties the HubSpot property. ignore: a null leaves the stored value untouched.",
    }),
    date_time_zone: z
      .string()
      .default("UTC")
      .refine(isValidTimeZone, "must be an IANA time zone such as UTC or Europe/Paris")
      .meta({
        title: "Time Zone for Dates",
        order: 11,
        description:
          "The zone in which timestamps without an offset are read; a timestamp for a date-only property must be midnight in it.",
      }),
    events: EventsConfig.default(EventsConfig.parse({})),
    associations: AssociationsConfig.default([]),
    lists: ListsConfig.default({ create_missing_lists: false, create_missing_records: false }),
    guards: GuardsConfig.default(GuardsConfig.parse({})),
  })
  .meta({ title: "HubSpot Destination Spec" });

function isValidTimeZone(zone: string): boolean {
  // The default needs no check, and Intl's first formatter costs every run that parses a config about 50 ms of
  // CPU to load the time zone data (mapping/dates.ts reads UTC without Intl too).
  if (zone === "UTC") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type Credentials = Config["credentials"];

/** Every secret value in a config, so output can be redacted as a last line of defence. */
export function configSecrets(config: Config): string[] {
  const values: (string | undefined)[] = [];
  const c = config.credentials;
  if (c.type === "OAuth") values.push(c.client_id, c.client_secret, c.refresh_token);
  else values.push(c.access_token);
  const s = config.object_storage_config;
  if (s.storage_type === "S3") values.push(s.access_key_id, s.secret_access_key);
  return values.filter((v): v is string => typeof v === "string" && v.length > 0);
}

/**
 * Validates a parsed config. A failure becomes one ConfigError naming each bad field and what is wrong with it;
 * zod's messages describe the expected type or options, never the received value, so no secret is echoed.
 * Around the schema (checks.ts): unknown keys are warned about with the closest known one, a missing
 * `credentials.type` is filled in as Airbyte's spec does, and secrets are trimmed (with a warning) and checked
 * for characters an HTTP header cannot carry.
 */
export function parseConfig(raw: unknown, warn: (message: string) => void = () => {}): Config {
  const input = withCredentialsType(raw);
  for (const warning of unknownKeyWarnings(ConfigSchema, input)) warn(warning);
  const result = ConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join(".") : "(config)";
      return `${path}: ${issue.message}`;
    });
    throw new ConfigError(`The config is not valid. ${problems.join("; ")}`);
  }
  return cleanSecrets(result.data, warn);
}

/** The config with every credential and S3 key trimmed and checked (see `cleanSecret`). */
function cleanSecrets(config: Config, warn: (message: string) => void): Config {
  const c = config.credentials;
  const credentials: Credentials =
    c.type === "OAuth"
      ? {
          ...c,
          client_id: cleanSecret("credentials.client_id", c.client_id, warn),
          client_secret: cleanSecret("credentials.client_secret", c.client_secret, warn),
          refresh_token: cleanSecret("credentials.refresh_token", c.refresh_token, warn),
        }
      : { ...c, access_token: cleanSecret("credentials.access_token", c.access_token, warn) };
  const storage = config.object_storage_config;
  if (storage.storage_type !== "S3") return { ...config, credentials };
  const key = (field: "access_key_id" | "secret_access_key") =>
    storage[field] ? cleanSecret(`object_storage_config.${field}`, storage[field], warn) : storage[field];
  return {
    ...config,
    credentials,
    object_storage_config: {
      ...storage,
      access_key_id: key("access_key_id"),
      secret_access_key: key("secret_access_key"),
    },
  };
}
