import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/schema.js";
import { buildConnectionSpecification } from "../../../src/config/spec.js";
import { configDigest, secretFieldNames, withoutSecrets } from "../../../src/receipt/config-digest.js";

const config = (token: string, batch = 100) =>
  parseConfig({
    credentials: { type: "Private App", access_token: token },
    batch_size: batch,
    object_storage_config: {
      storage_type: "S3",
      s3_bucket_name: "b",
      access_key_id: "AKIA-secret",
      secret_access_key: "s3-secret",
    },
  });

describe("configDigest", () => {
  it("finds the secret fields from the spec", () => {
    expect([...secretFieldNames()].sort()).toEqual(
      expect.arrayContaining([
        "access_token",
        "client_secret",
        "refresh_token",
        "secret_access_key",
        "access_key_id",
      ]),
    );
  });

  it("finds exactly the properties the spec marks airbyte_secret, wherever they sit", () => {
    const marked = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node === null || typeof node !== "object") return;
      const properties = (node as { properties?: Record<string, { airbyte_secret?: unknown }> }).properties;
      for (const [name, schema] of Object.entries(properties ?? {})) {
        if (schema.airbyte_secret === true) marked.add(name);
      }
      Object.values(node).forEach(walk);
    };
    walk(buildConnectionSpecification());
    expect(marked.size).toBeGreaterThanOrEqual(6);
    expect([...secretFieldNames()].sort()).toEqual([...marked].sort());
  });

  it("holds no secret, and is the same whatever the secrets are", () => {
    const text = JSON.stringify(withoutSecrets(config("pat-one")));
    expect(text).not.toContain("pat-one");
    expect(text).not.toContain("s3-secret");
    expect(text).not.toContain("AKIA-secret");
    expect(configDigest(config("pat-one"))).toBe(configDigest(config("pat-two")));
  });

  it("changes when a setting changes", () => {
    expect(configDigest(config("pat-one", 50))).not.toBe(configDigest(config("pat-one", 100)));
    expect(configDigest(config("pat-one"))).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
