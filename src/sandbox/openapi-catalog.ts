/**
 * HubSpot's published OpenAPI files, read from a directory the user gives (HubSpot's public spec collection, or any
 * folder of its files, at any depth): every operation by method and path template, with its query parameters,
 * request body schema and response schemas, compiled with ajv on first use. The files are HubSpot's and are never
 * shipped with the sandbox; a directory that cannot be read is an error, not a silent skip.
 *
 * A request path may match several operations: the generic `/crm/v3/objects/{objectType}/…` and the contacts file's
 * `/crm/v3/objects/contacts/…`. The most literal templates are the ones that apply; a request is valid when one of
 * them accepts it.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { ConfigError } from "../errors.js";

/** A query parameter of an operation: its name, whether it is required, and where its schema is. */
export interface QueryParameter {
  name: string;
  required: boolean;
  /** `array` when the parameter takes a list (repeated or comma-separated). */
  type?: string;
  itemType?: string;
  schema: string;
}

export interface SpecOperation {
  file: string;
  method: string;
  /** The path template as the spec writes it, `/crm/v3/objects/{objectType}/batch/read`. */
  template: string;
  query: QueryParameter[];
  /** Pointer to the JSON request body's schema, and whether a body is required. */
  body?: { schema: string; required: boolean };
  /** Status (`200`, `default`) → pointer to the JSON response schema; absent when the status has no JSON body. */
  responses: Map<string, string | undefined>;
}

interface Indexed {
  operation: SpecOperation;
  pattern: RegExp;
  literals: number;
}

type Json = Record<string, unknown>;
const METHODS = ["get", "post", "put", "patch", "delete"];

export class OpenApiCatalog {
  private readonly ajv: Ajv;
  private readonly indexed: Indexed[] = [];
  /**
   * The operations by method, number of path segments and first segment (`*` for a template that starts with a
   * parameter), most literal first: a template matches only paths with as many segments, so a request is tested
   * against a handful of patterns instead of every operation of every file (the tests send tens of thousands).
   */
  private readonly buckets = new Map<string, Indexed[]>();
  private readonly compiled = new Map<string, ValidateFunction>();
  /** Documents by ajv id, added to ajv when one of their schemas is first compiled. */
  private readonly documents = new Map<string, Json>();

  private constructor(readonly files: number) {
    // inlineRefs off: HubSpot's list filters nest the same schemas deeply, and inlining them makes compiling 2-3 times slower.
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateSchema: false,
      logger: false,
      inlineRefs: false,
    });
    (addFormatsModule as unknown as (ajv: Ajv) => Ajv)(this.ajv);
  }

  /** Reads every OpenAPI file under `dir`; fails when there is none or one cannot be parsed. */
  static async load(dir: string): Promise<OpenApiCatalog> {
    const documents: Array<[string, Json]> = [];
    try {
      for (const path of await jsonFiles(dir)) {
        const document = JSON.parse(await readFile(path, "utf8")) as Json;
        if (typeof document.openapi === "string" && typeof document.paths === "object") {
          documents.push([relative(dir, path), document]);
        }
      }
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new ConfigError(`Cannot read HubSpot's OpenAPI files in ${dir}: ${detail}`, { cause });
    }
    if (documents.length === 0) throw new ConfigError(`No OpenAPI files were found in ${dir}.`);
    const catalog = new OpenApiCatalog(documents.length);
    for (const [name, document] of documents) catalog.add(name, document);
    catalog.indexed.sort((a, b) => b.literals - a.literals);
    for (const entry of catalog.indexed) {
      const key = bucketKey(entry.operation.method, entry.operation.template);
      catalog.buckets.set(key, [...(catalog.buckets.get(key) ?? []), entry]);
    }
    return catalog;
  }

  /** The operations that apply to a request: the most literal of those whose template matches. */
  find(method: string, path: string): SpecOperation[] {
    const lower = method.toLowerCase();
    const parts = path.split("/").filter(Boolean);
    const first = this.buckets.get(`${lower} ${parts.length} ${parts[0] ?? ""}`) ?? [];
    const wild = parts[0] === "*" ? [] : (this.buckets.get(`${lower} ${parts.length} *`) ?? []);
    const candidates =
      wild.length === 0 ? first : [...first, ...wild].sort((a, b) => b.literals - a.literals);
    const matching = candidates.filter((entry) => entry.pattern.test(path));
    const best = matching[0]?.literals;
    return matching.filter((entry) => entry.literals === best).map((entry) => entry.operation);
  }

  /** The compiled validator of the schema at `pointer` (`{file}#/paths/…`). */
  validator(pointer: string): ValidateFunction {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      const id = pointer.slice(0, pointer.indexOf("#"));
      const document = this.documents.get(id);
      if (document) {
        this.ajv.addSchema(document, id);
        this.documents.delete(id);
      }
      validate = this.ajv.compile({ $ref: pointer });
      this.compiled.set(pointer, validate);
    }
    return validate;
  }

  private add(name: string, document: Json): void {
    const id = `hubspot-openapi:${encodeURIComponent(name)}`;
    this.documents.set(id, document);
    for (const [template, item] of Object.entries(document.paths as Record<string, Json>)) {
      for (const method of METHODS) {
        const operation = item[method] as Json | undefined;
        if (!operation) continue;
        const base = `${id}#/paths/${escape(template)}/${method}`;
        this.indexed.push(indexOf(readOperation(document, name, template, method, operation, base, id)));
      }
    }
  }
}

