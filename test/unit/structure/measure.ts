/**
 * Measures the shape of src/ with the TypeScript compiler's parser (no type checking): file lengths, function
 * lengths, the import graph between files (type-only imports, re-exports and dynamic imports included) and between
 * folders, and the branches on a target's kind. structure.test.ts holds the rules; `node
 * test/unit/structure/measure.ts` prints the figures.
 *
 * - A file's length is its number of lines (as `wc -l` counts them).
 * - A function's length runs from its first line to its last, both counted: declarations, methods, accessors,
 *   constructors, function expressions and arrow functions whose body is a block. It is named by its declaration,
 *   or by the variable, property or class member it is assigned to (`Class.method`, `object.property`).
 * - A folder is a file's top folder under src/ (`load`, `targets`): the layers; a file directly in src/ is a node of
 *   its own (`cli.ts`), since root files are the layers' ends (main, cli) and floor (errors, contract). Within
 *   targets/, each kind's folder (`targets/list`) is a node of the kinds' graph: a kind may use another (a list
 *   writes its missing members through the crm-object kind's sender), never in a circle.
 * - A branch on the kind (outside src/targets/ and src/sandbox/) is a comparison of a `.kind` (or `kind`) with a
 *   target kind's name, a `switch` on `.kind` with such a case, an index by a target's kind (`planners[target.kind]`),
 *   or a call of `is<Kind>Object`. The kinds' names are src/targets/'s folders (and `crm`, an earlier name).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

export interface LongFunction {
  file: string;
  name: string;
  line: number;
  lines: number;
}

export interface KindBranch {
  file: string;
  line: number;
  text: string;
}

export interface Figures {
  files: number;
  lines: number;
  fileLines: Map<string, number>;
  functions: LongFunction[];
  /** The files of src/ each file imports (type-only imports, re-exports and dynamic imports included). */
  imports: Map<string, Set<string>>;
  /** The packages and node builtins each file imports, by the name it imports them by (`zod`, `node:fs/promises`). */
  packages: Map<string, Set<string>>;
  /** Strongly connected groups of files that import each other, directly or not (type-only imports count). */
  fileCycles: string[][];
  folderCycles: string[][];
  /** One edge per folder pair that takes part in a folder cycle, with a file import that makes it. */
  folderEdges: Map<string, Map<string, string>>;
  /** Kinds' folders that import each other, directly or not. */
  kindCycles: string[][];
  kindBranches: KindBranch[];
  kindNames: string[];
}

const EARLIER_KIND_NAMES = ["crm", "event", "list"];

function sourceFiles(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory).sort()) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (entry.endsWith(".ts") && !entry.endsWith(".d.ts")) found.push(path);
  }
  return found;
}

/** The file a relative specifier names, if it is one of `known`. */
function resolveSpecifier(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, ".ts"), base, `${base}.ts`, join(base, "index.ts")];
  return candidates.find((candidate) => known.has(candidate));
}

function importedSpecifiers(source: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      specifiers.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

function functionName(node: ts.Node): string {
  const named = (node as { name?: ts.Node }).name;
  const own = named && (ts.isIdentifier(named) || ts.isStringLiteral(named)) ? named.text : undefined;
  const parent = node.parent;
  if (ts.isConstructorDeclaration(node)) return `${className(parent)}.constructor`;
  if (ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) {
    return ts.isClassLike(parent) ? `${className(parent)}.${own}` : (own ?? "<method>");
  }
  if (own) return own;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name)))
    return parent.name.text;
  if (ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name))
    return `${className(parent.parent)}.${parent.name.text}`;
  return "<anonymous>";
}

function className(node: ts.Node): string {
  const name = (node as { name?: ts.Identifier }).name;
  return name?.text ?? "<class>";
}

function isFunctionLike(node: ts.Node): boolean {
  if (ts.isArrowFunction(node)) return ts.isBlock(node.body);
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessor(node) ||
    ts.isSetAccessor(node)
  );
}

