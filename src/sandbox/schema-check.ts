/**
 * Checking requests (and, for the sandbox's own tests, answers) against HubSpot's published OpenAPI schemas, when
 * the sandbox is started with `openapiDir` (openapi-catalog.ts reads the files):
 *
 * 1. Find the operations that apply to the request, on its own path or, when no file describes that, on a path
 *    whose schemas are the same (schema-aliases.ts); a path no file describes is not checked (`unmatched` counts it).
 * 2. Check the query parameters (required ones present; each value, or each item of a list, against its schema)
 *    and the JSON body against the request body schema.
 * 3. Drop the problems HubSpot's documentation says the live API does not raise (schema-deviations.ts).
 * 4. Any problem left: HubSpot's 400 VALIDATION_ERROR, naming each problem in `errors[]`, and the failure is kept in
 *    `report.failures` (the tests fail on it). An answer that breaks its response schema is only reported.
 */
import { randomUUID } from "node:crypto";
import type { ErrorObject } from "ajv";
import { findOperation } from "./honoured.js";
import { OpenApiCatalog, type SpecOperation } from "./openapi-catalog.js";
import { json, type SandboxResponse } from "./responses.js";
import { excused } from "./schema-deviations.js";
import { aliasesOf, uncheckedFamilies } from "./schema-aliases.js";

export interface SchemaFailure {
  direction: "request" | "response";
  method: string;
  path: string;
  /** The spec operation, `POST /crm/v3/objects/{objectType}/batch/read` (`file` says which file). */
  operation: string;
  file: string;
  status?: number;
  problems: string[];
}

export interface SchemaReport {
  /** OpenAPI files read. */
  files: number;
  /** Requests and answers checked against a schema. */
  checked: { requests: number; responses: number };
  /** Requests whose path no file describes (not checked). */
  unmatched: string[];
  /** Served path families some of whose operations no file describes, with how many are checked. */
  unchecked: string[];
  failures: SchemaFailure[];
  /** Sandbox operations (operations.ts names) whose successful answer was checked against a response schema. */
  coveredResponses: Set<string>;
}

/** One schema problem: where (a JSON pointer, or `query.name`) and what. */
interface Problem {
  at: string;
  keyword: string;
  message: string;
}

const catalogs = new Map<string, Promise<OpenApiCatalog>>();

/** Reads (once per process and directory) the OpenAPI files under `dir`. */
export async function loadSchemaChecker(
  dir: string,
  options: { responses?: boolean } = {},
): Promise<SchemaChecker> {
  let catalog = catalogs.get(dir);
  if (!catalog) {
    catalog = OpenApiCatalog.load(dir);
    catalogs.set(dir, catalog);
    catalog.catch(() => catalogs.delete(dir));
  }
  return new SchemaChecker(await catalog, options.responses ?? false);
}

export class SchemaChecker {
  readonly report: SchemaReport;

  constructor(
    private readonly catalog: OpenApiCatalog,
    private readonly responses: boolean,
  ) {
    this.report = {
      files: catalog.files,
      checked: { requests: 0, responses: 0 },
      unmatched: [],
      unchecked: uncheckedFamilies((method, path) => this.requestOperations(method, path).length > 0),
      failures: [],
      coveredResponses: new Set(),
    };
  }

  /** HubSpot's 400 for a request that breaks its schema, or undefined when it passes (or no file describes it). */
  checkRequest(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
  ): SandboxResponse | undefined {
    const operations = this.requestOperations(method, path);
    if (operations.length === 0) {
      this.report.unmatched.push(`${method} ${path}`);
      return undefined;
    }
    this.report.checked.requests += 1;
    const check = (operation: SpecOperation) =>
      excused("request", `${method} ${operation.template}`, [
        ...this.queryProblems(operation, query),
        ...this.bodyProblems(operation, body),
      ]);
    // Several files may describe the path (every 2026-09 object file has `/crm/objects/2026-09/{objectType}`):
    // the request is valid when one of them accepts it, so stop at the first that does.
    let first: { operation: SpecOperation; problems: Problem[] } | undefined;
    for (const operation of operations) {
      const problems = check(operation);
      if (problems.length === 0) return undefined;
      first ??= { operation, problems };
    }
    const failed = first as { operation: SpecOperation; problems: Problem[] };
    this.fail("request", method, path, failed.operation, failed.problems);
    return refusal(failed.problems);
  }

  /** The operations a request is checked against: its path's, or else those of the first alias a file has. */
  private requestOperations(method: string, path: string): SpecOperation[] {
    const own = this.catalog.find(method, path);
    if (own.length > 0) return own;
    for (const alias of aliasesOf(path)) {
      const found = this.catalog.find(method, alias);
      if (found.length > 0) return found;
    }
    return [];
  }

