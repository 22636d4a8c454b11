/**
 * The rules src/'s shape keeps, as functions of measure.ts's figures that answer what breaks them (an empty list
 * when nothing does). structure.test.ts applies them to src/, and to a small tree of its own that breaks each one,
 * so a rule that stopped seeing what it is meant to see fails too. docs/architecture.md explains them.
 */
import type { Figures } from "./measure.js";

export const FILE_LIMIT = 330;
export const FUNCTION_LIMIT = 60;

/**
 * src/'s layers, the floor first. A file imports files of its own folder and of the layers below its own, never
 * one of its own layer's other folders nor a layer above. The files directly in src/ are nodes of their own; those
 * that share a layer (the floor's leaves, the entry points) may import each other. A folder or root file that is
 * in no layer breaks the rule until it is given one.
 */
export const LAYERS: readonly (readonly string[])[] = [
  [
    "errors.ts",
    "exit-codes.ts",
    "secrets.ts",
    "exact-json.ts",
    "content-id.ts",
    "counted.ts",
    "latency.ts",
    "version.ts",
    "node-version.ts",
    "heap.ts",
    "worker-messages.ts",
    "fd-streams.ts",
  ],
  ["config"],
  ["protocol", "sandbox"],
  ["contract"],
  ["contract.ts"],
  ["hubspot"],
  ["mapping", "rejects"],
  ["load"],
  ["dry-run", "guards"],
  ["associations"],
  ["targets"],
  ["receipt", "replay"],
  ["run"],
  ["commands"],
  ["cli.ts", "cli-host.ts", "cli-worker.ts", "launch.ts", "main.ts"],
];

/** The node a file belongs to in the layers: its top folder under src/, or the file itself in src/'s root. */
export const nodeOf = (file: string): string => (file.includes("/") ? (file.split("/")[0] as string) : file);

const isRootFile = (node: string) => node.endsWith(".ts");

/** Imports that break the layers: `from → to (file → file): why`. */
export function layerBreaks(figures: Figures, layers = LAYERS): string[] {
  const rank = new Map<string, number>();
  layers.forEach((layer, index) => layer.forEach((node) => rank.set(node, index)));
  const breaks: string[] = [];
  const unplaced = new Set<string>();
  for (const [file, targets] of figures.imports) {
    const from = nodeOf(file);
    if (!rank.has(from)) unplaced.add(from);
    for (const target of targets) {
      const to = nodeOf(target);
      if (to === from) continue;
      if (!rank.has(to)) unplaced.add(to);
      const [above, below] = [rank.get(from), rank.get(to)];
      if (above === undefined || below === undefined) continue;
      if (below < above) continue;
      if (below === above && isRootFile(from) && isRootFile(to)) continue;
      const why = below === above ? "a folder of its own layer" : "a layer above it";
      breaks.push(`${from} → ${to} (${file} → ${target}): ${why}`);
    }
  }
  return [...[...unplaced].sort().map((node) => `${node}: in no layer of LAYERS`), ...breaks];
}

/** What a folder may import besides its own files. */
export interface Allowed {
  files: (file: string) => boolean;
  packages: (name: string) => boolean;
}

/** Files of `folder` (or the root file `folder`) that import something besides their own folder and `allowed`. */
export function importsBeyond(figures: Figures, folder: string, allowed: Allowed): string[] {
  const found: string[] = [];
  for (const [file, targets] of figures.imports) {
    if (nodeOf(file) !== folder) continue;
    for (const target of targets) {
      if (nodeOf(target) !== folder && !allowed.files(target)) found.push(`${file} → ${target}`);
    }
    for (const name of figures.packages.get(file) ?? []) {
      if (!allowed.packages(name)) found.push(`${file} → ${name}`);
    }
  }
  return found;
}

/** Files of `folders` that import a file of one of `forbidden`. */
export function importsInto(
  figures: Figures,
  folders: readonly string[],
  forbidden: readonly string[],
): string[] {
  const found: string[] = [];
  for (const [file, targets] of figures.imports) {
    if (!folders.includes(nodeOf(file))) continue;
    for (const target of targets) if (forbidden.includes(nodeOf(target))) found.push(`${file} → ${target}`);
  }
  return found;
}

/** Files outside `owner` that import a package `owns` names: one owner per boundary. */
export function packageOutsideOwner(
  figures: Figures,
  owner: string,
  owns: (name: string) => boolean,
): string[] {
  const found: string[] = [];
  for (const [file, names] of figures.packages) {
    if (nodeOf(file) === owner) continue;
    for (const name of names) if (owns(name)) found.push(`${file} → ${name}`);
  }
  return found;
}

export const longFunctions = (figures: Figures, limit = FUNCTION_LIMIT): string[] =>
  figures.functions
    .filter((fn) => fn.lines > limit)
    .map((fn) => `${fn.file}:${fn.line} ${fn.name} ${fn.lines}`);

export const longFiles = (figures: Figures, limit = FILE_LIMIT): string[] =>
  [...figures.fileLines].filter(([, count]) => count > limit).map(([file, count]) => `${file} ${count}`);

/** Folder cycles with, for each folder pair in one, an import that makes it. */
export const folderCycles = (figures: Figures): string[] =>
  figures.folderCycles.map(
    (group) =>
      `${group.join(" ")}: ` +
      [...figures.folderEdges]
        .filter(([from]) => group.includes(from))
        .flatMap(([, witness]) => [...witness].filter(([to]) => group.includes(to)).map(([, why]) => why))
        .join("; "),
  );
