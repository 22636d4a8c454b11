import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HEAP, HEAP_FLAGS, youngGenerationBounded } from "../../src/heap.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

describe("youngGenerationBounded", () => {
  it.each([
    [[], undefined, false],
    [["--max-semi-space-size=16"], undefined, true],
    [["--max_semi_space_size=8"], undefined, true],
    [["--max-semi-space-size", "16"], undefined, true],
    [[], "--max-semi-space-size=16 --max-old-space-size=256", true],
    [["--max-old-space-size=256"], undefined, false],
    [["--max-semi-space-size=0"], undefined, false],
    [["--max-semi-space-size="], undefined, false],
    [["--max-semi-space-size=16", "--max-semi-space-size=0"], undefined, false],
    [["--max-semi-space-size=0"], "--max-semi-space-size=16", false],
    [["--max-semi-space-size-x=16"], undefined, false],
  ] as const)("%j with NODE_OPTIONS %j: %s", (execArgv, nodeOptions, bounded) => {
    expect(youngGenerationBounded(execArgv, nodeOptions)).toBe(bounded);
  });
});

describe("the heap bound's flags", () => {
  it("are the worker's bound: a young generation of three semi-spaces", () => {
    expect(HEAP_FLAGS).toEqual([
      `--max-semi-space-size=${HEAP.youngGenerationMb / 3}`,
      `--max-old-space-size=${HEAP.oldGenerationMb}`,
    ]);
    expect(Number.isInteger(HEAP.youngGenerationMb / 3)).toBe(true);
  });

  it("are on the bin's first line and in both of the Dockerfile's ways to start it", () => {
    expect(read("src/main.ts").split("\n", 1)[0]).toBe(`#!/usr/bin/env -S node ${HEAP_FLAGS.join(" ")}`);
    const dockerfile = read("Dockerfile");
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1] ?? "[]";
    expect(JSON.parse(entrypoint)).toEqual([
      "/usr/bin/tini",
      "--",
      "node",
      ...HEAP_FLAGS,
      "/airbyte/integration_code/dist/main.js",
    ]);
    expect(dockerfile).toContain(
      `ENV AIRBYTE_ENTRYPOINT="node ${HEAP_FLAGS.join(" ")} /airbyte/integration_code/dist/main.js"`,
    );
  });
});
