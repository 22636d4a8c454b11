import { describe, expect, it } from "vitest";
import { assertAirbyteMessage, protocolSchemaAvailable } from "../support/protocol-schema.js";

describe("the protocol schema check the integration tests rely on", () => {
  it("is required, not skipped, whenever AIRBYTE_PROTOCOL_SCHEMA is set (as CI sets it)", () => {
    if (process.env.AIRBYTE_PROTOCOL_SCHEMA) expect(protocolSchemaAvailable()).toBe(true);
    else expect(typeof protocolSchemaAvailable()).toBe("boolean");
  });

  it("refuses a message the protocol does not allow", () => {
    // Without the schema on this machine (and not required), there is nothing to check against.
    if (!protocolSchemaAvailable()) return expect(process.env.AIRBYTE_PROTOCOL_SCHEMA ?? "").toBe("");
    expect(() => assertAirbyteMessage({ type: "STATE", state: { type: "NOPE" } })).toThrow(
      /Not a valid AirbyteMessage/,
    );
    expect(() => assertAirbyteMessage({ type: "LOG", log: { level: "LOUD", message: "x" } })).toThrow();
    expect(() => assertAirbyteMessage({ type: "LOG", log: { level: "INFO", message: "x" } })).not.toThrow();
  });
});
