import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  HubSpotApiError,
  HubSpotNetworkError,
  HubSpotResponseError,
} from "../../../src/hubspot/api-errors.js";
import { OAuthTokenProvider, StaticTokenProvider } from "../../../src/hubspot/auth.js";
import { HubSpotHttp, type HubSpotHttpOptions, readBounded } from "../../../src/hubspot/http.js";
import type { RequestDescription, RequestGate } from "../../../src/hubspot/http-types.js";
import {
  type SeenRequest,
  type StubHandler,
  type StubServer,
  sendJson,
  startStubServer,
} from "./stub-server.js";

let stub: StubServer;
let baseUrl: string;
let seen: SeenRequest[];
const clients: HubSpotHttp[] = [];
/** Sets how the stub answers. */
const respond = (next: StubHandler) => stub.handle(next);

beforeEach(async () => {
  stub = await startStubServer();
  baseUrl = stub.baseUrl;
  seen = stub.seen;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await stub.close();
});

const json = sendJson;

function http(options: Partial<HubSpotHttpOptions> = {}): HubSpotHttp {
  const client = new HubSpotHttp({ baseUrl, tokens: new StaticTokenProvider("pat-secret"), ...options });
  clients.push(client);
  return client;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the request to fail");
    },
    (error: unknown) => error,
  );

