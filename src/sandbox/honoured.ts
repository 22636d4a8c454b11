/**
 * The sandbox's rule: a query parameter, body field or form field it does not implement is refused with a 501 that
 * names it, never accepted and ignored (a test double that drops what it was sent lets a user's test pass while
 * production breaks). What is honoured is declared per operation in operations.ts.
 *
 * 1. Find the operation by method and path (the most literal template wins: `…/batch/read` before `…/{objectId}`).
 * 2. Refuse the first query parameter the operation does not list.
 * 3. Walk the body along the operation's shape and refuse the first field it does not list (`null` counts as
 *    absent). A field of the wrong type is refused with HubSpot's 400 after this (body-types.ts).
 */
import { type BodyShape, type Operation, OPERATIONS } from "./operations.js";
import { API_VERSIONS } from "./paths.js";
import { error, type SandboxResponse } from "./responses.js";

interface Compiled {
  operation: Operation;
  pattern: RegExp;
  /** Literal segments: more of them is a more specific template. */
  literals: number;
}

const SEGMENT = "[^/]+";
const VERSION = `(?:${API_VERSIONS.join("|")})`;
/** Parameters that are numbers on HubSpot, so that `…/lists/folders` is not read as the list `folders`. */
const NUMERIC = new Set(["{listId}", "{associationTypeId}"]);

function compile(operation: Operation, template: string): Compiled {
  const parts = template.split("/").filter(Boolean);
  const source = parts
    .map((part) =>
      part === "{version}"
        ? VERSION
        : NUMERIC.has(part)
          ? "\\d+"
          : part.startsWith("{")
            ? SEGMENT
            : part.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&"),
    )
    .join("/");
  const literals = parts.filter((part) => !part.startsWith("{") || part === "{version}").length;
  return { operation, pattern: new RegExp(`^/${source}/?$`), literals };
}

const COMPILED: readonly Compiled[] = OPERATIONS.flatMap((operation) =>
  operation.paths.map((template) => compile(operation, template)),
).sort((a, b) => b.literals - a.literals);

/** The operation a request names, or undefined when the sandbox serves no such operation. */
export function findOperation(method: string, path: string): Operation | undefined {
  return COMPILED.find((entry) => entry.operation.method === method && entry.pattern.test(path))?.operation;
}

/** What a request carries that its operation does not honour, as `query parameter x` or `field a[].b`. */
export function unhonouredPart(
  operation: Operation,
  query: URLSearchParams,
  body: unknown,
  form?: URLSearchParams,
): string | undefined {
  const honoured = new Set(operation.query ?? []);
  for (const name of query.keys()) if (!honoured.has(name)) return `query parameter ${name}`;
  if (form && operation.form) {
    const fields = new Set(operation.form);
    for (const name of form.keys()) if (!fields.has(name)) return `form field ${name}`;
    return undefined;
  }
  if (body === undefined || body === null) return undefined;
  if (operation.body === undefined) return "request body";
  const field = unlistedField(body, operation.body, "");
  return field === undefined ? undefined : `field ${field}`;
}

function unlistedField(value: unknown, shape: BodyShape, path: string): string | undefined {
  if (typeof shape !== "object" || value === null || typeof value !== "object") return undefined;
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return undefined;
    for (const item of value) {
      const found = unlistedField(item, shape[0] as BodyShape, `${path}[]`);
      if (found) return found;
    }
    return undefined;
  }
  if (Array.isArray(value)) return undefined;
  const fields = shape as Record<string, BodyShape>;
  for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
    if (child === null || child === undefined) continue;
    const where = path ? `${path}.${name}` : name;
    const inner = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (inner === undefined) return where;
    const found = unlistedField(child, inner, where);
    if (found) return found;
  }
  return undefined;
}

/** The 501 for a part of a request the sandbox does not implement. */
export const partNotImplemented = (part: string, method: string, path: string): SandboxResponse =>
  error(
    501,
    "NOT_IMPLEMENTED",
    `The sandbox does not implement the ${part} of ${method} ${path}; HubSpot may honour or refuse it, so the sandbox refuses rather than ignore it.`,
  );

/** The refusal for a request that carries something its operation does not honour, if it does. */
export function refuseUnhonoured(
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
  form?: URLSearchParams,
): SandboxResponse | undefined {
  const operation = findOperation(method, path);
  if (!operation) return undefined;
  const part = unhonouredPart(operation, query, body, form);
  return part === undefined ? undefined : partNotImplemented(part, method, path);
}
