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

/** Every version the sandbox serves: the numbered paths and the two date versions. */
export const VERSIONS = ["legacy", "2026-03", "2026-09"] as const;
export type Version = (typeof VERSIONS)[number];

/** The path of each API family at a version (legacy ↔ dated, as HubSpot's specs name them). */
export const paths = {
  objects: (version: Version, objectType: string) =>
    version === "legacy" ? `/crm/v3/objects/${objectType}` : `/crm/objects/${version}/${objectType}`,
  properties: (version: Version, objectType: string) =>
    version === "legacy" ? `/crm/v3/properties/${objectType}` : `/crm/properties/${version}/${objectType}`,
  schemas: (version: Version) =>
    version === "legacy" ? "/crm-object-schemas/v3/schemas" : `/crm-object-schemas/${version}/schemas`,
  events: (version: Version) =>
    version === "legacy"
      ? "/events/v3"
      : version === "2026-03"
        ? "/events/2026-03"
        : "/events/custom/2026-09",
  account: (version: Version) =>
    version === "legacy" ? "/account-info/v3/details" : `/account-info/${version}/details`,
  token: (version: Version) => (version === "legacy" ? "/oauth/v1/token" : `/oauth/${version}/token`),
} as const;

/** A batch call on any version. */
export const batch = (
  sandbox: Sandbox,
  version: Version,
  objectType: string,
  operation: string,
  body: unknown,
  token?: string,
) => call(sandbox, "POST", `${paths.objects(version, objectType)}/batch/${operation}`, body, token);

/** A form POST (OAuth endpoints), answered as JSON. */
export async function postForm(
  sandbox: Sandbox,
  path: string,
  form: Record<string, string>,
): Promise<Answer> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}
