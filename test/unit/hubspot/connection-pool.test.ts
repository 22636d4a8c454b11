import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConnectionPool,
  POOL_CLOSED,
  type PoolOptions,
  type PoolResponse,
  TIMEOUT_CODES,
} from "../../../src/hubspot/connection-pool.js";

const OPTIONS: PoolOptions = {
  connections: 2,
  connectTimeout: 2_000,
  headersTimeout: 2_000,
  bodyTimeout: 2_000,
  keepAliveTimeout: 5_000,
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Served {
  origin: string;
  /** Every connection the server accepted. */
  sockets: Socket[];
  /** The most connections open at once. */
  mostOpen: number;
  requests: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[];
}

async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<Served> {
  const served: Served = { origin: "", sockets: [], mostOpen: 0, requests: [] };
  let open = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      served.requests.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      handle(request, response);
    });
  });
  server.on("connection", (socket: Socket) => {
    served.sockets.push(socket);
    open += 1;
    served.mostOpen = Math.max(served.mostOpen, open);
    socket.on("close", () => (open -= 1));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  served.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return served;
}

function pool(origin: string, options: Partial<PoolOptions> = {}): ConnectionPool {
  const made = new ConnectionPool(origin, { ...OPTIONS, ...options });
  cleanups.push(() => made.destroy());
  return made;
}

const text = async (response: PoolResponse) => {
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

type Failure = Error & { code?: string };
const failure = (promise: Promise<unknown>): Promise<Failure> =>
  promise.then(
    () => new Error("no failure"),
    (error: unknown) => error as Failure,
  );

const get = (path = "/x") => ({ method: "GET", path, headers: {}, body: null });

describe("ConnectionPool", () => {
  it("sends the body with its length, and hands back status, headers and body", async () => {
    const served = await serve((_request, response) => {
      response.writeHead(201, { "x-answer": "yes", "content-type": "application/json" });
      response.end('{"ok":true}');
    });
    const answer = await pool(served.origin).request({
      method: "POST",
      path: "/crm/objects?a=1",
      headers: { "content-type": "application/json" },
      body: '{"name":"Zoë"}',
    });
    expect(answer.statusCode).toBe(201);
    expect(answer.headers["x-answer"]).toBe("yes");
    expect(await text(answer)).toBe('{"ok":true}');
    expect(served.requests).toEqual([
      expect.objectContaining({ method: "POST", url: "/crm/objects?a=1", body: '{"name":"Zoë"}' }),
    ]);
    expect(served.requests[0]?.headers["content-length"]).toBe(String(Buffer.byteLength('{"name":"Zoë"}')));
    expect(served.requests[0]?.headers["transfer-encoding"]).toBeUndefined();
  });

  it("keeps connections alive and never opens more than it is given", async () => {
    const served = await serve((_request, response) => setTimeout(() => response.end("done"), 50));
    const connections = pool(served.origin, { connections: 2 });
    for (let round = 0; round < 3; round += 1) {
      // Each body read as it comes: a connection goes back to the pool only then.
      const bodies = await Promise.all(
        Array.from({ length: 5 }, () => connections.request(get()).then(text)),
      );
      expect(bodies).toEqual(Array(5).fill("done"));
    }
    expect(served.requests).toHaveLength(15);
    expect(served.mostOpen).toBe(2);
    expect(served.sockets).toHaveLength(2);
  });

  it("fails with HEADERS_TIMEOUT when no response headers come in time", async () => {
    const served = await serve(() => undefined);
    const error = await failure(pool(served.origin, { headersTimeout: 200 }).request(get()));
    expect(error.code).toBe(TIMEOUT_CODES.headers);
  });

  it("takes a shorter headers timeout for one request", async () => {
    const served = await serve(() => undefined);
    const started = Date.now();
    const error = await failure(pool(served.origin).request({ ...get(), headersTimeout: 150 }));
    expect(error.code).toBe(TIMEOUT_CODES.headers);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("fails the body with BODY_TIMEOUT when it stalls between parts, after the body timeout", async () => {
    const served = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"results":[');
    });
    const answer = await pool(served.origin, { bodyTimeout: 200, headersTimeout: 3_000 }).request(get());
    expect(answer.statusCode).toBe(200);
    const started = Date.now();
    const error = await failure(text(answer));
    expect(error.code).toBe(TIMEOUT_CODES.body);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("waits the headers timeout, not the connect timeout, for an answer on a new connection", async () => {
    const served = await serve((_request, response) => setTimeout(() => response.end("slow"), 400));
    const answer = await pool(served.origin, { connectTimeout: 150 }).request(get());
    expect(await text(answer)).toBe("slow");
  });

  it("times the headers out on a kept-alive connection too", async () => {
    let answered = 0;
    const served = await serve((_request, response) => {
      answered += 1;
      if (answered === 1) response.end("first");
    });
    const connections = pool(served.origin, { connections: 1, headersTimeout: 200 });
    expect(await text(await connections.request(get()))).toBe("first");
    const error = await failure(connections.request(get()));
    expect(error.code).toBe(TIMEOUT_CODES.headers);
    expect(served.sockets).toHaveLength(1);
  });

  it("times out a TLS handshake that never ends as a connect timeout", async () => {
    // A TCP server that accepts and then says nothing: the connection is open, the TLS handshake never ends.
    const accepted: Socket[] = [];
    const silent = createNetServer((socket) => accepted.push(socket.resume()));
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    cleanups.push(() => {
      for (const socket of accepted) socket.destroy();
      return new Promise((resolve) => silent.close(resolve));
    });
    const port = (silent.address() as AddressInfo).port;
    const error = await failure(
      pool(`https://127.0.0.1:${port}`, { connectTimeout: 200, headersTimeout: 3_000 }).request(get()),
    );
    expect(error.code).toBe(TIMEOUT_CODES.connect);
  });

  it("fails with CONNECT_TIMEOUT when the connection is not accepted in time", async () => {
    const { port, child } = await unacceptingServer();
    cleanups.push(() => child.kill("SIGKILL"));
    const started = Date.now();
    const error = await failure(pool(`http://127.0.0.1:${port}`, { connectTimeout: 300 }).request(get()));
    expect(error.code).toBe(TIMEOUT_CODES.connect);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("rejects a request Node refuses as built, and serves the next one", async () => {
    const served = await serve((_request, response) => response.end("fine"));
    const connections = pool(served.origin, { connections: 1 });
    const refused = await failure(connections.request(get("/a path with spaces")));
    expect(refused.code).toBe("ERR_UNESCAPED_CHARACTERS");
    const badHeader = await failure(connections.request({ ...get(), headers: { authorization: "a\nb" } }));
    expect(badHeader.code).toBe("ERR_INVALID_CHAR");
    expect(await text(await connections.request(get()))).toBe("fine");
  });

  it("aborts a request on its signal", async () => {
    const served = await serve(() => undefined);
    const controller = new AbortController();
    const pending = failure(pool(served.origin).request({ ...get(), signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    expect((await pending).name).toBe("AbortError");
  });

  it("closes for every caller once the requests in flight are done, and takes no new one", async () => {
    const served = await serve((_request, response) => setTimeout(() => response.end("late"), 200));
    const connections = pool(served.origin);
    const answer = connections.request(get());
    await new Promise((resolve) => setTimeout(resolve, 50));
    let closed = 0;
    const closing = [connections.close(), connections.close()].map((done) => done.then(() => (closed += 1)));
    expect((await failure(connections.request(get()))).code).toBe(POOL_CLOSED);
    expect(closed).toBe(0);
    expect(await text(await answer)).toBe("late");
    await Promise.all(closing);
    expect(closed).toBe(2);
  });

  it("ends the requests in flight and those waiting for a connection when destroyed, opening none", async () => {
    const served = await serve(() => undefined);
    const connections = pool(served.origin, { connections: 1 });
    const pending = [failure(connections.request(get())), failure(connections.request(get()))];
    await new Promise((resolve) => setTimeout(resolve, 50));
    await connections.destroy();
    expect((await Promise.all(pending)).map((error) => error.code)).toEqual([POOL_CLOSED, POOL_CLOSED]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(served.sockets).toHaveLength(1);
  });
});

/**
 * A server on loopback that accepts no connection: a child process listens with a backlog of 1 and then blocks, so
 * once two connections fill its queue the kernel leaves further ones unanswered.
 */
async function unacceptingServer(): Promise<{ port: number; child: ChildProcess }> {
  const script =
    'const s = require("node:net").createServer();' +
    's.listen({ host: "127.0.0.1", port: 0, backlog: 1 }, () => {' +
    "  console.log(s.address().port);" +
    "  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000);" +
    "});";
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
  const port = Number(line.toString().trim());
  const fillers = [connect(port, "127.0.0.1"), connect(port, "127.0.0.1"), connect(port, "127.0.0.1")];
  for (const filler of fillers) filler.on("error", () => undefined);
  cleanups.push(() => fillers.forEach((filler) => filler.destroy()));
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { port, child };
}