describe("HubSpotHttp", () => {
  it("sends the bearer token, the query and a JSON body, and parses the JSON answer", async () => {
    respond((_request, response) => json(response, 200, { results: [1, 2] }));
    const answer = await http().request<{ results: number[] }>({
      method: "POST",
      path: "/crm/v3/objects/0-1/batch/read",
      query: { archived: false, properties: ["email", "name"], skip: undefined },
      json: { inputs: [{ id: "a@b.c" }] },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ results: [1, 2] });
    expect(seen[0]?.url).toBe(
      "/crm/v3/objects/0-1/batch/read?archived=false&properties=email&properties=name",
    );
    expect(seen[0]?.headers.authorization).toBe("Bearer pat-secret");
    expect(seen[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ inputs: [{ id: "a@b.c" }] });
  });

  it("prefixes paths with the base URL's own path", async () => {
    respond((_request, response) => json(response, 200, {}));
    await http({ baseUrl: `${baseUrl}/hubspot/` }).request({
      method: "GET",
      path: "/account-info/v3/details",
    });
    expect(seen[0]?.url).toBe("/hubspot/account-info/v3/details");
  });

  it("sends a form body without a token when auth is off", async () => {
    respond((_request, response) => json(response, 200, { access_token: "x" }));
    await http().request({
      method: "POST",
      path: "/oauth/v1/token",
      auth: false,
      form: { grant_type: "refresh_token" },
    });
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(seen[0]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen[0]?.body).toBe("grant_type=refresh_token");
  });

  it("answers an undefined body for 204 No Content", async () => {
    respond((_request, response) => {
      response.writeHead(204);
      response.end();
    });
    const answer = await http().request({ method: "POST", path: "/events/v3/send", json: {} });
    expect(answer).toMatchObject({ status: 204, body: undefined });
  });

  it("throws a HubSpotApiError with HubSpot's fields and Retry-After, and no header value", async () => {
    respond((_request, response) =>
      json(
        response,
        429,
        {
          status: "error",
          message: "You have reached your daily limit.",
          errorType: "RATE_LIMIT",
          policyName: "DAILY",
        },
        { "retry-after": "7", "x-hubspot-correlation-id": "corr-header-value" },
      ),
    );
    const error = await failure(http().request({ method: "GET", path: "/crm/v3/properties/0-1" }));
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(error).toMatchObject({
      status: 429,
      policyName: "DAILY",
      category: "RATE_LIMIT",
      retryAfterMs: 7000,
    });
    const text = `${(error as Error).message} ${JSON.stringify(error)}`;
    expect(text).not.toContain("corr-header-value");
    expect(text).not.toContain("pat-secret");
  });

  it("throws a HubSpotApiError without details for an HTML 502 page", async () => {
    respond((_request, response) => {
      response.writeHead(502, { "content-type": "text/html" });
      response.end("<html><body>502 Bad Gateway</body></html>");
    });
    const error = await failure(http().request({ method: "GET", path: "/crm/v3/schemas" }));
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(error).toMatchObject({ status: 502, category: undefined, body: undefined });
    expect((error as Error).message).toBe("HubSpot answered GET /crm/v3/schemas with 502: no error message");
  });

  it("throws a HubSpotResponseError for a 200 whose body is not JSON", async () => {
    respond((_request, response) => response.end("<html>captive portal</html>"));
    const error = await failure(http().request({ method: "GET", path: "/account-info/v3/details" }));
    expect(error).toBeInstanceOf(HubSpotResponseError);
    expect(error).toMatchObject({ problem: "not-json", status: 200 });
  });

  it("never shows the token of an introspection path, even when HubSpot echoes it", async () => {
    const token = "CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4";
    respond((_request, response) =>
      json(response, 404, {
        status: "error",
        message: `Token ${token} not found`,
        category: "OBJECT_NOT_FOUND",
      }),
    );
    const error = await failure(
      http().request({ method: "GET", path: `/oauth/v1/access-tokens/${token}`, auth: false }),
    );
    expect(seen[0]?.url).toBe(`/oauth/v1/access-tokens/${token}`);
    expect(error).toMatchObject({ status: 404, path: "/oauth/v1/access-tokens/[redacted]" });
    expect((error as Error).message).toContain("GET /oauth/v1/access-tokens/[redacted]");
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(token);
  });

  it("refreshes an expired OAuth token once and repeats the request with the new one", async () => {
    let fetched = 0;
    const tokens = new OAuthTokenProvider({
      refreshToken: "r",
      fetchToken: async () => ({ accessToken: `oauth-${++fetched}`, expiresInSeconds: 1800 }),
    });
    respond((request, response) =>
      request.headers.authorization === "Bearer oauth-1"
        ? json(response, 401, { category: "EXPIRED_AUTHENTICATION", message: "expired" })
        : json(response, 200, { ok: true }),
    );
    const answer = await http({ tokens }).request({ method: "GET", path: "/crm/v3/schemas" });
    expect(answer.body).toEqual({ ok: true });
    expect(seen.map((request) => request.headers.authorization)).toEqual([
      "Bearer oauth-1",
      "Bearer oauth-2",
    ]);
  });

  it("gives up after one refresh when HubSpot keeps answering 401", async () => {
    let fetched = 0;
    const tokens = new OAuthTokenProvider({
      refreshToken: "r",
      fetchToken: async () => ({ accessToken: `oauth-${++fetched}`, expiresInSeconds: 1800 }),
    });
    respond((_request, response) => json(response, 401, { category: "EXPIRED_AUTHENTICATION" }));
    const error = await failure(http({ tokens }).request({ method: "GET", path: "/crm/v3/schemas" }));
    expect(error).toMatchObject({ status: 401, category: "EXPIRED_AUTHENTICATION" });
    expect(seen).toHaveLength(2);
  });

  it("does not repeat a request a private app token got 401 for", async () => {
    respond((_request, response) => json(response, 401, { category: "INVALID_AUTHENTICATION" }));
    await failure(http().request({ method: "GET", path: "/crm/v3/schemas" }));
    expect(seen).toHaveLength(1);
  });

  it("passes each request through the gate: acquire, observe the answer, then release", async () => {
    const events: string[] = [];
    const gate: RequestGate = {
      acquire: async () => {
        events.push("acquire");
        return () => events.push("release");
      },
      observe: (status, headers) =>
        events.push(`observe ${status} ${headers["x-hubspot-ratelimit-remaining"]}`),
    };
    respond((_request, response) => json(response, 200, {}, { "x-hubspot-ratelimit-remaining": "99" }));
    await http({ gate }).request({ method: "GET", path: "/crm/v3/schemas" });
    expect(events).toEqual(["acquire", "observe 200 99", "release"]);
  });

  it("releases the gate when the request fails", async () => {
    let released = 0;
    const gate: RequestGate = { acquire: async () => () => released++, observe: () => {} };
    respond((_request, response) => json(response, 500, {}));
    await failure(http({ gate }).request({ method: "GET", path: "/crm/v3/schemas" }));
    expect(released).toBe(1);
  });

  it("runs attempts through the retry policy with a redacted description", async () => {
    const descriptions: RequestDescription[] = [];
    let answers = 0;
    respond((_request, response) =>
      ++answers === 1 ? json(response, 503, {}) : json(response, 200, { ok: 1 }),
    );
    const retry = {
      async run<T>(attempt: () => Promise<T>, request: RequestDescription): Promise<T> {
        descriptions.push(request);
        return attempt().catch(() => attempt());
      },
    };
    const answer = await http({ retry }).request({
      method: "GET",
      path: "/oauth/v1/access-tokens/tok",
      auth: false,
    });
    expect(answer.body).toEqual({ ok: 1 });
    expect(descriptions).toEqual([{ method: "GET", path: "/oauth/v1/access-tokens/[redacted]" }]);
  });

  it("throws a timeout HubSpotNetworkError when the headers do not come in time", async () => {
    respond(() => {});
    const error = await failure(
      http({ timeouts: { headersMs: 200 } }).request({ method: "GET", path: "/crm/v3/schemas" }),
    );
    expect(error).toBeInstanceOf(HubSpotNetworkError);
    expect(error).toMatchObject({ kind: "timeout", code: "HEADERS_TIMEOUT" });
  });

  it("throws a refused HubSpotNetworkError when nothing listens", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, "close");
    const error = await failure(
      http({ baseUrl: `http://127.0.0.1:${port}` }).request({ method: "GET", path: "/crm/v3/schemas" }),
    );
    expect(error).toMatchObject({ name: "HubSpotNetworkError", kind: "refused" });
    expect((error as Error).cause).toBeDefined();
  });
});

describe("readBounded", () => {
  const response = (chunks: string[], headers: Record<string, string> = {}) => {
    const body = Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
    return { body, headers } as unknown as Parameters<typeof readBounded>[0];
  };

  it("reads a body within the limit whole", async () => {
    expect(await readBounded(response(["ab", "cd"]), 4)).toEqual({ text: "abcd", truncated: false });
  });

  it("cuts a body at the limit and says so", async () => {
    expect(await readBounded(response(["abc", "def", "ghi"]), 5)).toEqual({ text: "abcde", truncated: true });
  });

  it("does not read a body whose declared length is over the limit", async () => {
    expect(await readBounded(response(["abcdef"], { "content-length": "6" }), 5)).toEqual({
      text: "",
      truncated: true,
    });
  });
});
