import { describe, expect, it } from "vitest";
import { EventsConfig } from "../../../../src/config/events.js";
import { ConfigError } from "../../../../src/errors.js";
import type { EventDefinition } from "../../../../src/targets/event/wire.js";
import { compileEventMapping, type EventMappingOptions } from "../../../../src/targets/event/mapper.js";
import { deriveUuid, stableJson } from "../../../../src/content-id.js";
import { parseJson } from "../../../../src/exact-json.js";
import { decodeUtf8 } from "../../../../src/protocol/utf8.js";

const SIGNED_UP: EventDefinition = {
  name: "signed_up",
  fullyQualifiedName: "pe1_signed_up",
  primaryObject: "CONTACT",
  properties: [
    { name: "plan", type: "enumeration", options: [{ value: "free" }, { value: "pro" }] },
    { name: "seats", type: "number" },
    { name: "page_url", type: "string" },
    { name: "source", type: "string" },
  ],
};
const DEAL_EVENT: EventDefinition = {
  name: "deal_viewed",
  fullyQualifiedName: "pe1_deal_viewed",
  primaryObject: "DEAL",
  properties: [],
};
const ARCHIVED: EventDefinition = {
  name: "old",
  fullyQualifiedName: "pe1_old",
  archived: true,
  properties: [],
};

const compile = (objectName: string, events: unknown = {}, extra: Partial<EventMappingOptions> = {}) =>
  compileEventMapping({
    objectName,
    streamKey: "s",
    definitions: [SIGNED_UP, DEAL_EVENT, ARCHIVED],
    events: EventsConfig.parse(events),
    unknownProperties: "reject",
    dateTimeZone: "UTC",
    ...extra,
  });

const outcome = (result: ReturnType<ReturnType<typeof compile>["map"]>) =>
  !result.ok ? `!${result.rejection.code}` : result.skip ? "skip" : result.properties;

