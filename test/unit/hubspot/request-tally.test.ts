import { describe, expect, it } from "vitest";
import { endpointOf, NO_ANSWER, RequestTally } from "../../../src/hubspot/request-tally.js";

describe("endpointOf", () => {
  it.each([
    ["POST", "/crm/objects/2026-09/0-1/batch/upsert", "POST /crm/objects/2026-09/0-1/batch/upsert"],
    ["GET", "/crm/v3/objects/contacts/1000001", "GET /crm/v3/objects/contacts/{id}"],
    ["PATCH", "/crm/v3/objects/contacts/a%40x.co", "PATCH /crm/v3/objects/contacts/{id}"],
    ["GET", "/crm/v3/properties/2-1234567", "GET /crm/v3/properties/2-1234567"],
    ["PUT", "/crm/lists/2026-09/9876/memberships/add", "PUT /crm/lists/2026-09/{id}/memberships/add"],
    ["GET", "/oauth/v1/access-tokens/[redacted]", "GET /oauth/v1/access-tokens/{id}"],
    [
      "POST",
      "/events/v3/event-definitions/signed_up/property",
      "POST /events/v3/event-definitions/signed_up/property",
    ],
  ])("names %s %s as %s", (method, path, expected) => {
    expect(endpointOf(method, path)).toBe(expected);
  });
});

describe("RequestTally", () => {
  it("counts answers by status and by endpoint, and requests that got no answer apart", () => {
    const tally = new RequestTally();
    tally.answered(200, "POST /a", 12);
    tally.answered(429, "POST /a", 3);
    tally.answered(200, "GET /b", 40);
    tally.failed("POST /a");
    expect(tally.sent).toBe(4);
    expect(tally.unanswered).toBe(1);
    expect(tally.count(200)).toBe(2);
    expect(Object.fromEntries(tally.byEndpoint.get("POST /a") ?? [])).toEqual({
      200: 1,
      429: 1,
      [NO_ANSWER]: 1,
    });
    expect(tally.latency.count).toBe(3);
    expect(tally.latency.summary().maxMs).toBe(40);
  });
});
