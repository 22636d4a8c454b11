import { describe, expect, it } from "vitest";
import { configSecrets, parseConfig } from "../../../src/config/schema.js";
import { ConfigError } from "../../../src/errors.js";

const privateApp = { type: "Private App", access_token: "pat-na1-canary-secret" };

describe("parseConfig", () => {
  it("fills safe defaults for everything but the credentials", () => {
    const config = parseConfig({ credentials: privateApp });
    expect(config).toMatchObject({
      api_base_url: "https://api.hubapi.com",
      object_storage_config: { storage_type: "None" },
      batch_size: 100,
      unknown_properties: "reject",
      null_values: "clear",
      date_time_zone: "UTC",
    });
  });

  it("accepts a config written for Airbyte's own destination-hubspot unchanged", () => {
    const config = parseConfig({
      credentials: { type: "OAuth", client_id: "id", client_secret: "secret", refresh_token: "refresh" },
      object_storage_config: {
        storage_type: "S3",
        s3_bucket_name: "rejects",
        s3_bucket_region: "eu-west-1",
        bucket_path: "hubspot",
        format: { format_type: "CSV" },
      },
    });
    expect(config.credentials.type).toBe("OAuth");
    expect(config.object_storage_config).toMatchObject({ storage_type: "S3", s3_bucket_name: "rejects" });
  });

  it.each([
    ["https://api-eu1.hubapi.com", true],
    ["http://127.0.0.1:8080", true],
    ["http://localhost:8080", true],
    ["http://api.hubapi.com", false],
    ["ftp://api.hubapi.com", false],
    ["not a url", false],
  ])("takes api_base_url %s: %s", (url, ok) => {
    const parse = () => parseConfig({ credentials: privateApp, api_base_url: url });
    if (ok) expect(parse().api_base_url).toBe(url);
    else expect(parse).toThrow(/api_base_url/);
  });

  it.each([
    [{ batch_size: 101 }, "batch_size"],
    [{ max_concurrent_requests: 0 }, "max_concurrent_requests"],
    [{ date_time_zone: "Mars/Olympus" }, "date_time_zone"],
    [{ null_values: "blank" }, "null_values"],
    [{ object_storage_config: { storage_type: "S3" } }, "object_storage_config.s3_bucket_name"],
    [{ credentials: { type: "Private App" } }, "credentials.access_token"],
    [{ credentials: { type: "Password", access_token: "x" } }, "credentials.type"],
  ])("names the bad field in %j", (extra, field) => {
    expect(() => parseConfig({ credentials: privateApp, ...extra })).toThrow(field);
  });

  it("lists every bad field at once and never echoes a secret", () => {
    try {
      parseConfig({
        credentials: { type: "Private App", access_token: 42 },
        batch_size: "pat-na1-canary-secret",
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain("credentials.access_token");
      expect(message).toContain("batch_size");
      expect(message).not.toContain("pat-na1-canary-secret");
    }
  });
});

describe("configSecrets", () => {
  it("lists tokens, the client secret and S3 keys", () => {
    const config = parseConfig({
      credentials: { type: "OAuth", client_id: "cid", client_secret: "csecret", refresh_token: "rtoken" },
      object_storage_config: {
        storage_type: "S3",
        s3_bucket_name: "b",
        s3_bucket_region: "us-east-1",
        access_key_id: "AKIA1",
        secret_access_key: "skey",
      },
    });
    expect(configSecrets(config).sort()).toEqual(["AKIA1", "cid", "csecret", "rtoken", "skey"]);
  });
});
