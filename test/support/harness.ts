/**
 * The integration suite's one harness: a sandbox (one per test, or one per file), a real S3-compatible store
 * (s3rver) per file, config files for the built CLI pointing at them, and a `write` run that answers the CLI's
 * result with the rejected records stored for it.
 *
 * `useSandbox()` and `useS3()` are called at a file's (or a describe's) top level: they register the hooks that
 * start and close what they answer. What they answer stands for the current instance, so tests use it as they
 * would the instance itself (`sandbox.url`, `sandbox.store`, `s3.jsonLines(prefix)`), and a test that touches it
 * outside a test or hook fails saying so.
 */
import { readFile } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "./sandbox.js";
import { type CliResult, runCli, writeTempJson } from "./cli.js";
import { tempPath } from "./process.js";
import { s3StorageConfig, startS3, type TestS3 } from "./s3.js";

/** The sandbox's built-in private app token, which has every scope. */
export const TOKEN = "sandbox-private-app-token";

/** The sandbox's built-in OAuth app and refresh token. */
export const OAUTH = {
  client_id: "sandbox-client-id",
  client_secret: "sandbox-client-secret",
  refresh_token: "sandbox-refresh-token",
} as const;

/**
 * An object that forwards every property to what `current()` answers at the time of use: the instance a hook
 * started for the running test or file.
 */
function standIn<T extends object>(what: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_target, property) {
      const instance = current();
      if (!instance) throw new Error(`${what} is not running here: use it inside a test or a hook`);
      const value: unknown = Reflect.get(instance, property, instance);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(instance) : value;
    },
    has: (_target, property) => property in (current() ?? {}),
  });
}

/** A real S3 store for the file's tests: started before the first, closed after the last. */
export function useS3(): TestS3 {
  let s3: TestS3 | undefined;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(async () => {
    await s3?.close();
    s3 = undefined;
  });
  return standIn("The S3 store", () => s3);
}

export interface UseSandboxOptions {
  /** A sandbox for each test (the default) or one for the whole file. */
  per?: "test" | "file";
}

/**
 * A sandbox started before each test (or once for the file) and closed after it. `options` may be a function, read
 * at each start, for files whose tests set up their sandbox differently.
 */
export function useSandbox(
  options: SandboxOptions | (() => SandboxOptions) = {},
  { per = "test" }: UseSandboxOptions = {},
): Sandbox {
  let sandbox: Sandbox | undefined;
  const start = async () => {
    sandbox = await startSandbox(typeof options === "function" ? options() : options);
  };
  const close = async () => {
    await sandbox?.close();
    sandbox = undefined;
  };
  if (per === "file") {
    beforeAll(start);
    afterAll(close);
  } else {
    beforeEach(start);
    afterEach(close);
  }
  return standIn("The sandbox", () => sandbox);
}

/**
 * For files whose tests each start their sandbox with options of their own (faults, limits): answers `start`,
 * whose sandboxes are closed after the test that started them.
 */
export function useSandboxes(): (options?: SandboxOptions) => Promise<Sandbox> {
  const started: Sandbox[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sandbox) => sandbox.close()));
  });
  return async (options = {}) => {
    const sandbox = await startSandbox(options);
    started.push(sandbox);
    return sandbox;
  };
}

/** A sandbox of its own for one part of a test, closed when `run` ends however it ends. */
export async function withSandbox<T>(
  options: SandboxOptions,
  run: (sandbox: Sandbox) => Promise<T>,
): Promise<T> {
  const sandbox = await startSandbox(options);
  try {
    return await run(sandbox);
  } finally {
    await sandbox.close();
  }
}

/**
 * Records made straight in the sandbox's store, for what a test takes as given (HubSpot already holds them), so
 * that set-up costs no run of the CLI. Answers their ids, in order. The ledger counts them as created.
 */
export function createRecords(
  sandbox: Sandbox,
  objectType: string,
  records: readonly Record<string, string>[],
): string[] {
  const state = sandbox.store.resolve(objectType);
  if (!state) throw new Error(`The sandbox has no ${objectType}`);
  return records.map((properties) => sandbox.store.create(state, properties).id);
}