describe("event mapping for one definition", () => {
  const signedUp = compile("event:signed_up");

  it("builds the envelope and converts properties by their type", () => {
    expect(
      outcome(signedUp.map({ email: " A@X.co ", plan: "pro", seats: "3", occurred_at: 0, uuid: "u-1" })),
    ).toEqual({
      $eventName: "pe1_signed_up",
      $email: "a@x.co",
      $occurredAt: "1970-01-01T00:00:00.000Z",
      plan: "pro",
      seats: "3",
    });
  });

  it.each([
    [{ plan: "pro" }, "!MISSING_IDENTIFIER"],
    [{ email: "a@x.co", plan: "gold" }, "!INVALID_OPTION"],
    [{ email: "a@x.co", seats: "many" }, "!INVALID_NUMBER"],
    [{ email: "a@x.co", source: "x".repeat(257) }, "!VALUE_TOO_LONG"],
    [
      { email: "a@x.co", page_url: "x".repeat(1024) },
      { $eventName: "pe1_signed_up", $email: "a@x.co", page_url: "x".repeat(1024) },
    ],
    [{ email: "a@x.co", page_url: "x".repeat(1025) }, "!VALUE_TOO_LONG"],
    [{ email: "a@x.co", nope: 1 }, "!UNKNOWN_PROPERTY"],
    [{ email: "a@x.co", occurred_at: "yesterday" }, "!INVALID_DATETIME"],
    [[1], "!DATA_NOT_OBJECT"],
  ])("maps %j to %j", (data, expected) => {
    expect(outcome(signedUp.map(data))).toEqual(expected);
  });

  it("uses the record's own uuid, else one derived from its content", () => {
    const own = signedUp.map({ email: "a@x.co", uuid: "given" });
    expect(own.ok && !own.skip && own.id).toBe("given");
    const first = signedUp.map({ email: "a@x.co", plan: "pro" });
    const again = signedUp.map({ plan: "pro", email: "a@x.co" });
    const other = signedUp.map({ email: "b@x.co", plan: "pro" });
    const id = (result: typeof first) => (result.ok && !result.skip ? result.id : "");
    expect(id(first)).toBe(id(again));
    expect(id(first)).not.toBe(id(other));
    expect(id(first)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("needs object_id for an event on another object than contacts", () => {
    const deal = compile("event:deal_viewed");
    expect(outcome(deal.map({ email: "a@x.co" }))).toBe("!MISSING_IDENTIFIER");
    expect(outcome(deal.map({ object_id: 42 }))).toEqual({ $eventName: "pe1_deal_viewed", $objectId: "42" });
  });

  it("refuses an identifier that would name another record or is not text, naming the field", () => {
    const deal = compile("event:deal_viewed");
    expect(deal.map(parseJson('{"object_id":12345678901234567890}'))).toMatchObject({
      ok: false,
      rejection: { code: "INVALID_NUMBER", field: "object_id" },
    });
    const badBytes = Buffer.concat([Buffer.from('{"email":"a'), Buffer.from([0xff]), Buffer.from('@x.co"}')]);
    expect(signedUp.map(parseJson(decodeUtf8(badBytes)))).toMatchObject({
      ok: false,
      rejection: { code: "INVALID_STRING", field: "email" },
    });
    expect(signedUp.map({ email: "a@x.co", uuid: "u-\udc80" })).toMatchObject({
      ok: false,
      rejection: { code: "INVALID_STRING", field: "uuid" },
    });
  });

  it("refuses a stream for an event the account does not have", () => {
    expect(() => compile("event:nope")).toThrow(ConfigError);
  });
});

describe("event mapping for the generic EVENTS stream", () => {
  const mapped = compile("EVENTS", {
    mappings: [
      {
        source_event: "Signed Up",
        event_name: "signed_up",
        event_properties: [{ source: "Plan Name", name: "plan" }],
        user_properties: [{ source: "seats", type: "number" }],
        filters: [{ property: "platform", equals: "web" }],
      },
      { source_event: "Archived", event_name: "old" },
      { source_event: "Ghost", event_name: "ghost" },
      {
        source_event: "Clash",
        event_name: "signed_up",
        event_properties: [{ source: "seats", type: "string" }],
      },
    ],
  });

  it("sends only the selected, renamed properties of a mapped event", () => {
    const result = mapped.map({
      event_type: "Signed Up",
      email: "a@x.co",
      event_properties: { "Plan Name": "free", platform: "web", other: 1 },
      user_properties: { seats: 2, age: 40 },
    });
    expect(outcome(result)).toEqual({
      $eventName: "pe1_signed_up",
      $email: "a@x.co",
      plan: "free",
      seats: "2",
    });
  });

  it.each([
    [{ event_type: "Page Viewed", email: "a@x.co" }, "skip"],
    [{ event_type: "Signed Up", email: "a@x.co", event_properties: { platform: "ios" } }, "skip"],
    [{ event_type: "Archived", email: "a@x.co" }, "!EVENT_DEFINITION_ARCHIVED"],
    [{ event_type: "Ghost", email: "a@x.co" }, "!EVENT_DEFINITION_NOT_FOUND"],
    [{ event_type: "Clash", email: "a@x.co" }, "!PROPERTY_TYPE_CLASH"],
  ])("maps %j to %j", (data, expected) => {
    expect(outcome(mapped.map(data))).toEqual(expected);
  });

  it("without mappings, sends to the event the record names", () => {
    const open = compile("EVENTS");
    expect(outcome(open.map({ event_name: "signed_up", utk: "t", properties: { plan: "pro" } }))).toEqual({
      $eventName: "pe1_signed_up",
      $utk: "t",
      plan: "pro",
    });
    expect(outcome(open.map({ utk: "t" }))).toBe("!MISSING_EVENT_NAME");
    expect(outcome(open.map({ event_name: "nope", utk: "t" }))).toBe("!EVENT_DEFINITION_NOT_FOUND");
  });

  it("without mappings, never takes event_type for the event's name: the record is rejected naming event_name", () => {
    const open = compile("EVENTS");
    // signed_up is a live definition: the event_type matches it, and must still not be sent there.
    const mapped = open.map({ event_type: "signed_up", utk: "t" });
    expect(outcome(mapped)).toBe("!MISSING_EVENT_NAME");
    expect(mapped.ok ? undefined : mapped.rejection).toMatchObject({
      field: "event_name",
      message: expect.stringContaining("its event_type is read only through events.mappings") as unknown,
    });
  });

  it("refuses a mapped source property that is no valid HubSpot name unless renamed", () => {
    expect(() =>
      compile("EVENTS", {
        mappings: [
          { source_event: "X", event_name: "signed_up", event_properties: [{ source: "Plan Name" }] },
        ],
      }),
    ).toThrow(/Plan Name is not a valid HubSpot property name/);
  });
});

describe("stableJson", () => {
  it("ignores key order and undefined values", () => {
    expect(stableJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe(stableJson({ a: [{ d: 2 }], b: 1 }));
  });

  it("distinguishes streams in derived uuids", () => {
    expect(deriveUuid("a", { x: 1 })).not.toBe(deriveUuid("b", { x: 1 }));
  });
});
