// Shared parts of the benchmarks: the sandbox, the built CLI as a separate process, and input generators.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const TOKEN = "sandbox-private-app-token";
export const MAIN = join(ROOT, "dist/main.js");
/**
 * The Node flags of the bin's first line (`#!/usr/bin/env -S node --max-semi-space-size=16 …`), which the Docker
 * entrypoint gives too: the heap bound, with which the CLI runs in the main thread (src/heap.ts).
 */
export const BIN_FLAGS = readFileSync(MAIN, "utf8")
  .split("\n", 1)[0]
  .replace(/^#!\/usr\/bin\/env -S node/, "")
  .split(" ")
  .filter(Boolean);
/**
 * Node flags for the CLI under test: the bin's, as the Docker image starts it (`node <flags> dist/main.js`);
 * CHILD_NODE_FLAGS adds some for experiments.
 */
export const NODE_FLAGS = [...BIN_FLAGS, ...(process.env.CHILD_NODE_FLAGS ?? "").split(" ").filter(Boolean)];

export async function tempJson(value) {
  const dir = await mkdtemp(join(tmpdir(), "hubspot-bench-"));
  const path = join(dir, "file.json");
  await writeFile(path, JSON.stringify(value));
  return path;
}

export const contactStream = (name = "people") => ({
  stream: { name, json_schema: {}, supported_sync_modes: ["full_refresh"] },
  sync_mode: "full_refresh",
  destination_sync_mode: "append_dedup",
  destination_object_name: "CONTACT",
  primary_key: [["email"]],
});

export const eventStream = (name, objectName) => ({
  stream: { name, json_schema: {}, supported_sync_modes: ["incremental"] },
  sync_mode: "incremental",
  destination_sync_mode: "append",
  destination_object_name: objectName,
});

/** Airbyte RECORD lines for `count` contacts, with a STATE every `stateEvery` records. */
export function* contactLines(count, { stateEvery = 10_000, stream = "people" } = {}) {
  for (let i = 0; i < count; i += 1) {
    yield `{"type":"RECORD","record":{"stream":"${stream}","emitted_at":1,"data":{"email":"person${i}@example.com","firstname":"Person","lastname":"Number ${i}","lifecyclestage":"lead"}}}\n`;
    if ((i + 1) % stateEvery === 0 || i + 1 === count) {
      yield `{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"${stream}"},"stream_state":{"upTo":${i + 1}}}}}\n`;
    }
  }
}

/**
 * Runs `node <bin flags> dist/main.js …` with generated stdin (a sync or async iterable) (backpressure respected), counting stdout lines instead of keeping
 * them. Resolves with the exit code, the wall time, and the process's own CPU time and peak RSS.
 */
export function runCli(args, lines, { onLine, launcher, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // `launcher`: a command that starts the script (e.g. `node` without flags); [] runs the script itself, by its
    // #! line, as the installed bin is run.
    const [command, ...prefix] = launcher ?? [process.execPath, ...NODE_FLAGS];
    const child = spawn(command ?? MAIN, command === undefined ? args : [...prefix, MAIN, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, DESTINATION_HUBSPOT_REPORT_USAGE: "1" },
      ...(cwd ? { cwd } : {}),
    });
    let stderr = "";
    let pending = "";
    const counts = { STATE: 0, LOG: 0, TRACE: 0 };
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      pending += chunk;
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        const type = /"type":"([A-Z_]+)"/.exec(line)?.[1];
        if (type in counts) counts[type] += 1;
        onLine?.(line);
        newline = pending.indexOf("\n");
      }
    });
    child.stderr.on("data", (chunk) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    child.on("error", reject);
    child.stdin.on("error", () => {});
    child.on("close", (code) => {
      const usage = JSON.parse(/usage (\{.*\})/.exec(stderr)?.[1] ?? "{}");
      resolve({ code, seconds: (performance.now() - started) / 1000, usage, counts, stderr });
    });
    (async () => {
      // Sync or async iterables alike: a paced generator (the latency benchmark) or a bulk one.
      for await (const line of lines) {
        if (!child.stdin.write(line)) await new Promise((done) => child.stdin.once("drain", done));
      }
      child.stdin.end();
    })().catch(reject);
  });
}

export const percentile = (sorted, share) =>
  sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
export const round = (value, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;