/** A key prefix no other run of the file uses, for the rejected records of one run. */
export const freshPrefix = (name = "run") =>
  `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

export interface ConfigOptions {
  /** Rejected records go to this store, under `prefix` (a fresh one by default). */
  s3?: TestS3;
  prefix?: string;
  /** @default TOKEN */
  token?: string;
}

/** A config for the sandbox (private app token), with rejects in `s3` when given; `extra` keys win. */
export async function configFor(
  sandbox: Pick<Sandbox, "url">,
  extra: Record<string, unknown> = {},
  options: ConfigOptions = {},
): Promise<{ path: string; prefix: string | undefined }> {
  const prefix = options.s3 ? (options.prefix ?? freshPrefix()) : undefined;
  const path = await writeTempJson({
    credentials: { type: "Private App", access_token: options.token ?? TOKEN },
    api_base_url: sandbox.url,
    ...(options.s3 && prefix
      ? { object_storage_config: s3StorageConfig(options.s3, { bucket_path: prefix }) }
      : {}),
    ...extra,
  });
  return { path, prefix };
}

/** A rejected record as the store holds it: what the source sent and why it was refused. */
export interface StoredReject {
  _airbyte_raw_id: string;
  _airbyte_data: Record<string, unknown>;
  _airbyte_generation_id: number | null;
  _rejection: {
    code: string;
    field: string | null;
    message: string;
    stream: string;
    object: string | null;
    http_status: number | null;
    line_number: number | null;
  };
}

export interface WriteInput extends ConfigOptions {
  /**
   * Keep rejected records in a local file (`--rejects`) and read them back from it: for tests that only look at
   * what was rejected, where S3 would cost each run the AWS SDK. Tests of the S3 store give `s3` instead.
   */
  rejectsFile?: boolean;
  /** Airbyte mode: the catalog's configured streams. */
  streams?: unknown[];
  /** Raw pipe mode (`--object`): the object to write. */
  object?: string;
  /** The input: lines (a newline is added to each), or stdin as the CLI is to read it. */
  lines?: readonly string[];
  stdin?: string | Buffer | AsyncIterable<string | Buffer>;
  /** Config keys beside the sandbox's URL and token. */
  extra?: Record<string, unknown>;
  /** More command-line arguments (`--receipt FILE`, `--plan FILE`, …). */
  args?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface WriteOutcome extends CliResult {
  config: string;
  /** The rejected records stored for this run (always empty without `s3` or `rejectsFile`). */
  rejects: StoredReject[];
  prefix: string | undefined;
}

/** Runs `write` on the sandbox (with a catalog of `streams`, or `--object`) and reads back its rejects. */
export async function runWrite(sandbox: Pick<Sandbox, "url">, input: WriteInput): Promise<WriteOutcome> {
  const { path: config, prefix } = await configFor(sandbox, input.extra, input);
  const mode =
    input.object !== undefined
      ? ["--object", input.object]
      : ["--catalog", await writeTempJson({ streams: input.streams ?? [] })];
  const stdin = input.stdin ?? (input.lines ? `${input.lines.join("\n")}\n` : "");
  const file = input.rejectsFile ? await tempPath("rejects.jsonl") : undefined;
  const args = [...mode, ...(file ? ["--rejects", file] : []), ...(input.args ?? [])];
  const result = await runCli(["write", "--config", config, ...args], {
    stdin,
    ...(input.env ? { env: input.env } : {}),
    ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
  });
  const rejects = file
    ? await readRejectsFile(file)
    : input.s3 && prefix
      ? ((await input.s3.jsonLines(prefix)) as unknown as StoredReject[])
      : [];
  return { ...result, config, rejects, prefix };
}

/** The rows of a `--rejects` file (none when the run never opened it). */
export async function readRejectsFile(path: string): Promise<StoredReject[]> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as StoredReject);
}

/** The TRACE ERROR a run ended with, if any. */
export const traceError = (result: Pick<CliResult, "messages">) =>
  result.messages.find((message) => message.trace?.type === "ERROR")?.trace?.error;
