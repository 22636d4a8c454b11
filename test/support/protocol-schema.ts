/**
 * Validates messages against the official Airbyte protocol schema (`airbyte_protocol.yaml`). The file lives outside
 * the repository (../shared/reference/…, or wherever AIRBYTE_PROTOCOL_SCHEMA points). When AIRBYTE_PROTOCOL_SCHEMA
 * is set (CI sets it whenever the machine has the schema), a missing file fails every check instead of skipping;
 * only on a developer machine without the file is validation skipped, with a visible notice.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Set explicitly: validation is required. */
const REQUIRED =
  process.env.AIRBYTE_PROTOCOL_SCHEMA !== undefined && process.env.AIRBYTE_PROTOCOL_SCHEMA !== "";
export const PROTOCOL_SCHEMA_PATH = REQUIRED
  ? (process.env.AIRBYTE_PROTOCOL_SCHEMA as string)
  : resolve(REPO_ROOT, "../shared/reference/airbyte-protocol/airbyte_protocol.yaml");

let validator: ValidateFunction | null | undefined;
let noticeShown = false;

function load(): ValidateFunction | null {
  if (validator !== undefined) return validator;
  if (!existsSync(PROTOCOL_SCHEMA_PATH)) {
    if (REQUIRED)
      throw new Error(`AIRBYTE_PROTOCOL_SCHEMA points at ${PROTOCOL_SCHEMA_PATH}, which does not exist.`);
    validator = null;
    return null;
  }
  const schema = parse(readFileSync(PROTOCOL_SCHEMA_PATH, "utf8")) as { $id: string };
  // The schema uses codegen hints (existingJavaType) that are not JSON Schema keywords: not strict.
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addSchema(schema);
  validator = ajv.compile({ $ref: `${schema.$id}#/definitions/AirbyteMessage` });
  return validator;
}

export const protocolSchemaAvailable = () => load() !== null;

/** Throws with the schema's complaints when `message` is not a valid AirbyteMessage. */
export function assertAirbyteMessage(message: unknown): void {
  const validate = load();
  if (!validate) {
    if (!noticeShown) {
      noticeShown = true;
      console.warn(
        `NOTICE: ${PROTOCOL_SCHEMA_PATH} not found; emitted messages are NOT validated against the protocol.`,
      );
    }
    return;
  }
  if (!validate(message)) {
    const problems = (validate.errors ?? [])
      .map((error) => `${error.instancePath || "/"} ${error.message}`)
      .join("; ");
    throw new Error(`Not a valid AirbyteMessage (${problems}): ${JSON.stringify(message).slice(0, 500)}`);
  }
}
