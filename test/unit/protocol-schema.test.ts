import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import {
  assertValid,
  loadMessageValidator,
  protocolSchemaNotice,
  protocolSchemaSource,
  validatorModulePath,
  writeValidatorModule,
} from "../support/protocol-schema.js";

/** A small schema of our own in the official file's shape: an `$id`, and AirbyteMessage among its definitions. */
function fixtureSchema(): string {
  const path = join(mkdtempSync(join(tmpdir(), "protocol-schema-")), "protocol.yaml");
  writeFileSync(
    path,
    [
      "$id: https://example.com/fixture-protocol.yaml",
      "definitions:",
      "  AirbyteMessage:",
      "    type: object",
      "    required: [type]",
      "    properties:",
      "      type: { type: string, enum: [LOG, STATE] }",
      "      log: { $ref: '#/definitions/AirbyteLogMessage' }",
      "  AirbyteLogMessage:",
      "    type: object",
      "    required: [level, message]",
      "    existingJavaType: not.a.keyword",
      "    properties:",
      "      level: { type: string, enum: [INFO, WARN] }",
      "      message: { type: string }",
      "      stack_trace: { type: string, format: uri }",
    ].join("\n"),
  );
  return path;
}

const MISSING = "/nonexistent/airbyte_protocol.yaml";

describe("the protocol schema check the integration tests rely on", () => {
  it("is required, with the path given, when AIRBYTE_PROTOCOL_SCHEMA is set, and optional otherwise", () => {
    expect(protocolSchemaSource({ AIRBYTE_PROTOCOL_SCHEMA: "/x/p.yaml" })).toEqual({
      path: "/x/p.yaml",
      required: true,
    });
    const fallback = protocolSchemaSource({});
    expect(fallback.required).toBe(false);
    expect(fallback.path).toMatch(/shared\/reference\/airbyte-protocol\/airbyte_protocol\.yaml$/);
    expect(protocolSchemaSource({ AIRBYTE_PROTOCOL_SCHEMA: "" }).required).toBe(false);
  });

  it("fails loudly when a required schema is missing, and skips with a notice only when it is optional", () => {
    expect(() => loadMessageValidator({ path: MISSING, required: true })).toThrow(/does not exist/);
    expect(protocolSchemaNotice({ path: MISSING, required: true })).toBeUndefined();
    expect(loadMessageValidator({ path: MISSING, required: false })).toBeNull();
    expect(protocolSchemaNotice({ path: MISSING, required: false })).toContain("NOT validated");
    expect(protocolSchemaNotice({ path: fixtureSchema(), required: false })).toBeUndefined();
  });

  it("validates against the schema's AirbyteMessage, following its references and ignoring codegen hints", () => {
    const validate = loadMessageValidator({ path: fixtureSchema(), required: true });
    if (!validate) throw new Error("the fixture schema did not load");
    expect(() => assertValid(validate, { type: "LOG", log: { level: "INFO", message: "x" } })).not.toThrow();
    expect(() => assertValid(validate, { type: "NOPE" })).toThrow(/Not a valid AirbyteMessage \(\/type/);
    expect(() => assertValid(validate, { type: "LOG", log: { level: "LOUD", message: "x" } })).toThrow(
      /\/log\/level/,
    );
  });

  it("compiles, once, into a module that validates as the compiled validator does (formats included)", async () => {
    const source = { path: fixtureSchema(), required: true };
    writeValidatorModule(source);
    const path = validatorModulePath(source) as string;
    const fromModule = ((await import(pathToFileURL(path).href)) as { default: ValidateFunction }).default;
    const compiled = loadMessageValidator(source) as ValidateFunction;
    const cases = [
      { type: "LOG", log: { level: "INFO", message: "x" } },
      { type: "LOG", log: { level: "LOUD", message: "x" } },
      { type: "LOG", log: { level: "WARN", message: "x", stack_trace: "https://example.com/trace" } },
      { type: "LOG", log: { level: "WARN", message: "x", stack_trace: "not a uri" } },
      { type: "NOPE" },
    ];
    const verdicts = (validate: ValidateFunction) =>
      cases.map((message) => {
        try {
          assertValid(validate, message);
          return "valid";
        } catch (error) {
          return (error as Error).message;
        }
      });
    expect(verdicts(fromModule)).toEqual(verdicts(compiled));
    expect(verdicts(compiled).map((verdict) => verdict === "valid")).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
  });

  const official = protocolSchemaSource();
  // Required (AIRBYTE_PROTOCOL_SCHEMA set, as CI sets it), this runs and fails on a missing file; it is skipped,
  // visibly, only on a machine that has no schema and does not ask for one.
  it.skipIf(!official.required && protocolSchemaNotice(official) !== undefined)(
    "refuses, with the official schema, a STATE of no known type and a LOG of no known level",
    () => {
      const validate = loadMessageValidator(official);
      if (!validate) throw new Error(`no schema at ${official.path}`);
      expect(() => assertValid(validate, { type: "STATE", state: { type: "NOPE" } })).toThrow(
        /Not a valid AirbyteMessage/,
      );
      expect(() => assertValid(validate, { type: "LOG", log: { level: "LOUD", message: "x" } })).toThrow();
      expect(() =>
        assertValid(validate, { type: "LOG", log: { level: "INFO", message: "x" } }),
      ).not.toThrow();
    },
  );
});
