/**
 * Keep-alive connections to one origin over Node's own HTTP client (node:http, node:https): at most `connections`
 * sockets, reused most-recently-freed first, and the three timeouts HubSpotHttp gives a request.
 *
 * Why not undici (the connector's client before): loading it and making a first request cost 0.16 s of CPU and
 * 25 MB at every start of the CLI (an empty `write` against the sandbox, 20 runs each: 0.490 s against 0.325 s with
 * this pool; peak RSS 98.5 against 73.7 MB), for a few hundred requests a minute at most, which Node's client
 * carries as well. Node's parser is native; undici's is WebAssembly compiled at every start.
 *
 * - connect: from the moment a new socket is opened until it is connected (TLS included);
 * - headers: the socket silent that long while the response headers are awaited (Node starts it once connected);
 * - body: the socket silent that long between two parts of the response body.
 * Each fails the request with an error whose `code` names it (TIMEOUT_CODES, read by api-errors.ts).
 */
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from "node:http";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Socket } from "node:net";

export const TIMEOUT_CODES = {
  connect: "CONNECT_TIMEOUT",
  headers: "HEADERS_TIMEOUT",
  body: "BODY_TIMEOUT",
} as const;

/** The code of a request made after `close` or `destroy`. */
export const POOL_CLOSED = "POOL_CLOSED";

export interface PoolOptions {
  connections: number;
  connectTimeout: number;
  headersTimeout: number;
  bodyTimeout: number;
  /** An idle socket is closed after this long, or 1 s before the server's `Keep-Alive: timeout=` hint if sooner. */
  keepAliveTimeout: number;
}

export interface PoolRequest {
  method: string;
  /** Path and query, sent as given: Node refuses one with unescaped characters (ERR_UNESCAPED_CHARACTERS). */
  path: string;
  headers: Record<string, string>;
  body: string | null;
  signal?: AbortSignal | undefined;
  headersTimeout?: number | undefined;
  bodyTimeout?: number | undefined;
}

export interface PoolResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** Must be read to its end or destroyed: the socket goes back to the pool only then. */
  body: IncomingMessage;
}

const failure = (message: string, code: string) => Object.assign(new Error(message), { code });

export class ConnectionPool {
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;
  private readonly host: string;
  private readonly port: string;
  /** Each request until it closes, with what fails it. */
  private readonly inFlight = new Map<ClientRequest, (error: Error) => void>();
  /** Who waits for the requests in flight to end (close). */
  private readonly drainWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    origin: string,
    private readonly options: PoolOptions,
  ) {
    const url = new URL(origin);
    const secure = url.protocol === "https:";
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.connections,
      maxFreeSockets: options.connections,
      scheduling: "lifo" as const,
      timeout: options.keepAliveTimeout,
    };
    this.agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.send = secure ? httpsRequest : httpRequest;
    this.host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    this.port = url.port;
  }

  request(request: PoolRequest): Promise<PoolResponse> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(failure("the connection pool is closed", POOL_CLOSED));
      let req: ClientRequest;
      try {
        req = this.send({
          host: this.host,
          ...(this.port === "" ? {} : { port: this.port }),
          method: request.method,
          path: request.path,
          headers: withLength(request.headers, request.body),
          agent: this.agent,
          ...(request.signal === undefined ? {} : { signal: request.signal }),
        });
      } catch (error) {
        return reject(error); // Node refuses the request as built (a header value, the path)
      }
      this.track(req, reject);
      this.bound(req, request, resolve);
      req.on("error", reject);
      req.end(request.body ?? undefined);
    });
  }

  /** Waits for the requests in flight (their bodies read or destroyed), then closes every socket. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.inFlight.size > 0) await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    this.agent.destroy();
  }

  /** Ends every request in flight and closes every socket now. */
  async destroy(): Promise<void> {
    this.closed = true;
    // Requests still waiting for a connection leave the agent's queue first: it would open one for them as the
    // others close. Node fails a request without a socket only once it gets one, so they are failed here.
    const queued = this.agent.requests as Record<string, unknown>;
    for (const name of Object.keys(queued)) delete queued[name];
    for (const [req, fail] of [...this.inFlight]) {
      const error = failure("the connection pool was destroyed", POOL_CLOSED);
      if (req.socket) req.destroy(error);
      else this.settle(req, () => fail(error));
    }
    this.agent.destroy();
  }

  private track(req: ClientRequest, fail: (error: Error) => void): void {
    this.inFlight.set(req, fail);
    req.once("close", () => this.settle(req));
  }

  /** A request is over: `then` runs, and close's callers are told once none is left. */
  private settle(req: ClientRequest, then?: () => void): void {
    if (!this.inFlight.delete(req)) return;
    then?.();
    if (this.inFlight.size === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  /** The three timeouts of one request; `resolve` gets the response once its headers are in. */
  private bound(req: ClientRequest, request: PoolRequest, resolve: (response: PoolResponse) => void): void {
    let response: IncomingMessage | undefined;
    req.once("socket", (socket: Socket) => this.boundConnect(req, socket));
    // Node arms the socket's idle timer once it is connected; one callback serves both phases.
    req.setTimeout(request.headersTimeout ?? this.options.headersTimeout, () => {
      if (response === undefined) req.destroy(failure("no response headers in time", TIMEOUT_CODES.headers));
      else response.destroy(failure("the response body stalled", TIMEOUT_CODES.body));
    });
    req.once("response", (res: IncomingMessage) => {
      response = res;
      req.setTimeout(request.bodyTimeout ?? this.options.bodyTimeout);
      resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res });
    });
  }

  private boundConnect(req: ClientRequest, socket: Socket): void {
    if (!socket.connecting) return; // a kept-alive socket, connected already
    const timer = setTimeout(
      () => req.destroy(failure("the connection was not established in time", TIMEOUT_CODES.connect)),
      this.options.connectTimeout,
    );
    const connected = "encrypted" in socket ? "secureConnect" : "connect";
    const done = () => clearTimeout(timer);
    socket.once(connected, done);
    socket.once("close", done);
    req.once("close", done);
  }
}

/** A body is sent with its length (no chunked encoding), as HubSpot's examples do. */
function withLength(headers: Record<string, string>, body: string | null): Record<string, string> {
  if (body === null) return headers;
  return { ...headers, "content-length": String(Buffer.byteLength(body)) };
}
