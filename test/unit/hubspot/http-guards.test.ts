import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, SystemError } from "../../../src/errors.js";
import { StaticTokenProvider } from "../../../src/hubspot/auth.js";
import { headerValueProblem } from "../../../src/config/header-values.js";
import { isInvalidRequestError } from "../../../src/hubspot/header-values.js";
import { HubSpotHttp } from "../../../src/hubspot/http.js";
import type { RetryPolicy } from "../../../src/hubspot/http-types.js";
import { RequestTally } from "../../../src/hubspot/request-tally.js";
import { sendJson, type StubServer, startStubServer } from "./stub-server.js";

let stub: StubServer;
const clients: HubSpotHttp[] = [];

beforeEach(async () => {
  stub = await startStubServer();
  stub.handle((_request, response) => sendJson(response, 200, { ok: true }));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await stub.close();
});

/** A retry policy that counts attempts and retries everything up to three times. */
function countingRetry() {
  const policy = {
    attempts: 0,
    async run<T>(attempt: () => Promise<T>): Promise<T> {
      for (let left = 3; ; left -= 1) {
        policy.attempts += 1;
        try {
          return await attempt();
        } catch (error) {
          if (left === 0 || error instanceof ConfigError || error instanceof SystemError) throw error;
        }
      }
    },
  } satisfies RetryPolicy & { attempts: number };
  return policy;
}

function http(token: string, extra: { retry?: RetryPolicy; tally?: RequestTally } = {}) {
  // Short timeouts: a request stuck behind a lost connection fails the test in seconds rather than hanging it.
  const client = new HubSpotHttp({
    baseUrl: stub.baseUrl,
    tokens: new StaticTokenProvider(token),
    connections: 1,
    timeouts: { connectMs: 1_000, headersMs: 1_000 },
    ...extra,
  });
  clients.push(client);
  return client;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => new Error("no failure"),
    (error: unknown) => error,
  );

describe("HubSpotHttp's guards", () => {
  it("refuses a token with a line break as a ConfigError naming the field, sending nothing", async () => {
    const retry = countingRetry();
    const error = await failure(http("pat-na1-abc\ndef", { retry }).request({ method: "GET", path: "/x" }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(
      "credentials.access_token contains a line break (\\n) at character 12",
    );
    expect((error as Error).message).not.toContain("abc");
    expect(retry.attempts).toBe(1);
    expect(stub.seen).toHaveLength(0);
  });

  it("does not retry a request Node refuses as built, and still serves later requests on a one-connection pool", async () => {
    const retry = countingRetry();
    const client = http("pat-ok", { retry });
    for (let index = 0; index < 3; index += 1) {
      const error = await failure(client.request({ method: "GET", path: "/a path with spaces" }));
      expect(error).toBeInstanceOf(SystemError);
      expect(isInvalidRequestError((error as Error).cause)).toBe(true);
    }
    expect(retry.attempts).toBe(3);
    const answer = await client.request<{ ok: boolean }>({ method: "GET", path: "/fine" });
    expect(answer.body).toEqual({ ok: true });
  });

  it("counts each exchange by status, and those without an answer", async () => {
    const tally = new RequestTally();
    stub.handle((request, response) => sendJson(response, request.url === "/busy" ? 429 : 200, {}));
    const client = http("pat-ok", { tally });
    await client.request({ method: "GET", path: "/fine" });
    await failure(client.request({ method: "GET", path: "/busy" }));
    expect(tally.sent).toBe(2);
    expect(tally.count(200)).toBe(1);
    expect(tally.count(429)).toBe(1);
    await stub.close();
    await failure(client.request({ method: "GET", path: "/gone" }));
    expect(tally.unanswered).toBe(1);
    stub = await startStubServer();
  });
});

describe("headerValueProblem", () => {
  it.each([
    ["pat-na1-abc", undefined],
    ["a b\tc", undefined],
    ["abc\n", { position: 4, character: "a line break (\\n)" }],
    ["a\rb", { position: 2, character: "a carriage return (\\r)" }],
    ["a\u0000", { position: 2, character: "a control character (U+0000)" }],
    ["tok\u2026", { position: 4, character: "a character outside Latin-1 (U+2026)" }],
  ])("judges %j", (value, expected) => {
    expect(headerValueProblem(value)).toEqual(expected);
  });
});
