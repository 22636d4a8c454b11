/**
 * HubSpot's OpenAPI files for the tests: where they are, and a walk of each operation's request (query parameters,
 * JSON body fields, form fields). The files live outside the repository (`<repo>/../shared/reference/hubspot-openapi`,
 * or HUBSPOT_OPENAPI_DIR); when HUBSPOT_OPENAPI_DIR is set they are required, and a missing directory fails.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const REQUIRED = (process.env.HUBSPOT_OPENAPI_DIR ?? "") !== "";

/** The directory of HubSpot's OpenAPI files, or undefined on a machine that has none (and does not require them). */
export const OPENAPI_DIR: string | undefined = (() => {
  const dir = REQUIRED
    ? (process.env.HUBSPOT_OPENAPI_DIR as string)
    : resolve(REPO_ROOT, "../shared/reference/hubspot-openapi");
  return REQUIRED || existsSync(dir) ? dir : undefined;
})();

type Json = Record<string, unknown>;

export interface SpecRequest {
  file: string;
  method: string;
  template: string;
  query: string[];
  /** Body field paths, `inputs[].associations[].to.id`; a top-level array body's items are `[].field`. */
  fields: string[];
  /** Fields of a form-encoded body. */
  form: string[];
  /** Whether the JSON body is an array of ids (list memberships): its items are values, not objects. */
  arrayBody: boolean;
}

/** Every operation of every OpenAPI file under `dir`. */
export function specRequests(dir: string): SpecRequest[] {
  const requests: SpecRequest[] = [];
  for (const path of files(dir)) {
    const document = JSON.parse(readFileSync(path, "utf8")) as Json;
    if (typeof document.paths !== "object") continue;
    for (const [template, item] of Object.entries(document.paths as Record<string, Json>)) {
      for (const method of ["get", "post", "put", "patch", "delete"]) {
        const operation = item[method] as Json | undefined;
        if (operation) requests.push(readRequest(document, relative(dir, path), template, method, operation));
      }
    }
  }
  return requests;
}

function readRequest(
  document: Json,
  file: string,
  template: string,
  method: string,
  operation: Json,
): SpecRequest {
  const parameters = ((operation.parameters as Json[] | undefined) ?? []).map((raw) => follow(document, raw));
  const body = operation.requestBody ? follow(document, operation.requestBody as Json) : {};
  const content = (body.content ?? {}) as Record<string, Json>;
  const jsonSchema = content["application/json"]?.schema as Json | undefined;
  const formSchema = content["application/x-www-form-urlencoded"]?.schema as Json | undefined;
  const fields: string[] = [];
  if (jsonSchema) walk(document, jsonSchema, "", fields, 0);
  const resolved = jsonSchema ? follow(document, jsonSchema) : {};
  return {
    file,
    method: method.toUpperCase(),
    template,
    query: parameters
      .filter((parameter) => parameter.in === "query")
      .map((parameter) => String(parameter.name)),
    fields: [...new Set(fields)],
    form: Object.keys((formSchema ? follow(document, formSchema).properties : undefined) ?? {}),
    arrayBody:
      resolved.type === "array" && follow(document, (resolved.items ?? {}) as Json).type !== "object",
  };
}

function walk(document: Json, node: Json, prefix: string, out: string[], depth: number): void {
  const schema = follow(document, node);
  if (depth > 8) return;
  for (const key of ["allOf", "oneOf", "anyOf"]) {
    for (const branch of (schema[key] as Json[] | undefined) ?? [])
      walk(document, branch, prefix, out, depth + 1);
  }
  if (schema.type === "array" || schema.items) {
    walk(document, (schema.items ?? {}) as Json, `${prefix}[]`, out, depth + 1);
    return;
  }
  for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
    const path =
      prefix === ""
        ? name
        : prefix.endsWith("[]") && prefix.length === 2
          ? `[].${name}`
          : `${prefix}.${name}`;
    out.push(path);
    walk(document, child, path, out, depth + 1);
  }
}

function follow(document: Json, node: Json): Json {
  let current = node;
  for (let hops = 0; typeof current.$ref === "string" && hops < 20; hops += 1) {
    current = (current.$ref as string)
      .slice(2)
      .split("/")
      .reduce<Json>((into, key) => into[key.replace(/~1/g, "/").replace(/~0/g, "~")] as Json, document);
  }
  return current;
}

function files(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...files(path));
    else if (name.endsWith(".json")) found.push(path);
  }
  return found.sort();
}

/** Values for a spec template's path parameters, so that its paths name things the sandbox has. */
export function concretePath(template: string): string {
  const values: Record<string, string> = {
    objectType: "contacts",
    fromObjectType: "contacts",
    toObjectType: "companies",
    objectTypeId: "0-1",
    listName: "Newsletter",
    eventName: "signed_up",
    propertyName: "email",
    groupName: "contactinformation",
  };
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? "1");
}
