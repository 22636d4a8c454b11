/**
 * Validates messages against the official Airbyte protocol schema (`airbyte_protocol.yaml`). The file lives outside
 * the repository (../shared/reference/…, or wherever AIRBYTE_PROTOCOL_SCHEMA points). When AIRBYTE_PROTOCOL_SCHEMA
 * is set (CI sets it whenever the machine has the schema), a missing file fails every check instead of skipping;
 * only on a developer machine without the file is validation skipped, and the suite's global setup
 * (global-setup.ts) says so once for the whole run.
 *
 * Compiling the schema takes about 0.4 s of CPU, once per test file; the global setup compiles it once for the
 * run into a module in the temp folder (keyed by the schema's content), which each file's setup imports instead.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { _, Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import standaloneCodeModule from "ajv/dist/standalone/index.js";
import { parse } from "yaml";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface SchemaSource {
  path: string;
  /** Set explicitly (AIRBYTE_PROTOCOL_SCHEMA): a missing file is an error, not a skip. */
  required: boolean;
}

/** Where this run's schema is, and whether it must be there, from the environment. */
export function protocolSchemaSource(env: Record<string, string | undefined> = process.env): SchemaSource {
  const given = env.AIRBYTE_PROTOCOL_SCHEMA ?? "";
  return given !== ""
    ? { path: given, required: true }
    : {
        path: resolve(REPO_ROOT, "../shared/reference/airbyte-protocol/airbyte_protocol.yaml"),
        required: false,
      };
}

export const PROTOCOL_SCHEMA_PATH = protocolSchemaSource().path;

/**
 * The validator of AirbyteMessage built from the schema at `source.path`; null when the file is missing and not
 * required; throws when it is missing and required.
 */
export function loadMessageValidator(source: SchemaSource): ValidateFunction | null {
  return compile(source, false)?.validate ?? null;
}

const FORMATS = pathToFileURL(createRequire(import.meta.url).resolve("ajv-formats/dist/formats.js")).href;

function compile(source: SchemaSource, asModule: boolean): { ajv: Ajv; validate: ValidateFunction } | null {
  if (!existsSync(source.path)) {
    if (source.required)
      throw new Error(`AIRBYTE_PROTOCOL_SCHEMA points at ${source.path}, which does not exist.`);
    return null;
  }
  const schema = parse(readFileSync(source.path, "utf8")) as { $id: string };
  // The schema uses codegen hints (existingJavaType) that are not JSON Schema keywords: not strict.
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    ...(asModule
      ? {
          code: {
            source: true,
            esm: true,
            formats: _`(await import(${FORMATS})).default.fullFormats`,
          },
        }
      : {}),
  });
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addSchema(schema);
  return { ajv, validate: ajv.compile({ $ref: `${schema.$id}#/definitions/AirbyteMessage` }) };
}

/** Where the compiled validator module of this schema's content lives (undefined without the schema). */
export function validatorModulePath(source: SchemaSource): string | undefined {
  if (!existsSync(source.path)) return undefined;
  // The module imports ajv-formats by absolute path: a clone elsewhere (or a moved one) needs its own module.
  const digest = createHash("sha256")
    .update(readFileSync(source.path))
    .update(FORMATS)
    .digest("hex")
    .slice(0, 16);
  return join(tmpdir(), `destination-hubspot-protocol-validator-${digest}.mjs`);
}

/** Compiles the validator into its module once (the global setup); a module already there is kept. */
export function writeValidatorModule(source: SchemaSource): void {
  const path = validatorModulePath(source);
  const compiled = path && !existsSync(path) ? compile(source, true) : null;
  if (!path || !compiled) return;
  const standaloneCode = standaloneCodeModule as unknown as (ajv: Ajv, validate: ValidateFunction) => string;
  const partial = `${path}.${process.pid}`;
  writeFileSync(partial, standaloneCode(compiled.ajv, compiled.validate));
  renameSync(partial, path);
}

/** What the global setup prints when this run validates nothing; undefined when it validates. */
export function protocolSchemaNotice(source: SchemaSource): string | undefined {
  if (source.required || existsSync(source.path)) return undefined;
  return `NOTICE: ${source.path} not found; emitted messages are NOT validated against the protocol.`;
}

/** Throws with the validator's complaints when `message` is not valid. */
export function assertValid(validate: ValidateFunction, message: unknown): void {
  if (validate(message)) return;
  const problems = (validate.errors ?? [])
    .map((error) => `${error.instancePath || "/"} ${error.message}`)
    .join("; ");
  throw new Error(`Not a valid AirbyteMessage (${problems}): ${JSON.stringify(message).slice(0, 500)}`);
}

let validator: ValidateFunction | null | undefined;

/** Takes the validator from the module the global setup compiled, when there is one (a test file's setup). */
export async function preloadValidator(): Promise<void> {
  const path = validatorModulePath(protocolSchemaSource());
  if (validator !== undefined || !path || !existsSync(path)) return;
  validator = ((await import(pathToFileURL(path).href)) as { default: ValidateFunction }).default;
}

/** Throws with the schema's complaints when `message` is not a valid AirbyteMessage (a no-op without the schema). */
export function assertAirbyteMessage(message: unknown): void {
  if (validator === undefined) validator = loadMessageValidator(protocolSchemaSource());
  if (validator) assertValid(validator, message);
}
