/**
 * Runs the built CLI (dist/main.js) as a separate process, as a user or the platform would, and checks that
 * stdout holds nothing but valid Airbyte messages.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { assertAirbyteMessage } from "./protocol-schema.js";

export const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), "../../dist/main.js");

let binFlags: string[] | undefined;
/**
 * The Node flags the bin's first line gives (`#!/usr/bin/env -S node --max-semi-space-size=16 …`), which the
 * Docker entrypoint gives too: the suite starts the CLI as they do, `node <flags> dist/main.js`, so it runs in the
 * main thread. Tests of the other way (`node dist/main.js`, the CLI in a worker thread) pass no flags. Read when
 * first needed: dist/ is built before the tests run.
 */
export function binNodeFlags(): string[] {
  binFlags ??= parseBinFlags(readFileSync(MAIN, "utf8").split("\n", 1)[0] ?? "");
  return binFlags;
}

function parseBinFlags(firstLine: string): string[] {
  const match = /^#!\/usr\/bin\/env -S node((?: --\S+)*)$/.exec(firstLine);
  if (match === null) throw new Error(`dist/main.js does not start with an env -S node line: ${firstLine}`);
  return (match[1] ?? "").split(" ").filter((flag) => flag !== "");
}

/**
 * The environment every CLI run of the suite gets: Node's on-disk cache of compiled modules, so each of the
 * suite's several hundred runs does not compile the CLI's modules again (a tenth of a small run's CPU). The test's
 * own variables, and the caller's, come after it.
 */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_COMPILE_CACHE: join(tmpdir(), "destination-hubspot-test-compile-cache"),
    ...process.env,
    ...extra,
  };
}

/** An Airbyte message as the CLI emits it (already validated against the protocol schema). */
export interface EmittedMessage {
  type: string;
  log?: { level: string; message: string };
  trace?: {
    type: string;
    emitted_at: number;
    error?: { message: string; failure_type?: string; internal_message?: string };
    stream_status?: { stream_descriptor: { name: string; namespace?: string }; status: string };
  };
  state?: Record<string, unknown>;
  connectionStatus?: { status: string; message?: string };
  spec?: { connectionSpecification: Record<string, unknown> } & Record<string, unknown>;
  destination_catalog?: { operations: unknown[] };
}

export interface CliResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Every stdout line, parsed and validated against the protocol schema. */
  messages: EmittedMessage[];
}

export interface RunOptions {
  stdin?: string | Buffer | AsyncIterable<string | Buffer>;
  env?: Record<string, string>;
  /** Kill the process after this long; the run then fails the test. @default 45_000 */
  timeoutMs?: number;
  /** Node flags before dist/main.js. @default binNodeFlags() */
  nodeFlags?: readonly string[];
}

export async function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? binNodeFlags()), MAIN, ...args], {
    env: cliEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  child.stdin.on("error", () => undefined); // the CLI may exit before reading all of stdin
  const timeoutMs = options.timeoutMs ?? 45_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);

  const feeding = feed(child.stdin, options.stdin);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolveExit) =>
    child.on("close", (code, sig) => resolveExit([code, sig])),
  );
  clearTimeout(timer);
  await feeding.catch(() => undefined);
  const out = Buffer.concat(stdout).toString("utf8");
  const err = Buffer.concat(stderr).toString("utf8");
  if (timedOut)
    throw new Error(`destination-hubspot ${args[0]} did not finish in ${timeoutMs} ms. stderr:\n${err}`);
  return { exitCode, signal, stdout: out, stderr: err, messages: parseMessages(out) };
}

async function feed(stdin: NodeJS.WritableStream, input: RunOptions["stdin"]): Promise<void> {
  if (input === undefined) {
    stdin.end();
    return;
  }
  if (typeof input === "string" || Buffer.isBuffer(input)) {
    stdin.end(input);
    return;
  }
  for await (const chunk of input) {
    if (!stdin.write(chunk)) await new Promise((resolveDrain) => stdin.once("drain", resolveDrain));
  }
  stdin.end();
}

export function parseMessages(stdout: string): CliResult["messages"] {
  return stdout
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        throw new Error(`stdout holds a line that is not JSON: ${line.slice(0, 300)}`);
      }
      assertAirbyteMessage(message);
      return message as EmittedMessage;
    });
}

/** Writes a JSON file in a fresh temporary folder and returns its path. */
export async function writeTempJson(value: unknown, name = "file.json"): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "dest-hubspot-test-"));
  const path = join(folder, name);
  await writeFile(path, JSON.stringify(value));
  return path;
}