function readOperation(
  document: Json,
  file: string,
  template: string,
  method: string,
  operation: Json,
  base: string,
  id: string,
): SpecOperation {
  const query: QueryParameter[] = [];
  for (const [index, raw] of ((operation.parameters as Json[] | undefined) ?? []).entries()) {
    const [parameter, at] = resolve(document, raw, `${base}/parameters/${index}`, id);
    if (parameter.in !== "query") continue;
    const schema = (parameter.schema ?? {}) as Json;
    const items = (schema.items ?? {}) as Json;
    query.push({
      name: String(parameter.name),
      required: parameter.required === true,
      ...(typeof schema.type === "string" ? { type: schema.type } : {}),
      ...(typeof items.type === "string" ? { itemType: items.type } : {}),
      schema: `${at}/schema`,
    });
  }
  const spec: SpecOperation = { file, method, template, query, responses: new Map() };
  if (operation.requestBody) {
    const [body, at] = resolve(document, operation.requestBody as Json, `${base}/requestBody`, id);
    const content = (body.content ?? {}) as Json;
    if (content["application/json"]) {
      spec.body = { schema: `${at}/content/application~1json/schema`, required: body.required === true };
    }
  }
  for (const [status, raw] of Object.entries((operation.responses ?? {}) as Record<string, Json>)) {
    const [response, at] = resolve(document, raw, `${base}/responses/${status}`, id);
    const content = (response.content ?? {}) as Json;
    const hasJson = (content["application/json"] as Json | undefined)?.schema !== undefined;
    spec.responses.set(status, hasJson ? `${at}/content/application~1json/schema` : undefined);
  }
  return spec;
}

/** Follows a `$ref` to components (parameters, request bodies, responses): the object and its pointer. */
function resolve(document: Json, node: Json, pointer: string, id: string): [Json, string] {
  let [current, at] = [node, pointer];
  for (let hops = 0; typeof current.$ref === "string" && hops < 10; hops += 1) {
    const ref = current.$ref as string;
    current = ref
      .slice(2)
      .split("/")
      .reduce<Json>((into, key) => into[key.replace(/~1/g, "/").replace(/~0/g, "~")] as Json, document);
    at = `${id}${ref}`;
  }
  return [current, at];
}

/** `get 4 crm`: method, segment count, first segment (`*` when the template starts with a parameter). */
function bucketKey(method: string, template: string): string {
  const parts = template.split("/").filter(Boolean);
  const first = parts[0]?.startsWith("{") ? "*" : (parts[0] ?? "");
  return `${method} ${parts.length} ${first}`;
}

function indexOf(operation: SpecOperation): Indexed {
  const parts = operation.template.split("/").filter(Boolean);
  const source = parts
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")))
    .join("/");
  const literals = parts.filter((part) => !part.startsWith("{")).length;
  return { operation, pattern: new RegExp(`^/${source}/?$`), literals };
}

/** A JSON pointer token in a URI fragment: `~` and `/` escaped, then URI-encoded (`{`, `}`). */
const escape = (token: string) => encodeURIComponent(token.replace(/~/g, "~0").replace(/\//g, "~1"));

async function jsonFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await jsonFiles(path)));
    else if (entry.name.endsWith(".json")) found.push(path);
  }
  return found.sort();
}