  /**
   * Reports an answer that breaks its operation's response schema (only with `checkResponses`), and returns the
   * failure so that the server can tell it on stderr.
   */
  checkResponse(method: string, path: string, answer: SandboxResponse): SchemaFailure | undefined {
    if (!this.responses || answer.status === 501) return undefined;
    const operations = this.catalog.find(method, path);
    if (operations.length === 0) return undefined;
    this.report.checked.responses += 1;
    let first: { operation: SpecOperation; problems: Problem[] } | undefined;
    for (const operation of operations) {
      const problems = this.responseProblems(operation, answer);
      if (problems.length === 0) {
        const served = findOperation(method, path);
        if (served && answer.status < 300) this.report.coveredResponses.add(served.name);
        return undefined;
      }
      first ??= { operation, problems };
    }
    const failed = first as { operation: SpecOperation; problems: Problem[] };
    return this.fail("response", method, path, failed.operation, failed.problems, answer.status);
  }

  private queryProblems(operation: SpecOperation, query: URLSearchParams): Problem[] {
    const problems: Problem[] = [];
    for (const parameter of operation.query) {
      const values = query.getAll(parameter.name);
      if (values.length === 0) {
        if (parameter.required) problems.push(problem(`query.${parameter.name}`, "required", "is required"));
        continue;
      }
      const value =
        parameter.type === "array"
          ? values.flatMap((text) => text.split(",")).map((item) => coerce(item, parameter.itemType))
          : coerce(values[0] as string, parameter.type);
      const validate = this.catalog.validator(parameter.schema);
      if (!validate(value)) problems.push(...fromAjv(validate.errors, `query.${parameter.name}`));
    }
    return problems;
  }

  private bodyProblems(operation: SpecOperation, body: unknown): Problem[] {
    if (!operation.body) return [];
    if (body === undefined)
      return operation.body.required ? [problem("", "required", "a request body is required")] : [];
    const validate = this.catalog.validator(operation.body.schema);
    return validate(body) ? [] : fromAjv(validate.errors, "");
  }

  /** The problems of an answer, a status the operation does not declare among them. */
  private responseProblems(operation: SpecOperation, answer: SandboxResponse): Problem[] {
    const status = String(answer.status);
    const declared = operation.responses.has(status)
      ? status
      : operation.responses.has("default")
        ? "default"
        : undefined;
    if (declared === undefined)
      return [problem("", "status", `status ${status} is not one the operation declares`)];
    const schema = operation.responses.get(declared);
    if (schema === undefined || answer.body === undefined) return [];
    const validate = this.catalog.validator(schema);
    const problems = validate(answer.body) ? [] : fromAjv(validate.errors, "");
    return excused("response", `${operation.method.toUpperCase()} ${operation.template}`, problems);
  }

  private fail(
    direction: SchemaFailure["direction"],
    method: string,
    path: string,
    operation: SpecOperation,
    problems: Problem[],
    status?: number,
  ): SchemaFailure {
    const failure: SchemaFailure = {
      direction,
      method,
      path,
      operation: `${method.toUpperCase()} ${operation.template}`,
      file: operation.file,
      ...(status === undefined ? {} : { status }),
      problems: problems.map(describe),
    };
    this.report.failures.push(failure);
    return failure;
  }
}

const problem = (at: string, keyword: string, message: string): Problem => ({ at, keyword, message });
const describe = (found: Problem) => `${found.at || "(body)"} ${found.message}`;

/** A query value as its schema types it, so that ajv checks `limit=abc` as a string where an integer is wanted. */
function coerce(text: string, type: string | undefined): unknown {
  if ((type === "integer" || type === "number") && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
  return text;
}

/** ajv's errors as problems; a missing field is located at the field itself (`/inputs/0/id`). */
function fromAjv(errors: ErrorObject[] | null | undefined, prefix: string): Problem[] {
  return (errors ?? []).map((error) => {
    const missing = error.keyword === "required" ? `/${String(error.params.missingProperty)}` : "";
    const at = `${prefix}${error.instancePath}${missing}`;
    const message = error.keyword === "required" ? "is required" : (error.message ?? error.keyword);
    return problem(at, error.keyword, message);
  });
}

/**
 * HubSpot's answer to a body it cannot take (its `Error` shape,
 * https://developers.hubspot.com/docs/api-reference/error-handling).
 */
function refusal(problems: Problem[]): SandboxResponse {
  const missing = problems
    .filter((found) => found.keyword === "required")
    .map((found) => found.at.split("/").pop());
  const message =
    missing.length > 0
      ? `Invalid input JSON on line 1, column 1. Some required fields were not set: [${missing.join(", ")}]`
      : `Invalid input JSON on line 1, column 1: ${describe(problems[0] as Problem)}`;
  return json(400, {
    status: "error",
    message,
    correlationId: randomUUID(),
    category: "VALIDATION_ERROR",
    errors: problems.map((found) => ({
      message: describe(found),
      in: found.at || "body",
      code: found.keyword,
    })),
  });
}
