/**
 * src/'s shape, measured with the TypeScript parser (structure/measure.ts) and held by the rules of
 * structure/rules.ts: no import cycle between files (type-only imports count) nor between folders, no function over
 * 60 lines, no file over 330, no branch on a target's kind outside src/targets/, each layer importing only the
 * layers below it, and comments that cite HubSpot's and Airbyte's public pages rather than notes no clone has.
 * Each rule is also run on a small tree of this file's own that breaks it, and must see the break.
 * `node test/unit/structure/measure.ts` prints the figures; docs/architecture.md explains the layers.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type Figures, measure } from "./structure/measure.js";
import {
  folderCycles,
  type Allowed,
  importsBeyond,
  importsInto,
  LAYERS,
  layerBreaks,
  longFiles,
  longFunctions,
  packageOutsideOwner,
} from "./structure/rules.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** What config/ may import besides itself: the error classes, zod, and Node's builtins. */
const CONFIG_ALLOWS: Allowed = {
  files: (file) => file === "errors.ts",
  packages: (name) => name === "zod" || name.startsWith("node:"),
};
/** What contract.ts and contract/ may import: the floor below (config/, protocol/), no package, no feature module. */
const CONTRACT_ALLOWS: Allowed = {
  files: (file) => file.startsWith("config/") || file.startsWith("protocol/") || file.startsWith("contract/"),
  packages: () => false,
};
const UPPER_LAYERS = ["targets", "run", "commands"];
/** An HTTP client: Node's TLS one (the sandbox serves plain HTTP with node:http) or a client package. */
const isHttpClient = (name: string) =>
  name === "node:https" || name === "undici" || name.startsWith("undici/");
const isAwsSdk = (name: string) => name.startsWith("@aws-sdk/");

/** The shared notes' file names: no clone of the repository has them, so no comment may send a reader there. */
const NOTES = /hubspot-api-notes|hubspot-identity|identity-and-objects|airbyte-notes|peers-notes/;

/** Files of the repository a comment in them could cite the notes from: src/, test/ (but this file) and docs. */
function citingFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return walk(path);
      return /\.(ts|mjs|md)$/.test(entry) ? [path] : [];
    });
  const self = fileURLToPath(import.meta.url);
  return [
    ...walk(join(ROOT, "src")),
    ...walk(join(ROOT, "test")).filter((path) => path !== self),
    ...walk(join(ROOT, "docs")),
    join(ROOT, "README.md"),
  ];
}

/** Lines that name a notes file, as `file:line`. */
function notesCitations(files: readonly string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, index) => (NOTES.test(line) ? [`${relative(ROOT, file)}:${index + 1}`] : [])),
  );
}

/** A short key for one of HubSpot's pages (`D-OBJ`) or spec families (`S-LISTS`), as comments use them. */
const SOURCE_KEY = /\b[SD]-[A-Z][A-Z0-9]*\b/g;

/** Keys the files use that `defined` does not hold, as `file:line KEY`. */
function undefinedKeys(files: readonly string[], defined: ReadonlySet<string>): string[] {
  return files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, index) =>
        [...line.matchAll(SOURCE_KEY)]
          .filter((match) => !defined.has(match[0]))
          .map((match) => `${relative(ROOT, file)}:${index + 1} ${match[0]}`),
      ),
  );
}

/** The keys docs/architecture.md's table of sources defines. */
function definedKeys(): Set<string> {
  const page = readFileSync(join(ROOT, "docs/architecture.md"), "utf8");
  return new Set([...page.matchAll(/^\| ([SD]-[A-Z0-9]+) +\|/gm)].map((row) => row[1] as string));
}

/**
 * The build bundles src/ (scripts/build.mjs): only the entry points keep their place under dist/, the rest lands in
 * chunks. A module that finds a file by its own place (`import.meta.url`) finds the wrong one once bundled, unless
 * it is an entry point or resolves a package by name. Lines using `import.meta`, as `file:line`, outside those.
 */
const PLACE_FREE = new Set(["main.ts"]);
function placeDependent(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? walk(path) : entry.endsWith(".ts") ? [path] : [];
    });
  return walk(root).flatMap((path) => {
    const file = relative(root, path);
    if (PLACE_FREE.has(file)) return [];
    return readFileSync(path, "utf8")
      .split("\n")
      .flatMap((line, index) => (/import\.meta\b/.test(line) ? [`${file}:${index + 1}`] : []));
  });
}

