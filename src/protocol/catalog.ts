/**
 * The ConfiguredAirbyteCatalog `write` receives. Only what routing needs is required; everything else passes
 * through. A catalog that does not fit is the user's (or platform's) to fix: a ConfigError naming the field.
 */
import * as z from "zod";
import { readJsonFile } from "../config/read.js";
import { ConfigError } from "../errors.js";

export const DESTINATION_SYNC_MODES = [
  "append",
  "overwrite",
  "append_dedup",
  "update",
  "soft_delete",
] as const;
export type DestinationSyncMode = (typeof DESTINATION_SYNC_MODES)[number];

export const ConfiguredStreamSchema = z.looseObject({
  stream: z.looseObject({
    name: z.string().min(1),
    namespace: z.string().nullish(),
    json_schema: z.record(z.string(), z.unknown()).optional(),
  }),
  sync_mode: z.string().optional(),
  destination_sync_mode: z.enum(DESTINATION_SYNC_MODES).default("append"),
  /** The HubSpot object: CONTACT, COMPANY, DEAL, PRODUCT or a custom object's name (Airbyte's names). */
  destination_object_name: z.string().min(1).nullish(),
  /** The matching key, as a list of field paths; HubSpot takes exactly one top-level property. */
  primary_key: z.array(z.array(z.string())).nullish(),
  generation_id: z.number().int().nullish(),
  minimum_generation_id: z.number().int().nullish(),
  sync_id: z.number().int().nullish(),
});
export type ConfiguredStream = z.output<typeof ConfiguredStreamSchema>;

export const ConfiguredCatalogSchema = z.looseObject({ streams: z.array(ConfiguredStreamSchema).min(1) });
export type ConfiguredCatalog = z.output<typeof ConfiguredCatalogSchema>;

export function parseConfiguredCatalog(input: unknown): ConfiguredCatalog {
  const parsed = ConfiguredCatalogSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(catalog)"}: ${issue.message}`,
    );
    throw new ConfigError(`The configured catalog is invalid: ${problems.join("; ")}.`);
  }
  const seen = new Set<string>();
  for (const configured of parsed.data.streams) {
    const key = `${configured.stream.namespace ?? ""}.${configured.stream.name}`;
    if (seen.has(key)) {
      throw new ConfigError(`The configured catalog lists stream ${configured.stream.name} twice.`);
    }
    seen.add(key);
  }
  return parsed.data;
}

/** The `--catalog` file, read and checked. */
export async function readCatalog(path: string): Promise<ConfiguredCatalog> {
  return parseConfiguredCatalog(await readJsonFile(path, "catalog"));
}
