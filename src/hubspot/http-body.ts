/** Request bodies and query strings as HubSpot takes them, and response bodies read within a size bound. */
import type { IncomingHttpHeaders } from "node:http";
import { HubSpotResponseError } from "./api-errors.js";
import type { HttpMethod, HubSpotRequest } from "./http-types.js";

export interface EncodedBody {
  contentType: string;
  body: string;
}

/** The request body, encoded once for all attempts. */
export function encodeBody(request: HubSpotRequest): EncodedBody | undefined {
  if (request.form !== undefined) {
    return {
      contentType: "application/x-www-form-urlencoded",
      body: new URLSearchParams(request.form).toString(),
    };
  }
  if (request.json !== undefined)
    return { contentType: "application/json", body: JSON.stringify(request.json) };
  return undefined;
}

export function queryString(query: HubSpotRequest["query"]): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) if (item !== undefined) params.append(key, String(item));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

export interface BoundedBody {
  text: string;
  /** The body was longer than the limit; `text` holds its start. */
  truncated: boolean;
}

/**
 * Reads at most `limit` bytes of a body. A longer body is cut (its connection is dropped rather than drained);
 * a declared Content-Length over the limit is not read at all.
 */
export async function readBounded(
  response: { body: AsyncIterable<unknown> & { destroy(): void }; headers: IncomingHttpHeaders },
  limit: number,
): Promise<BoundedBody> {
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    response.body.destroy();
    return { text: "", truncated: true };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    if (size + buffer.length > limit) {
      chunks.push(buffer.subarray(0, limit - size));
      response.body.destroy();
      return { text: Buffer.concat(chunks).toString("utf8"), truncated: true };
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  return { text: Buffer.concat(chunks).toString("utf8"), truncated: false };
}

export function parseJsonBody<T>(
  text: string,
  request: { method: HttpMethod; path: string; status: number },
): T {
  if (text.trim() === "") return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new HubSpotResponseError({ ...request, problem: "not-json", cause });
  }
}
