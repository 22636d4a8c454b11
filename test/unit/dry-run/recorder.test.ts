import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { StageRecord, WriteEffect, WriteTarget } from "../../../src/contract.js";
import { openPlanFile } from "../../../src/dry-run/index.js";
import { PlanRecorder } from "../../../src/dry-run/recorder.js";
import { tempPath } from "../../support/process.js";
import { LIST_TARGET } from "../../../src/targets/list/target.js";

const audience: WriteTarget = {
  key: "audience",
  streamName: "audience",
  namespace: undefined,
  objectName: "list:Newsletter",
  objectType: "0-1",
  mode: "add",
  idProperty: "email",
  ...LIST_TARGET,
};

const record = (key: string, effect: WriteEffect, lineNumber: number): StageRecord => ({
  target: audience,
  key,
  data: { email: key },
  properties: {},
  effect,
  lineNumber,
});

describe("the plan recorder", () => {
  it("gives list members add, remove and unchanged, keeps a record's actions on its line, and counts both", async () => {
    const path = await tempPath("plan.jsonl");
    const recorder = new PlanRecorder(await openPlanFile(path), () => new Map());
    const settled: string[] = [];
    const take = (one: StageRecord) => recorder.take(one, () => settled.push(one.key));
    take(record("a@x.co", "added", 1));
    take(record("b@x.co", "already-member", 2));
    take(record("c@x.co", "removed", 3));
    take(record("d@x.co", "not-member", 4));
    recorder.recordWritten(
      record("e@x.co", "added", 5),
      "added",
      { verdicts: [{ verdict: "create", about: "CONTACT e@x.co" }] },
      () => settled.push("e@x.co"),
    );
    await recorder.complete({});
    const lines = (await readFile(path, "utf8"))
      .trim()
      .split("\n")
      .map((text) => JSON.parse(text));
    expect(lines.slice(0, -1).map((line) => [line.key, line.verdict, line.actions ?? null])).toEqual([
      ["a@x.co", "add", null],
      ["b@x.co", "unchanged", null],
      ["c@x.co", "remove", null],
      ["d@x.co", "unchanged", null],
      ["e@x.co", "add", [{ verdict: "create", about: "CONTACT e@x.co" }]],
    ]);
    expect(settled).toHaveLength(5);
    const tally = recorder.tallies.get("audience");
    expect(Object.fromEntries(tally?.verdicts ?? [])).toEqual({ add: 2, unchanged: 2, remove: 1 });
    expect(Object.fromEntries(tally?.actions ?? [])).toEqual({ create: 1 });
  });
});
