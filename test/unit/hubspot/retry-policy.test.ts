import { describe, expect, it } from "vitest";
import { HubSpotApiError, HubSpotNetworkError } from "../../../src/hubspot/api-errors.js";
import { parseErrorBody } from "../../../src/hubspot/error-body.js";
import { createRetryPolicy, RETRY_DEFAULTS } from "../../../src/hubspot/retry-policy.js";

const status = (code: number) =>
  new HubSpotApiError({ method: "POST", path: "/x", status: code, parsed: parseErrorBody("") });
const refused = () =>
  new HubSpotNetworkError({
    method: "POST",
    path: "/x",
    cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
  });

/** A policy on a fake clock: each wait moves the clock on; the random factor is always 1.5. */
function fakePolicy() {
  const clock = { now: 0 };
  const waits: number[] = [];
  const policy = createRetryPolicy(() => {}, RETRY_DEFAULTS, {
    now: () => clock.now,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
      clock.now += ms;
    },
  });
  /** Runs one request whose attempts fail with `failures` in turn, then succeed. */
  const request = async (...failures: Error[]) => {
    let attempts = 0;
    try {
      await policy.run(
        async () => {
          const failure = failures[attempts];
          attempts += 1;
          if (failure) throw failure;
          return "ok";
        },
        { method: "POST", path: "/x" },
      );
    } catch (error) {
      return { attempts, error };
    }
    return { attempts, error: undefined };
  };
  return { clock, waits, request };
}

describe("createRetryPolicy", () => {
  it("waits the base delay again when one request keeps failing while the others succeed", async () => {
    const { waits, request } = fakePolicy();
    for (let i = 0; i < 10; i += 1) await request();
    const unlucky = await request(status(502), status(504), status(502));
    expect(unlucky).toEqual({ attempts: 4, error: undefined });
    expect(waits).toEqual([1_500, 1_500, 1_500]);
  });

  it("doubles every wait while HubSpot fails as a whole", async () => {
    const { waits, request } = fakePolicy();
    const down = await request(status(503), status(503), status(503), status(503));
    expect(down.attempts).toBe(5);
    expect(waits).toEqual([1_500, 3_000, 6_000, 12_000]);
  });

  it("gives up within unreachableMs on a base URL that never answered", async () => {
    const { clock, request } = fakePolicy();
    const never = await request(...Array.from({ length: 20 }, refused));
    expect(never.error).toBeInstanceOf(HubSpotNetworkError);
    expect(never.attempts).toBe(4); // at 0, 1.5, 4.5 and 10.5 s: a wait of 12 s more would pass 20 s
    expect(clock.now).toBeLessThanOrEqual(RETRY_DEFAULTS.unreachableMs);
  });

  it("retries a lost connection with its full patience once HubSpot has answered", async () => {
    const { request } = fakePolicy();
    await request();
    const lost = await request(...Array.from({ length: 20 }, refused));
    expect(lost.attempts).toBe(RETRY_DEFAULTS.retries + 1);
  });

  it("does not retry a 501: the base URL does not serve the route at all", async () => {
    const { waits, request } = fakePolicy();
    const notServed = await request(status(501));
    expect(notServed.attempts).toBe(1);
    expect((notServed.error as HubSpotApiError).status).toBe(501);
    expect(waits).toEqual([]);
  });
});