describe("src/'s shape", () => {
  let figures: Figures;
  beforeAll(() => {
    figures = measure(join(ROOT, "src"));
  });

  it("has no import cycle between files, type-only imports counted", () => {
    expect(figures.files).toBeGreaterThan(200);
    expect(figures.fileCycles.map((group) => group.join(" "))).toEqual([]);
  });

  it("has no import cycle between folders, nor between kinds' folders under targets/", () => {
    expect(folderCycles(figures)).toEqual([]);
    expect(figures.kindCycles.map((group) => group.join(" "))).toEqual([]);
  });

  it("has no function over 60 lines, the sandbox's included (it had none when this rule was set)", () => {
    expect(figures.functions.length).toBeGreaterThan(1000);
    expect(longFunctions(figures)).toEqual([]);
  });

  it("has no file over 330 lines", () => {
    expect(longFiles(figures)).toEqual([]);
  });

  it("branches on a target's kind only inside src/targets/", () => {
    expect(figures.kindNames).toEqual(expect.arrayContaining(["crm-object", "event", "list"]));
    expect(figures.kindBranches.map((branch) => `${branch.file}:${branch.line} ${branch.text}`)).toEqual([]);
  });

  it("imports only downward: each layer from the layers below it", () => {
    expect(layerBreaks(figures)).toEqual([]);
  });

  it("has the layers docs/architecture.md tells, row by row", () => {
    const page = readFileSync(join(ROOT, "docs/architecture.md"), "utf8");
    const rows = [...page.matchAll(/^\| (\d+) +\| (.*)\|$/gm)].map((row) => ({
      layer: Number(row[1]),
      nodes: [...(row[2] ?? "").matchAll(/`src\/([^`/]+)\/?`/g)].map((match) => match[1]),
    }));
    expect(rows.map((row) => row.layer)).toEqual(LAYERS.map((_, index) => index + 1));
    for (const row of rows) {
      const layer = LAYERS[row.layer - 1] ?? [];
      // The floor's row names a few of its leaves and ends with "…"; every other row names its whole layer.
      if (row.layer === 1) expect(layer).toEqual(expect.arrayContaining(row.nodes));
      else expect([...row.nodes].sort()).toEqual([...layer].sort());
    }
  });

  it("keeps config/ the ground floor: it imports only errors.ts, zod and Node's builtins", () => {
    expect(importsBeyond(figures, "config", CONFIG_ALLOWS)).toEqual([]);
  });

  it("keeps hubspot/ below the kinds, the run and the commands", () => {
    expect(importsInto(figures, ["hubspot"], UPPER_LAYERS)).toEqual([]);
  });

  it("keeps contract.ts free of feature modules: it imports types only, from config/ and protocol/", () => {
    expect(importsBeyond(figures, "contract.ts", CONTRACT_ALLOWS)).toEqual([]);
    expect(importsBeyond(figures, "contract", CONTRACT_ALLOWS)).toEqual([]);
    const files = [
      "contract.ts",
      ...readdirSync(join(ROOT, "src/contract")).map((name) => `contract/${name}`),
    ];
    for (const file of files) {
      const source = readFileSync(join(ROOT, "src", file), "utf8");
      expect(source.match(/^import (?!type )/gm) ?? [], file).toEqual([]);
    }
  });

  it("gives each boundary one owner: the HTTP client only in hubspot/, the AWS SDK only in rejects/", () => {
    expect(packageOutsideOwner(figures, "hubspot", isHttpClient)).toEqual([]);
    expect(packageOutsideOwner(figures, "rejects", isAwsSdk)).toEqual([]);
  });

  it("finds no file by its own place in src/ (import.meta), which bundling moves, outside the entry points", () => {
    expect(placeDependent(join(ROOT, "src"))).toEqual([]);
  });

  it("cites HubSpot's and Airbyte's public pages, never the shared notes files", () => {
    const files = citingFiles();
    expect(files.length).toBeGreaterThan(300);
    expect(notesCitations(files)).toEqual([]);
  });

  it("names HubSpot's pages and specs only by keys docs/architecture.md defines", () => {
    const defined = definedKeys();
    expect(defined).toContain("D-OBJ");
    const code = citingFiles().filter(
      (file) => file.startsWith(join(ROOT, "src")) || file.startsWith(join(ROOT, "test")),
    );
    expect(undefinedKeys(code, defined)).toEqual([]);
  });
});

/** A tree that breaks every rule once, each break named where it is made. */
const BROKEN_TREE: Record<string, string> = {
  "errors.ts": "export class ConfigError extends Error {}\n",
  // config/ reaches up into hubspot/ (a layer break, a folder cycle) and takes a package it may not.
  "config/schema.ts":
    'import type { Api } from "../hubspot/api.js";\nimport { fetch } from "undici";\nexport type Config = Api;\n',
  // hubspot/ imports a kind; its type-only import of config/ closes a file cycle.
  "hubspot/api.ts":
    'import type { Config } from "../config/schema.js";\nimport { event } from "../targets/event/index.js";\n' +
    "export type Api = Config;\n",
  // Two kinds that import each other.
  "targets/event/index.ts": 'import { list } from "../list/index.js";\nexport const event = list;\n',
  "targets/list/index.ts": 'import { event } from "../event/index.js";\nexport const list = event;\n',
  // A feature module in the contract.
  "contract.ts": 'import { batch } from "./load/batcher.js";\nexport const seam = batch;\n',
  // A branch on the kind, in a function of 61 lines.
  "load/batcher.ts": `export function batch(target: { kind: string }) {\n  if (target.kind === "event") return 1;\n${"  void 0;\n".repeat(58)}}\n`,
  "load/long.ts": "export const line = 1;\n".repeat(331),
  // A folder no layer holds.
  "wild/loose.ts": 'import { line } from "../load/long.js";\nexport const loose = line;\n',
};

describe("the rules, on a tree that breaks each of them", () => {
  let figures: Figures;
  beforeAll(() => {
    const root = mkdtempSync(join(tmpdir(), "structure-"));
    for (const [file, text] of Object.entries(BROKEN_TREE)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    figures = measure(root);
  });

  it("see the file cycles, the type-only one included, and the folder and kind cycles", () => {
    expect(figures.fileCycles.map((group) => group.join(" ")).sort()).toEqual([
      "config/schema.ts hubspot/api.ts",
      "targets/event/index.ts targets/list/index.ts",
    ]);
    expect(folderCycles(figures)).toEqual([
      "config hubspot: config/schema.ts → hubspot/api.ts; hubspot/api.ts → config/schema.ts",
    ]);
    expect(figures.kindCycles).toEqual([["targets/event", "targets/list"]]);
  });

  it("see the long function, the long file and the branch on the kind", () => {
    expect(longFunctions(figures)).toEqual(["load/batcher.ts:1 batch 61"]);
    expect(longFiles(figures)).toEqual(["load/long.ts 331"]);
    expect(figures.kindBranches.map((branch) => `${branch.file}:${branch.line}`)).toEqual([
      "load/batcher.ts:2",
    ]);
  });

  it("see every import that climbs, and the folder no layer holds", () => {
    expect(layerBreaks(figures)).toEqual([
      "wild: in no layer of LAYERS",
      "config → hubspot (config/schema.ts → hubspot/api.ts): a layer above it",
      "contract.ts → load (contract.ts → load/batcher.ts): a layer above it",
      "hubspot → targets (hubspot/api.ts → targets/event/index.ts): a layer above it",
    ]);
    expect(importsBeyond(figures, "config", CONFIG_ALLOWS)).toEqual([
      "config/schema.ts → hubspot/api.ts",
      "config/schema.ts → undici",
    ]);
    expect(importsInto(figures, ["hubspot"], UPPER_LAYERS)).toEqual([
      "hubspot/api.ts → targets/event/index.ts",
    ]);
    expect(importsBeyond(figures, "contract.ts", CONTRACT_ALLOWS)).toEqual(["contract.ts → load/batcher.ts"]);
    expect(packageOutsideOwner(figures, "hubspot", isHttpClient)).toEqual(["config/schema.ts → undici"]);
  });

  it("see a module that finds a file by its own place", () => {
    const root = mkdtempSync(join(tmpdir(), "structure-place-"));
    mkdirSync(join(root, "hubspot"));
    writeFileSync(join(root, "main.ts"), 'new URL("./cli-worker.js", import.meta.url);\n');
    writeFileSync(
      join(root, "version.ts"),
      '// the version\nreadFileSync(new URL("../package.json", import.meta.url));\n',
    );
    expect(placeDependent(root)).toEqual(["version.ts:2"]);
  });

  it("see a comment that cites the notes", () => {
    const root = mkdtempSync(join(tmpdir(), "structure-notes-"));
    const file = join(root, "cited.ts");
    writeFileSync(file, "/** Fine. */\n/** A 207's shape (hubspot-api-notes §1.3). */\n");
    expect(notesCitations([file])).toEqual([`${relative(ROOT, file)}:2`]);
  });

  it("see a key no table defines", () => {
    const root = mkdtempSync(join(tmpdir(), "structure-keys-"));
    const file = join(root, "keyed.ts");
    writeFileSync(
      file,
      "/** Limits (D-OBJ), shapes (S-OBJ), and T-LIVE or X-HubSpot-RateLimit are no keys. */\n// (D-NOTES §1)\n",
    );
    expect(undefinedKeys([file], new Set(["D-OBJ", "S-OBJ"]))).toEqual([`${relative(ROOT, file)}:2 D-NOTES`]);
  });
});
