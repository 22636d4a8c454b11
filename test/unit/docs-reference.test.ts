/**
 * The reference pages hold what the code and the figures hold: every config field of spec/spec.json and every
 * environment variable the CLI reads are listed in docs/configuration.md, and docs/benchmarks.md quotes the figures
 * of bench/results/latest.json as bench/table.mjs prints them.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CONFIGURATION = readFileSync(join(ROOT, "docs/configuration.md"), "utf8");

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
}

/** Every field path of a JSON schema that has no fields of its own: `events.mappings[].filters[].equals`. */
function leafFields(node: SchemaNode, path = ""): string[] {
  const fields: string[] = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const below = leafFields(child, path === "" ? name : `${path}.${name}`);
    fields.push(...(below.length > 0 ? below : [path === "" ? name : `${path}.${name}`]));
  }
  for (const variant of [...(node.oneOf ?? []), ...(node.anyOf ?? [])])
    fields.push(...leafFields(variant, path));
  if (node.items) fields.push(...leafFields(node.items, `${path}[]`));
  return [...new Set(fields)];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(dir, name));
}

describe("docs/configuration.md", () => {
  it("lists every field of spec/spec.json by its path", () => {
    const spec = JSON.parse(readFileSync(join(ROOT, "spec/spec.json"), "utf8")) as {
      connectionSpecification: SchemaNode;
    };
    const fields = leafFields(spec.connectionSpecification);
    expect(fields).toContain("events.mappings[].filters[].equals");
    expect(fields).toContain("credentials.refresh_token");
    expect(fields.filter((field) => !CONFIGURATION.includes(`\`${field}\``))).toEqual([]);
  });

  it("lists every DESTINATION_HUBSPOT_ environment variable the code reads", () => {
    const names = new Set<string>();
    for (const file of sourceFiles(join(ROOT, "src"))) {
      for (const match of readFileSync(file, "utf8").matchAll(/DESTINATION_HUBSPOT_[A-Z0-9_]+/g)) {
        names.add(match[0]);
      }
    }
    expect(names.size).toBeGreaterThan(0);
    expect([...names].filter((name) => !CONFIGURATION.includes(`\`${name}`))).toEqual([]);
  });
});

describe("docs/benchmarks.md", () => {
  it("quotes the figures of bench/results/latest.json, as bench/table.mjs prints them", () => {
    const check = () =>
      execFileSync(process.execPath, [join(ROOT, "bench/table.mjs"), "--check"], {
        cwd: ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    expect(check).not.toThrow();
  });
});
