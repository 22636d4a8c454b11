import { ALL_SCOPES, DEFAULT_PRIVATE_APP_TOKEN, type Sandbox } from "../../src/sandbox/server.js";

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

/** Records made straight in the store: test setup, not the behaviour under test. Their ids, in creation order. */
export function makeRecords(sandbox: Sandbox, objectType: string, count: number): string[] {
  const state = sandbox.store.resolve(objectType);
  if (!state) throw new Error(`The sandbox has no object ${objectType}`);
  return Array.from({ length: count }, () => sandbox.store.create(state, {}).id);
}

/**
 * The associations API on each version the sandbox serves
 * (https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/guide), for
 * parametrized tests.
 */
export const ASSOCIATION_APIS = [
  {
    version: "legacy",
    batch: (from: string, to: string, operation: string) =>
      `/crm/v4/associations/${from}/${to}/batch/${operation}`,
    labels: (from: string, to: string) => `/crm/v4/associations/${from}/${to}/labels`,
    record: (type: string, id: string) => `/crm/v4/objects/${type}/${id}/associations`,
  },
  ...(["2026-03", "2026-09"] as const).map((version) => ({
    version,
    batch: (from: string, to: string, operation: string) =>
      `/crm/associations/${version}/${from}/${to}/batch/${operation}`,
    labels: (from: string, to: string) => `/crm/associations/${version}/${from}/${to}/labels`,
    record: (type: string, id: string) => `/crm/objects/${version}/${type}/${id}/associations`,
  })),
] as const;

/**
 * The lists API's base path on each version the sandbox serves
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/lists/guide).
 */
export const LIST_APIS = [
  { version: "legacy", base: "/crm/v3/lists" },
  { version: "2026-03", base: "/crm/lists/2026-03" },
  { version: "2026-09", base: "/crm/lists/2026-09" },
] as const;

/** A token holding every scope but these, for scope tests. */
export function tokenWithout(token: string, ...missing: string[]) {
  return { token, scopes: ALL_SCOPES.filter((scope) => !missing.includes(scope)) };
}
