import { DEFAULT_PRIVATE_APP_TOKEN, type Sandbox } from "../../src/sandbox/server.js";

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & {
    results?: Array<Record<string, unknown>>;
    errors?: Array<Record<string, unknown> & { context?: Record<string, string[]> }>;
  };
}

/** One request to the sandbox over real HTTP. */
export async function call(
  sandbox: Sandbox,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = DEFAULT_PRIVATE_APP_TOKEN,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

export const upsert = (sandbox: Sandbox, objectType: string, inputs: unknown[], token?: string) =>
  call(sandbox, "POST", `/crm/v3/objects/${objectType}/batch/upsert`, { inputs }, token);
