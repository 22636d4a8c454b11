/**
 * Runs once for the whole `vitest run`, before any test file: says once (not once per file) that emitted messages
 * go unvalidated on a machine without the protocol schema, fails the run at once when AIRBYTE_PROTOCOL_SCHEMA
 * names a file that is not there, and compiles the schema's validator once for every file (protocol-schema.ts).
 */
import { existsSync } from "node:fs";
import { protocolSchemaNotice, protocolSchemaSource, writeValidatorModule } from "./protocol-schema.js";

export default function setup(): void {
  const source = protocolSchemaSource();
  if (source.required && !existsSync(source.path))
    throw new Error(`AIRBYTE_PROTOCOL_SCHEMA points at ${source.path}, which does not exist.`);
  const notice = protocolSchemaNotice(source);
  if (notice) process.stderr.write(`${notice}\n`);
  writeValidatorModule(source);
}