/** The kinds' names: src/targets/'s folders, and the three names kinds had before they had folders. */
function kindNamesFrom(root: string): string[] {
  const folder = join(root, "targets");
  const folders = existsSync(folder)
    ? readdirSync(folder).filter((entry) => statSync(join(folder, entry)).isDirectory())
    : [];
  return [...new Set([...folders, ...EARLIER_KIND_NAMES])];
}

const isKindAccess = (node: ts.Node): boolean =>
  (ts.isPropertyAccessExpression(node) && node.name.text === "kind") ||
  (ts.isIdentifier(node) && node.text === "kind");

/** `target.kind`, `upsertTarget.kind`: a target's kind used as an index (`planners[target.kind]`). */
const isTargetKind = (node: ts.Node): boolean =>
  ts.isPropertyAccessExpression(node) &&
  node.name.text === "kind" &&
  /(^|\.)[A-Za-z]*(target|Target)$/.test(node.expression.getText());

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

function kindBranchesOf(source: ts.SourceFile, file: string, kinds: ReadonlySet<string>): KindBranch[] {
  const found: KindBranch[] = [];
  const isKindName = (node: ts.Node) => ts.isStringLiteralLike(node) && kinds.has(node.text);
  const predicates = new Set([...kinds].map((kind) => `is${capitalise(kind)}Object`));
  const add = (node: ts.Node) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push({ file, line, text: node.getText(source).replace(/\s+/g, " ").slice(0, 100) });
  };
  const visit = (node: ts.Node) => {
    if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) {
      if (
        (isKindAccess(node.left) && isKindName(node.right)) ||
        (isKindAccess(node.right) && isKindName(node.left))
      )
        add(node);
    } else if (ts.isSwitchStatement(node) && isKindAccess(node.expression)) {
      if (node.caseBlock.clauses.some((clause) => ts.isCaseClause(clause) && isKindName(clause.expression)))
        add(node.expression);
    } else if (ts.isElementAccessExpression(node) && isTargetKind(node.argumentExpression)) {
      add(node);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : undefined;
      if (name !== undefined && predicates.has(name)) add(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const capitalise = (text: string) =>
  text
    .split(/[^A-Za-z0-9]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

/** Tarjan's strongly connected components with more than one node, or a node importing itself. */
export function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const connect = (node: string) => {
    indices.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, indices.get(next) as number));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1 || graph.get(node)?.has(node)) groups.push(group.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) connect(node);
  return groups;
}

const folderOf = (file: string) => (file.includes("/") ? (file.split("/")[0] as string) : file);
/** `targets/<kind>` for a file of a kind's folder; undefined for any other. */
const kindFolderOf = (file: string) => /^targets\/[^/]+\//.exec(file)?.[0].slice(0, -1);

