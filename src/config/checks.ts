/**
 * What `parseConfig` does around the schema, for the mistakes people make when writing a config by hand:
 * - keys the schema does not know (`batch_sise`) are named with the closest known key, at any depth;
 * - a `credentials` object without `type` is OAuth, as Airbyte's spec defaults it, unless it holds only an
 *   `access_token` (a private app);
 * - secrets are trimmed of surrounding whitespace (what `$(cat token.txt)` leaves), saying so, and a secret with a
 *   character an HTTP header cannot carry is refused, naming the field, before any request is made.
 * Messages name keys and positions, never values.
 */
import { closestKey } from "./closest-key.js";
import { ConfigError } from "../errors.js";
import { headerValueProblem, surroundingWhitespace } from "./header-values.js";

/** The parts of zod's schema definitions the key walk reads (zod 4's `schema.def`). */
interface SchemaDef {
  type: string;
  shape?: Record<string, { def: SchemaDef }>;
  innerType?: { def: SchemaDef };
  in?: { def: SchemaDef };
  element?: { def: SchemaDef };
  options?: { def: SchemaDef }[];
  discriminator?: string;
  values?: unknown[];
}

const WRAPPERS = new Set(["default", "optional", "nullable", "readonly", "catch", "prefault", "nonoptional"]);

function unwrap(def: SchemaDef): SchemaDef {
  let current = def;
  for (let depth = 0; depth < 10; depth += 1) {
    if (WRAPPERS.has(current.type) && current.innerType) current = current.innerType.def;
    else if (current.type === "pipe" && current.in) current = current.in.def;
    else break;
  }
  return current;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A shape's own entry for `key`; never one it inherits from Object.prototype. */
const ownEntry = (shape: Record<string, { def: SchemaDef }>, key: string) =>
  Object.hasOwn(shape, key) ? shape[key] : undefined;

/** The object shapes a value may be checked against: the union option its discriminator picks, else all. */
function shapesOf(def: SchemaDef, value: Record<string, unknown>): Record<string, { def: SchemaDef }>[] {
  if (def.type === "object" && def.shape) return [def.shape];
  if (def.type !== "union" || !def.options) return [];
  const options = def.options.map((option) => unwrap(option.def)).filter((option) => option.shape);
  const discriminator = def.discriminator;
  if (discriminator !== undefined) {
    const picked = options.filter((option) =>
      unwrap(option.shape?.[discriminator]?.def ?? { type: "unknown" }).values?.includes(
        value[discriminator],
      ),
    );
    if (picked.length > 0) return picked.map((option) => option.shape as Record<string, { def: SchemaDef }>);
  }
  return options.map((option) => option.shape as Record<string, { def: SchemaDef }>);
}

/** One WARN per key of `value` that `schema` does not know, with the closest known key when one is close. */
export function unknownKeyWarnings(schema: { def: unknown }, value: unknown, what = "config"): string[] {
  const warnings: string[] = [];
  const walk = (def: SchemaDef, node: unknown, path: string) => {
    const plain = unwrap(def);
    if (plain.type === "array" && plain.element && Array.isArray(node)) {
      node.forEach((item, index) => walk(plain.element?.def as SchemaDef, item, `${path}[${index}]`));
      return;
    }
    if (!isPlainObject(node)) return;
    const shapes = shapesOf(plain, node);
    if (shapes.length === 0) return;
    const names = [...new Set(shapes.flatMap((shape) => Object.keys(shape)))];
    for (const [key, child] of Object.entries(node)) {
      const where = path ? `${path}.${key}` : key;
      // Own keys only: `constructor`, `toString` or `__proto__` are unknown keys like any other, not the shape's
      // inherited members.
      const known = shapes.map((candidate) => ownEntry(candidate, key)).find((entry) => entry !== undefined);
      if (known) {
        walk(known.def, child, where);
        continue;
      }
      const closest = closestKey(key, names);
      warnings.push(
        `Unknown ${what} key ${where} is ignored${closest ? `; did you mean ${path ? `${path}.` : ""}${closest}?` : "."}`,
      );
    }
  };
  walk(schema.def as SchemaDef, value, "");
  return warnings;
}

const OAUTH_FIELDS = ["client_id", "client_secret", "refresh_token"] as const;

/**
 * The config with `credentials.type` filled in when it is missing: "Private App" for a lone `access_token`, else
 * "OAuth" (the default of Airbyte's own destination-hubspot spec). Anything else is left for the schema to judge.
 */
export function withCredentialsType(raw: unknown): unknown {
  if (!isPlainObject(raw) || !isPlainObject(raw.credentials) || "type" in raw.credentials) return raw;
  const credentials = raw.credentials;
  const privateApp = "access_token" in credentials && !OAUTH_FIELDS.some((field) => field in credentials);
  return { ...raw, credentials: { ...credentials, type: privateApp ? "Private App" : "OAuth" } };
}

/**
 * A secret as it will be used: trimmed (with a WARN naming the field), and refused with a ConfigError when it
 * holds a character an HTTP header cannot carry or is empty once trimmed.
 */
export function cleanSecret(field: string, value: string, warn: (message: string) => void): string {
  const edge = surroundingWhitespace(value);
  const trimmed = value.trim();
  if (edge !== undefined) {
    warn(
      `${field} had surrounding whitespace (${edge}), which no credential has; it was trimmed. ` +
        "(A value taken from $(cat file) or echo keeps the line break: printf '%s' or jq -r avoid it.)",
    );
  }
  if (trimmed === "") throw new ConfigError(`The config is not valid. ${field}: must not be empty.`);
  const problem = headerValueProblem(trimmed);
  if (problem !== undefined) {
    throw new ConfigError(
      `The config is not valid. ${field} contains ${problem.character} at character ${problem.position}, ` +
        "which no credential has and an HTTP header cannot carry: copy it again as one line.",
    );
  }
  return trimmed;
}
