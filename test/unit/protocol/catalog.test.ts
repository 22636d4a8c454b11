import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { parseConfiguredCatalog } from "../../../src/protocol/catalog.js";

const stream = (name: string, extra: Record<string, unknown> = {}) => ({
  stream: { name, json_schema: {}, supported_sync_modes: ["full_refresh"] },
  sync_mode: "full_refresh",
  destination_sync_mode: "append_dedup",
  destination_object_name: "CONTACT",
  primary_key: [["email"]],
  ...extra,
});

describe("parseConfiguredCatalog", () => {
  it("keeps the routing fields and passes unknown ones through", () => {
    const catalog = parseConfiguredCatalog({ streams: [stream("people", { future_field: 1 })] });
    expect(catalog.streams[0]).toMatchObject({
      destination_object_name: "CONTACT",
      primary_key: [["email"]],
      future_field: 1,
    });
  });

  it("defaults destination_sync_mode to append as the protocol does", () => {
    const { destination_sync_mode: _omit, ...rest } = stream("people");
    expect(parseConfiguredCatalog({ streams: [rest] }).streams[0]?.destination_sync_mode).toBe("append");
  });

  it("names the field that is wrong", () => {
    expect(() =>
      parseConfiguredCatalog({ streams: [stream("people", { destination_sync_mode: "sideways" })] }),
    ).toThrow(/streams\.0\.destination_sync_mode/);
  });

  it("refuses a catalog that lists the same stream twice", () => {
    expect(() => parseConfiguredCatalog({ streams: [stream("a"), stream("a")] })).toThrow(ConfigError);
  });

  it("refuses an empty catalog", () => {
    expect(() => parseConfiguredCatalog({ streams: [] })).toThrow(/streams/);
  });
});