export function measure(root = resolve("src")): Figures {
  const absolute = sourceFiles(root);
  const known = new Set(absolute);
  const kindNames = kindNamesFrom(root);
  const kinds = new Set(kindNames);
  const name = (file: string) => relative(root, file).split(sep).join("/");
  const fileLines = new Map<string, number>();
  const functions: LongFunction[] = [];
  const fileGraph = new Map<string, Set<string>>();
  const packages = new Map<string, Set<string>>();
  const folderGraph = new Map<string, Set<string>>();
  const folderWitness = new Map<string, Map<string, string>>();
  const kindGraph = new Map<string, Set<string>>();
  const kindBranches: KindBranch[] = [];
  let lines = 0;
  for (const path of absolute) {
    const file = name(path);
    const text = readFileSync(path, "utf8");
    const count = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    fileLines.set(file, count);
    lines += count;
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const visit = (node: ts.Node) => {
      if (isFunctionLike(node)) {
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
        functions.push({ file, name: functionName(node), line: start, lines: end - start + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    const edges = new Set<string>();
    const imported = new Set<string>();
    for (const specifier of importedSpecifiers(source)) {
      const target = resolveSpecifier(path, specifier, known);
      if (target) edges.add(name(target));
      else if (!specifier.startsWith(".")) imported.add(specifier);
    }
    fileGraph.set(file, edges);
    packages.set(file, imported);
    const from = folderOf(file);
    const folderEdges = folderGraph.get(from) ?? new Set<string>();
    folderGraph.set(from, folderEdges);
    for (const target of edges) {
      const to = folderOf(target);
      if (to === from) continue;
      folderEdges.add(to);
      const witness = folderWitness.get(from) ?? new Map<string, string>();
      folderWitness.set(from, witness);
      if (!witness.has(to)) witness.set(to, `${file} → ${target}`);
    }
    const kindFolder = kindFolderOf(file);
    if (kindFolder) {
      const kindEdges = kindGraph.get(kindFolder) ?? new Set<string>();
      kindGraph.set(kindFolder, kindEdges);
      for (const target of edges) {
        const to = kindFolderOf(target);
        if (to && to !== kindFolder) kindEdges.add(to);
      }
    }
    if (!file.startsWith("targets/") && !file.startsWith("sandbox/"))
      kindBranches.push(...kindBranchesOf(source, file, kinds));
  }
  const folderCycles = cycles(folderGraph);
  const inCycle = new Set(folderCycles.flat());
  const folderEdges = new Map<string, Map<string, string>>();
  for (const [from, witness] of folderWitness) {
    if (!inCycle.has(from)) continue;
    const kept = new Map([...witness].filter(([to]) => inCycle.has(to)));
    if (kept.size > 0) folderEdges.set(from, kept);
  }
  return {
    files: absolute.length,
    lines,
    fileLines,
    functions,
    imports: fileGraph,
    packages,
    fileCycles: cycles(fileGraph),
    folderCycles,
    folderEdges,
    kindCycles: cycles(kindGraph),
    kindBranches,
    kindNames,
  };
}

/** The figures for people: `node test/unit/structure/measure.ts [limit-lines] [limit-function]`. */
export function describeFigures(figures: Figures, fileLimit = 330, functionLimit = 60): string {
  const outside = (file: string) => !file.startsWith("sandbox/");
  const longFiles = [...figures.fileLines].filter(([, count]) => count > fileLimit);
  const longFunctions = figures.functions.filter((fn) => fn.lines > functionLimit);
  const lines = [
    `src: ${figures.files} files, ${figures.lines} lines`,
    `files over ${fileLimit} lines: ${longFiles.length}${longFiles.map(([file, count]) => `\n  ${file} ${count}`).join("")}`,
    `functions over ${functionLimit} lines: ${longFunctions.length} (${longFunctions.filter((fn) => outside(fn.file)).length} outside sandbox/)` +
      longFunctions
        .sort((a, b) => b.lines - a.lines)
        .map((fn) => `\n  ${fn.file}:${fn.line} ${fn.name} ${fn.lines}`)
        .join(""),
    `file import cycles (type-only imports count): ${figures.fileCycles.length}` +
      figures.fileCycles.map((group) => `\n  ${group.join(" ")}`).join(""),
    `folder cycles: ${figures.folderCycles.length}` +
      figures.folderCycles.map((group) => `\n  ${group.join(" ")}`).join("") +
      [...figures.folderEdges]
        .flatMap(([from, witness]) => [...witness].map(([to, why]) => `\n    ${from} → ${to}: ${why}`))
        .join(""),
    `kind folders in a cycle: ${figures.kindCycles.length}` +
      figures.kindCycles.map((group) => `\n  ${group.join(" ")}`).join(""),
    `branches on the kind (${figures.kindNames.join(", ")}) outside targets/: ${figures.kindBranches.length}` +
      figures.kindBranches.map((branch) => `\n  ${branch.file}:${branch.line} ${branch.text}`).join(""),
  ];
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${describeFigures(measure())}\n`);
}
