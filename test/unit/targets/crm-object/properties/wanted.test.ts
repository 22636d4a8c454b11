import { describe, expect, it } from "vitest";
import type { StreamSpec } from "../../../../../src/contract.js";
import { ConfigError } from "../../../../../src/errors.js";
import type { CustomPropertyLimits } from "../../../../../src/hubspot/property-writes.js";
import { checkPropertyRoom } from "../../../../../src/targets/crm-object/properties/limits.js";
import { wantedProperties } from "../../../../../src/targets/crm-object/properties/wanted.js";

const spec = (
  key: string,
  properties: Record<string, unknown>,
  extra: Partial<StreamSpec> = {},
): StreamSpec => ({
  key,
  streamName: key,
  namespace: undefined,
  kind: "crm-object",
  objectName: "CONTACT",
  mode: "upsert",
  idProperty: "email",
  jsonSchema: { type: "object", properties },
  ...extra,
});

const stream = (s: StreamSpec, linkFields: string[] = []) => ({
  spec: s,
  objectType: "0-1",
  existing: [
    { name: "email", type: "string" },
    { name: "firstname", type: "string" },
  ],
  linkFields: new Set(linkFields),
});

describe("the fields that become properties", () => {
  it("wants declared fields that are not properties, leaving out the key, link fields and Airbyte's metadata", () => {
    const fields = {
      email: { type: "string" },
      firstname: { type: "string" },
      score: { type: "integer" },
      company_key: { type: "string" },
      _airbyte_extracted_at: { type: "integer" },
    };
    const { objects } = wantedProperties([stream(spec(".people", fields), ["company_key"])]);
    expect([...(objects.get("CONTACT")?.properties.keys() ?? [])]).toEqual(["score"]);
  });

  it("wants nothing of an archive stream, which writes no property", () => {
    const { objects } = wantedProperties([stream(spec(".gone", { score: {} }, { mode: "archive" }))]);
    expect(objects.size).toBe(0);
  });

  it("sets aside, per stream, the fields whose name HubSpot cannot take", () => {
    const { objects, unnamable } = wantedProperties([stream(spec(".people", { "Order ID": {}, ok: {} }))]);
    expect([...(unnamable.get(".people")?.keys() ?? [])]).toEqual(["Order ID"]);
    expect([...(objects.get("CONTACT")?.properties.keys() ?? [])]).toEqual(["ok"]);
  });

  it("wants a field two streams of one object declare alike once, and refuses one they type differently", () => {
    const same = wantedProperties([
      stream(spec(".a", { score: { type: "integer" } })),
      stream(spec(".b", { score: { type: "number" } })),
    ]);
    expect(same.objects.get("CONTACT")?.properties.size).toBe(1);
    expect(() =>
      wantedProperties([
        stream(spec(".a", { score: { type: "integer" } })),
        stream(spec(".b", { score: { type: "string" } })),
      ]),
    ).toThrow(/Streams \.a and \.b both bring field score to CONTACT, as number\/number and as string\/text/);
  });
});

describe("the custom-property limits", () => {
  const wants = (count: number) =>
    wantedProperties([
      stream(
        spec(
          ".p",
          Object.fromEntries(Array.from({ length: count }, (_, i) => [`f${i}`, { type: "string" }])),
        ),
      ),
    ]).objects.get("CONTACT");
  const limits = (
    usage: number,
    limit: number,
    overall = { usage: 0, limit: 10_000 },
  ): CustomPropertyLimits => ({
    overallLimit: overall.limit,
    overallUsage: overall.usage,
    byObjectType: [{ objectTypeId: "0-1", limit, usage, pluralLabel: "Contacts" }],
  });

  it("lets a run fill an object's limit exactly", () => {
    expect(() => checkPropertyRoom(limits(97, 100), [wants(3)!])).not.toThrow();
  });

  it("refuses one property past the object's limit, naming the object and the figures", () => {
    expect(() => checkPropertyRoom(limits(98, 100), [wants(3)!])).toThrow(ConfigError);
    expect(() => checkPropertyRoom(limits(98, 100), [wants(3)!])).toThrow(
      "create_missing_properties would create 3 properties of CONTACT (f0, f1, f2), but HubSpot allows 100 custom properties for contacts and 98 are in use: 2 left.",
    );
  });

  it("refuses a run past the portal's overall limit", () => {
    expect(() => checkPropertyRoom(limits(0, 100, { usage: 9, limit: 10 }), [wants(2)!])).toThrow(
      /the portal allows 10 custom properties in all and 9 are in use: 1 left/,
    );
  });
});
