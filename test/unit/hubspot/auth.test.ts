import { describe, expect, it } from "vitest";
import { ConfigError, TransientError } from "../../../src/errors.js";
import { HubSpotApiError } from "../../../src/hubspot/api-errors.js";
import {
  OAuthTokenProvider,
  renewalTime,
  StaticTokenProvider,
  type TokenGrant,
} from "../../../src/hubspot/auth.js";
import { parseErrorBody } from "../../../src/hubspot/error-body.js";

/** A token endpoint stand-in: hands out access-1, access-2, … and counts calls. */
function fakeFetcher(lifetime: number | "no expires_in" = 1800) {
  const expiresInSeconds = lifetime === "no expires_in" ? undefined : lifetime;
  const calls: string[] = [];
  let release: (() => void) | undefined;
  let held: Promise<void> | undefined;
  const fetcher = {
    calls,
    /** Makes the next fetches wait until `open()` is called. */
    hold() {
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    open() {
      release?.();
      held = undefined;
    },
    fetchToken: async (refreshToken: string): Promise<TokenGrant> => {
      calls.push(refreshToken);
      const count = calls.length;
      if (held) await held;
      return { accessToken: `access-${count}`, expiresInSeconds };
    },
  };
  return fetcher;
}

const clock = (start = 1_000_000) => {
  const state = { now: start };
  return { now: () => state.now, advance: (ms: number) => (state.now += ms) };
};

const httpError = (status: number, body: Record<string, unknown>) =>
  new HubSpotApiError({
    method: "POST",
    path: "/oauth/v1/token",
    status,
    parsed: parseErrorBody(JSON.stringify(body)),
  });
const expired = () => httpError(401, { category: "EXPIRED_AUTHENTICATION" });

describe("OAuthTokenProvider", () => {
  it("fetches a token with the refresh token on first use and caches it", async () => {
    const fetcher = fakeFetcher();
    const time = clock();
    const provider = new OAuthTokenProvider({
      refreshToken: "r-1",
      fetchToken: fetcher.fetchToken,
      now: time.now,
    });
    expect(await provider.getToken()).toBe("access-1");
    time.advance(60_000);
    expect(await provider.getToken()).toBe("access-1");
    expect(fetcher.calls).toEqual(["r-1"]);
    expect(provider.accessToken).toBe("access-1");
  });

  it("keeps the token until 60 s before expires_in runs out", async () => {
    const fetcher = fakeFetcher(1800);
    const time = clock();
    const provider = new OAuthTokenProvider({
      refreshToken: "r",
      fetchToken: fetcher.fetchToken,
      now: time.now,
    });
    await provider.getToken();
    time.advance(1740_000 - 1);
    expect(await provider.getToken()).toBe("access-1");
    time.advance(1);
    expect(await provider.getToken()).toBe("access-2");
    expect(fetcher.calls).toHaveLength(2);
  });

  it("renews a short-lived token at half its life rather than on every call", () => {
    expect(renewalTime(0, 30, 60_000)).toBe(15_000);
    expect(renewalTime(0, 1800, 60_000)).toBe(1_740_000);
    expect(renewalTime(0, undefined, 60_000)).toBeUndefined();
  });

  it("keeps a token without expires_in until HubSpot rejects it", async () => {
    const fetcher = fakeFetcher("no expires_in");
    const time = clock();
    const provider = new OAuthTokenProvider({
      refreshToken: "r",
      fetchToken: fetcher.fetchToken,
      now: time.now,
    });
    await provider.getToken();
    time.advance(24 * 3600_000);
    expect(await provider.getToken()).toBe("access-1");
  });

  it("lets concurrent callers share one refresh", async () => {
    const fetcher = fakeFetcher();
    fetcher.hold();
    const provider = new OAuthTokenProvider({ refreshToken: "r", fetchToken: fetcher.fetchToken });
    const tokens = Promise.all([provider.getToken(), provider.getToken(), provider.getToken()]);
    fetcher.open();
    expect(await tokens).toEqual(["access-1", "access-1", "access-1"]);
    expect(fetcher.calls).toHaveLength(1);
  });

  it("refreshes once on 401 EXPIRED_AUTHENTICATION and says a retry makes sense", async () => {
    const fetcher = fakeFetcher();
    const provider = new OAuthTokenProvider({ refreshToken: "r", fetchToken: fetcher.fetchToken });
    await provider.getToken();
    expect(await provider.onUnauthorized(expired(), "access-1")).toBe(true);
    expect(await provider.getToken()).toBe("access-2");
    expect(fetcher.calls).toHaveLength(2);
  });

  it("does not refresh again for a 401 to a token that was already replaced", async () => {
    const fetcher = fakeFetcher();
    const provider = new OAuthTokenProvider({ refreshToken: "r", fetchToken: fetcher.fetchToken });
    await provider.getToken();
    await provider.onUnauthorized(expired(), "access-1");
    expect(await provider.onUnauthorized(expired(), "access-1")).toBe(true);
    expect(fetcher.calls).toHaveLength(2);
  });

  it("does not refresh on a 401 INVALID_AUTHENTICATION", async () => {
    const fetcher = fakeFetcher();
    const provider = new OAuthTokenProvider({ refreshToken: "r", fetchToken: fetcher.fetchToken });
    await provider.getToken();
    const invalid = httpError(401, { category: "INVALID_AUTHENTICATION" });
    expect(await provider.onUnauthorized(invalid, "access-1")).toBe(false);
    expect(fetcher.calls).toHaveLength(1);
  });

  it("turns a rejected refresh token into a ConfigError that keeps the cause", async () => {
    const rejection = httpError(400, {
      error: "invalid_grant",
      status: "BAD_REFRESH_TOKEN",
      message: "refresh token is invalid, expired or revoked",
    });
    const provider = new OAuthTokenProvider({
      refreshToken: "r",
      fetchToken: async () => {
        throw rejection;
      },
    });
    const error = await provider.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(
      /^HubSpot rejected the OAuth refresh token .*reconnect this HubSpot destination/,
    );
    expect((error as ConfigError).cause).toBe(rejection);
  });

  it("reports a token endpoint that is down as transient, and tries again on the next call", async () => {
    let fail = true;
    const provider = new OAuthTokenProvider({
      refreshToken: "r",
      fetchToken: async () => {
        if (fail) throw httpError(503, {});
        return { accessToken: "late", expiresInSeconds: 1800 };
      },
    });
    await expect(provider.getToken()).rejects.toBeInstanceOf(TransientError);
    fail = false;
    expect(await provider.getToken()).toBe("late");
  });

  it("uses a refresh token HubSpot hands back in place of the configured one", async () => {
    const seen: string[] = [];
    const time = clock();
    const provider = new OAuthTokenProvider({
      refreshToken: "r-old",
      now: time.now,
      fetchToken: async (refreshToken) => {
        seen.push(refreshToken);
        return { accessToken: `a${seen.length}`, expiresInSeconds: 1800, refreshToken: "r-new" };
      },
    });
    await provider.getToken();
    time.advance(1800_000);
    await provider.getToken();
    expect(seen).toEqual(["r-old", "r-new"]);
  });
});

describe("StaticTokenProvider", () => {
  it("always answers its token and never asks for a retry", async () => {
    const provider = new StaticTokenProvider("pat-na1-x");
    expect(await provider.getToken()).toBe("pat-na1-x");
    expect(await provider.onUnauthorized()).toBe(false);
    expect(provider.kind).toBe("private-app");
  });
});
