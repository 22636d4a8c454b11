/**
 * A digest of the config a run used, so two receipts can be told apart by config without holding a secret: the
 * SHA-256 of the parsed config (defaults filled in) with every secret field taken out, as canonical JSON (keys
 * sorted). The secret fields are those the spec marks `airbyte_secret`, wherever they sit.
 */
import { createHash } from "node:crypto";
import type { Config } from "../config/schema.js";
import { buildConnectionSpecification } from "../config/spec.js";

let secretKeys: ReadonlySet<string> | undefined;

/** Every property name the spec marks as a secret (`access_token`, `client_secret`, `secret_access_key`, …). */
export function secretFieldNames(): ReadonlySet<string> {
  if (secretKeys) return secretKeys;
  const names = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== "object") return;
    const properties = (node as { properties?: unknown }).properties;
    if (properties && typeof properties === "object") {
      for (const [name, schema] of Object.entries(properties)) {
        if ((schema as { airbyte_secret?: unknown }).airbyte_secret === true) names.add(name);
      }
    }
    Object.values(node).forEach(walk);
  };
  walk(buildConnectionSpecification());
  secretKeys = names;
  return names;
}

/** The config with every secret field removed (at any depth). */
export function withoutSecrets(value: unknown, secrets = secretFieldNames()): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, secrets));
  if (value === null || typeof value !== "object") return value;
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (secrets.has(key)) continue;
    kept[key] = withoutSecrets((value as Record<string, unknown>)[key], secrets);
  }
  return kept;
}

/** `sha256:<hex>` of the config without its secrets. */
export function configDigest(config: Config): string {
  const text = JSON.stringify(withoutSecrets(config));
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}
