/**
 * Builds the Airbyte ConnectorSpecification from the zod config schema. `spec/spec.json` is this function's output,
 * checked in and drift-tested, so the schema in `schema.ts` stays the one source.
 */
import * as z from "zod";
import { ConfigSchema } from "./schema.js";

export const DOCUMENTATION_URL = "https://github.com/destination-hubspot/destination-hubspot#readme";

/**
 * The write modes the connector honours (`append` is treated as `append_dedup` for CRM objects: HubSpot has no blind
 * insert we use; for a list it adds members). `overwrite` is for lists only: it makes a list the stream's members.
 */
export const SUPPORTED_DESTINATION_SYNC_MODES = [
  "append",
  "append_dedup",
  "update",
  "soft_delete",
  "overwrite",
] as const;

type JsonObject = { [key: string]: unknown };

/**
 * Airbyte's UI picks a oneOf branch by a discriminator field carrying `enum` and `default`; zod writes `const`.
 * Add both so configs made in the Airbyte UI carry the discriminator.
 */
function addDiscriminatorHints(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) addDiscriminatorHints(item);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const object = node as JsonObject;
  if ("const" in object && typeof object.const === "string") {
    object.enum = [object.const];
    object.default = object.const;
  }
  for (const value of Object.values(object)) addDiscriminatorHints(value);
}

export function buildConnectionSpecification(): JsonObject {
  const schema = z.toJSONSchema(ConfigSchema, { target: "draft-7", io: "input" }) as JsonObject;
  addDiscriminatorHints(schema);
  // Airbyte sends configs with fields we may not know (from newer UIs); they are ignored, not refused.
  schema.additionalProperties = true;
  return schema;
}

export function buildSpecification(): JsonObject {
  return {
    documentationUrl: DOCUMENTATION_URL,
    connectionSpecification: buildConnectionSpecification(),
    supportsIncremental: true,
    supportsNormalization: false,
    supportsDBT: false,
    supported_destination_sync_modes: [...SUPPORTED_DESTINATION_SYNC_MODES],
    advanced_auth: {
      auth_flow_type: "oauth2.0",
      predicate_key: ["credentials", "type"],
      predicate_value: "OAuth",
      oauth_config_specification: {
        complete_oauth_output_specification: {
          type: "object",
          properties: {
            refresh_token: { type: "string", path_in_connector_config: ["credentials", "refresh_token"] },
          },
        },
        complete_oauth_server_input_specification: {
          type: "object",
          properties: { client_id: { type: "string" }, client_secret: { type: "string" } },
        },
        complete_oauth_server_output_specification: {
          type: "object",
          properties: {
            client_id: { type: "string", path_in_connector_config: ["credentials", "client_id"] },
            client_secret: { type: "string", path_in_connector_config: ["credentials", "client_secret"] },
          },
        },
      },
    },
  };
}
