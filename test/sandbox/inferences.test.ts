import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { INFERENCES } from "../../src/sandbox/server.js";

const DOCS = readFileSync(new URL("../../docs/sandbox.md", import.meta.url), "utf8");

describe("the choices the sandbox made where HubSpot is silent", () => {
  it("are each listed in docs/sandbox.md, with their choice", () => {
    const page = DOCS.replace(/\n {2}/g, " ");
    const missing = INFERENCES.filter(({ topic, choice }) => !page.includes(`- ${topic}: ${choice}.`)).map(
      ({ topic }) => topic,
    );
    expect(missing).toEqual([]);
  });

  it("each say what they rest on", () => {
    expect(INFERENCES.filter(({ evidence }) => evidence.length < 20).map(({ topic }) => topic)).toEqual([]);
  });
});
