import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { buildSpecification } from "../../src/config/spec.js";
import { runCli } from "../support/cli.js";

describe("spec", () => {
  it("prints one SPEC message equal to the checked-in spec/spec.json", async () => {
    const result = await runCli(["spec"]);
    expect(result.exitCode).toBe(0);
    expect(result.messages).toHaveLength(1);
    const checkedIn = JSON.parse(await readFile(new URL("../../spec/spec.json", import.meta.url), "utf8"));
    expect(result.messages[0]).toEqual({ type: "SPEC", spec: checkedIn });
  });

  it("keeps spec/spec.json in step with the zod config schema (run npm run spec after changing config.ts)", async () => {
    const checkedIn = JSON.parse(await readFile(new URL("../../spec/spec.json", import.meta.url), "utf8"));
    expect(checkedIn).toEqual(buildSpecification());
  });

  it("offers both of Airbyte's credential types, with every secret marked airbyte_secret", () => {
    type Branch = {
      properties: Record<string, { enum?: string[]; airbyte_secret?: boolean }>;
      required?: string[];
    };
    type Spec = { connectionSpecification: { properties: Record<string, { oneOf: Branch[] }> } };
    const spec = buildSpecification() as unknown as Spec;
    const branches = spec.connectionSpecification.properties.credentials?.oneOf ?? [];
    expect(branches.map((b) => b.properties.type?.enum?.[0])).toEqual(["OAuth", "Private App"]);
    for (const field of ["client_id", "client_secret", "refresh_token"]) {
      expect(branches[0]?.properties[field]?.airbyte_secret).toBe(true);
    }
    expect(branches[1]?.properties.access_token?.airbyte_secret).toBe(true);
    const storage = spec.connectionSpecification.properties.object_storage_config?.oneOf ?? [];
    expect(storage.map((b) => b.properties.storage_type?.enum?.[0])).toEqual(["None", "S3"]);
    expect(storage[1]?.properties.secret_access_key?.airbyte_secret).toBe(true);
    expect(storage[1]?.required).toEqual(expect.arrayContaining(["storage_type", "s3_bucket_name"]));
  });
});
