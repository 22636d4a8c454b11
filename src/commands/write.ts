/**
 * `write`: Airbyte messages (with `--catalog`) or plain JSON records (with `--object`) from stdin into HubSpot;
 * with `--plan FILE`, what that write would do, writing nothing.
 *
 * 1. Check the command line: exactly one of `--catalog` and `--object`, no two outputs in one file and no output
 *    in an input's file or stdout's (run/output-files.ts), a readable `--max-rejects`.
 * 2. Read the config and resolve the streams: the catalog's, or raw pipe mode's one stream (targets/streams.ts).
 * 3. Run it (src/run/).
 */
import { configSecrets } from "../config/schema.js";
import { readConfig, readJsonFile } from "../config/read.js";
import { UsageError } from "../errors.js";
import { parseMaxRejects } from "../guards/max-rejects.js";
import { readCatalog } from "../protocol/catalog.js";
import { checkDistinctFiles, outputFiles, streamFiles } from "../run/output-files.js";
import { createLog } from "../run/parts.js";
import type { WriteIo, WriteResult } from "../run/types.js";
import { runWrite } from "../run/write.js";
import { catalogSpecs, rawSpec } from "../targets/streams.js";

export interface WriteOptions {
  config: string;
  catalog?: string;
  object?: string;
  key?: string;
  mode?: string;
  /** `--schema FILE`: raw pipe mode's JSON schema of the records' fields (`create_missing_properties`). */
  schema?: string;
  /** `--rejects FILE.jsonl`: also (or instead of S3) append rejected records to this local file. */
  rejects?: string;
  /** `--max-rejects N` or `N%`: stop early past this many rejected records. */
  maxRejects?: string;
  /** `--plan FILE`: write nothing to HubSpot; write what the write would do to this file (src/dry-run). */
  plan?: string;
  /** `--receipt FILE`: also write the run receipt to this file. */
  receipt?: string;
}

export async function runWriteCommand(options: WriteOptions, io: WriteIo): Promise<WriteResult> {
  const inputs = [
    { option: "--config", path: options.config },
    { option: "--catalog", path: options.catalog },
    ...(await streamFiles({ stdin: io.stdin, stdoutFd: io.writer.descriptor })),
  ];
  await checkDistinctFiles(outputFiles(options), undefined, inputs);
  const raw = checkCommandLine(options);
  const maxRejects = options.maxRejects === undefined ? undefined : parseMaxRejects(options.maxRejects);
  const log = createLog(io, raw, () => undefined);
  const config = await readConfig(options.config, (message) => log("WARN", message));
  io.writer.setSecrets(configSecrets(config));
  const specs = raw
    ? [
        {
          ...rawSpec({ object: options.object as string, key: options.key, mode: options.mode }),
          ...(await rawSchema(options)),
        },
      ]
    : catalogSpecs(await readCatalog(options.catalog as string));
  const { rejects, plan, receipt } = options;
  const input = { command: "write" as const, config, specs, raw, human: raw };
  return runWrite(input, { rejects, maxRejects, plan, receipt }, io);
}

/** `--schema FILE`: a JSON schema object, as a catalog stream's `json_schema` (with `properties`). */
async function rawSchema(options: WriteOptions): Promise<{ jsonSchema?: Record<string, unknown> }> {
  if (options.schema === undefined) return {};
  const schema = await readJsonFile(options.schema, "--schema");
  const properties = (schema as { properties?: unknown } | null)?.properties;
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) {
    throw new UsageError(
      `--schema ${options.schema} must hold a JSON schema object with "properties": each record field and its type.`,
    );
  }
  return { jsonSchema: schema as Record<string, unknown> };
}

/** Raw pipe mode or Airbyte mode: exactly one of `--object` and `--catalog`, else a usage error. */
export function checkCommandLine(options: WriteOptions): boolean {
  if (options.catalog === undefined && options.object === undefined) {
    throw new UsageError(
      "write needs --catalog (Airbyte mode) or --object (raw pipe mode of plain JSON lines).",
    );
  }
  if (options.catalog !== undefined && (options.object || options.key || options.mode || options.schema)) {
    throw new UsageError(
      "--object, --key, --mode and --schema are for raw pipe mode; with --catalog the catalog says all that.",
    );
  }
  if (options.plan !== undefined && options.rejects !== undefined) {
    throw new UsageError(
      "--plan writes nothing but the plan file (its reject lines included); --rejects is for a write.",
    );
  }
  return options.catalog === undefined;
}
