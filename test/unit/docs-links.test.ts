/**
 * The manual stays navigable as pages move: every relative link in the README, the CHANGELOG and docs/ resolves to
 * a file (or folder) that exists and, when it names a heading, to a heading of that page (GitHub's anchors); every
 * repository path the README and docs/ name in code (`src/targets/index.ts`) exists; and every table fits a terminal.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MAX_TABLE_LINE = 120;

/** The Markdown pages of the manual: the README, the CHANGELOG and every page under docs/. */
function pages(): string[] {
  const docs = readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => join(ROOT, "docs", name));
  return [join(ROOT, "README.md"), join(ROOT, "CHANGELOG.md"), ...docs];
}

/** The page's lines outside fenced code blocks (a `# comment` in a shell block is no heading). */
function proseLines(text: string): string[] {
  const lines: string[] = [];
  let fenced = false;
  for (const line of text.split("\n")) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced) lines.push(line);
  }
  return lines;
}

/**
 * The anchor GitHub gives a heading: its text as rendered (code, emphasis and link syntax dropped), lower-cased,
 * without punctuation or symbols, spaces as hyphens; a repeated anchor gets -1, -2, ….
 */
function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const rendered = (heading[1] ?? "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*]/g, "");
    const base = rendered
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Relative link targets of a page, outside code: `[text](target)`. */
function relativeLinks(text: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(text)) {
    const withoutCode = line.replace(/`[^`]*`/g, "");
    for (const match of withoutCode.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] ?? "";
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) targets.push(target);
    }
  }
  return targets;
}

/** What is wrong with one link from `page`, or undefined. */
function brokenLink(page: string, target: string): string | undefined {
  const [path = "", anchor] = target.split("#");
  const file = path === "" ? page : resolve(dirname(page), decodeURIComponent(path));
  if (!existsSync(file)) return `${target}: no file ${relative(ROOT, file)}`;
  if (anchor === undefined) return undefined;
  if (statSync(file).isDirectory() || !file.endsWith(".md")) return `${target}: an anchor into a non-page`;
  if (!headingAnchors(readFileSync(file, "utf8")).has(anchor)) {
    return `${target}: ${relative(ROOT, file)} has no heading #${anchor}`;
  }
  return undefined;
}

describe("the manual's links", () => {
  it("resolve, from every page, to a file that exists and a heading it has", () => {
    const broken: string[] = [];
    for (const page of pages()) {
      for (const target of relativeLinks(readFileSync(page, "utf8"))) {
        const problem = brokenLink(page, target);
        if (problem) broken.push(`${relative(ROOT, page)}: ${problem}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("are found in prose, not in code, and anchors follow GitHub's rules", () => {
    const text = [
      "See [a](crm.md#values) and [b](#plan-write---plan-file), not `[c](missing.md)` or https://x.y/#z.",
      "## Plan: `write --plan FILE`",
      "## Stopping early: `--max-rejects`",
      "## Stopping early: `--max-rejects`",
      "```sh",
      "# not a heading",
      "echo '[d](nope.md)'",
      "```",
    ].join("\n");
    expect(relativeLinks(text)).toEqual(["crm.md#values", "#plan-write---plan-file"]);
    expect([...headingAnchors(text)]).toEqual([
      "plan-write---plan-file",
      "stopping-early---max-rejects",
      "stopping-early---max-rejects-1",
    ]);
  });
});

/** Repository paths a page names in inline code, outside fenced blocks: `src/run/`, `test/unit/structure.test.ts`. */
function namedPaths(text: string): string[] {
  const paths: string[] = [];
  for (const line of proseLines(text)) {
    for (const match of line.matchAll(/`((?:src|test|bench|scripts|spec|docs)\/[^`\s]*)`/g)) {
      const path = match[1] ?? "";
      if (!/[<>{}*…]/.test(path)) paths.push(path);
    }
  }
  return paths;
}

describe("the manual's paths", () => {
  it("name files and folders of the repository that exist (the README and docs/; the CHANGELOG is history)", () => {
    const pagesNaming = pages().filter((page) => !page.endsWith("CHANGELOG.md"));
    const named = pagesNaming.flatMap((page) =>
      namedPaths(readFileSync(page, "utf8")).map((path) => ({ page, path })),
    );
    expect(named.length).toBeGreaterThan(15);
    const missing = named
      .filter(({ path }) => !existsSync(join(ROOT, path)))
      .map(({ page, path }) => `${relative(ROOT, page)}: ${path}`);
    expect(missing).toEqual([]);
  });

  it("are found in inline code, not in fenced blocks nor with placeholders", () => {
    const text = [
      "See `src/run/` and `src/targets/<kind>/`, not `lib/x.ts`.",
      "```sh",
      "cat src/nowhere.ts",
      "```",
    ];
    expect(namedPaths(text.join("\n"))).toEqual(["src/run/"]);
  });
});

describe("the manual's tables", () => {
  it(`fit a terminal: no table line over ${MAX_TABLE_LINE} characters`, () => {
    const wide: string[] = [];
    for (const page of pages()) {
      for (const line of proseLines(readFileSync(page, "utf8"))) {
        if (line.startsWith("|") && line.length > MAX_TABLE_LINE) {
          wide.push(`${relative(ROOT, page)}: ${line.length} characters: ${line.slice(0, 60)}…`);
        }
      }
    }
    expect(wide).toEqual([]);
  });
});
