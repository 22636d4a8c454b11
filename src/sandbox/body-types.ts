/**
 * Request bodies checked against the types of the fields each operation reads (operations.ts), on every path and
 * in every mode: a field of the wrong type is refused with HubSpot's invalid-input 400, never coerced or ignored.
 *
 * HubSpot reads bodies with a Java JSON deserializer: a property value sent as an object or an array, or a list
 * field sent as a string, is refused with `400 {"status":"error","message":"Invalid input JSON on line 1, column
 * 15: Cannot deserialize value of type `java.util.LinkedHashMap<java.lang.String,java.lang.String>` from Array value
 * (token `JsonToken.START_ARRAY`)", correlationId}` and no category (a live answer quoted on GitHub,
 * Chinchilla-Software-Com/HubSpot.NET#23; hubspot-api-php#91 shows the same for `properties` sent as a string).
 * The same deserializer takes a JSON number or boolean where a string is declared and keeps its text, which is why
 * `{"properties":{"age":42}}` is accepted as "42" (the SDKs' users rely on it, hubspot-api-nodejs#553), and `null`
 * counts as absent (a property set to null is ignored, HubSpot/hubspot-api-nodejs#324).
 *
 * The sandbox's wording names the field (`at properties.firstname`); the line and column are not computed (always
 * line 1, column 1, as for unparsable JSON).
 */
import { findOperation } from "./honoured.js";
import { error, type SandboxResponse } from "./responses.js";
import type { BodyShape } from "./types.js";

const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * Fields HubSpot's schema declares as strings where the sandbox honours the object its guide documents instead
 * (schema-deviations.ts): a string there is not a type error, the route refuses it with a 501 (search.ts).
 */
const STRING_FORMS = new Set(["sorts[]"]);

/** What Jackson calls a JSON value's kind, and the token it starts with. */
function kindOf(value: unknown): { kind: string; token: string } {
  if (Array.isArray(value)) return { kind: "Array", token: "START_ARRAY" };
  if (typeof value === "object") return { kind: "Object", token: "START_OBJECT" };
  if (typeof value === "string") return { kind: "String", token: "VALUE_STRING" };
  if (typeof value === "boolean") return { kind: "Boolean", token: value ? "VALUE_TRUE" : "VALUE_FALSE" };
  return Number.isInteger(value)
    ? { kind: "Integer", token: "VALUE_NUMBER_INT" }
    : { kind: "Floating-point", token: "VALUE_NUMBER_FLOAT" };
}

/** A value of the wrong type: the Java type expected, and where. */
interface Mismatch {
  expected: string;
  value: unknown;
  path: string;
}

const scalar = (value: unknown) =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean";

function leafMismatch(value: unknown, shape: BodyShape, path: string): Mismatch | undefined {
  switch (shape) {
    case "string":
      return scalar(value) ? undefined : { expected: "java.lang.String", value, path };
    case "number":
      return typeof value === "number" || (typeof value === "string" && NUMERIC.test(value))
        ? undefined
        : { expected: "java.lang.Long", value, path };
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false"
        ? undefined
        : { expected: "boolean", value, path };
    case "values":
      return valuesMismatch(value, path);
    default:
      return undefined;
  }
}

/** A property map: an object whose values are strings, numbers, booleans or null. */
function valuesMismatch(value: unknown, path: string): Mismatch | undefined {
  if (typeof value !== "object" || Array.isArray(value)) {
    return { expected: "java.util.LinkedHashMap<java.lang.String,java.lang.String>", value, path };
  }
  for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
    if (inner !== null && !scalar(inner))
      return { expected: "java.lang.String", value: inner, path: `${path}.${name}` };
  }
  return undefined;
}

/** The first field of `value` whose type `shape` does not allow (`null` counts as absent). */
export function mistypedField(value: unknown, shape: BodyShape, path = ""): Mismatch | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof shape !== "object") return leafMismatch(value, shape, path);
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return { expected: "java.util.ArrayList", value, path };
    for (const item of value) {
      const found = mistypedField(item, shape[0] as BodyShape, `${path}[]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === "string" && STRING_FORMS.has(path)) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) return { expected: "a JSON object", value, path };
  const fields = shape as Record<string, BodyShape>;
  for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
    const inner = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (inner === undefined) continue; // an unlisted field is honoured.ts's 501
    const found = mistypedField(child, inner, path ? `${path}.${name}` : name);
    if (found) return found;
  }
  return undefined;
}

/** HubSpot's invalid-input 400 for a field of the wrong type. */
export function mistypedAnswer(mismatch: Mismatch): SandboxResponse {
  const { kind, token } = kindOf(mismatch.value);
  const where = mismatch.path === "" ? "the request body" : mismatch.path;
  return error(
    400,
    undefined,
    `Invalid input JSON on line 1, column 1: Cannot deserialize value of type \`${mismatch.expected}\` from ${kind} value (token \`JsonToken.${token}\`) at ${where}`,
  );
}

/** The refusal for a JSON body with a field of the wrong type for its operation, if it has one. */
export function refuseMistyped(method: string, path: string, body: unknown): SandboxResponse | undefined {
  const shape = findOperation(method, path)?.body;
  if (shape === undefined) return undefined;
  const mismatch = mistypedField(body, shape);
  return mismatch ? mistypedAnswer(mismatch) : undefined;
}
