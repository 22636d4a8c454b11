/**
 * The built CLI as a live child process the test can drive while it runs: feed stdin, watch stdout and stderr,
 * send signals, close its stdout or stderr early. Every wait is bounded; a child still alive at its deadline is
 * killed and the test fails.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binNodeFlags, cliEnv, MAIN, type EmittedMessage, parseMessages } from "./cli.js";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** When the process exited (Date.now()). */
  at: number;
}

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** The complete stdout lines so far, validated as Airbyte messages. */
  messages(): EmittedMessage[];
  /** Resolves once `predicate` holds (checked on each output chunk and every 20 ms); rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Writes lines to stdin, waiting for the child to take them; stops quietly once the child is gone. */
  feed(lines: Iterable<string>): Promise<void>;
  exited: Promise<Exit>;
}

export function spawnCli(
  args: string[],
  options: {
    env?: Record<string, string>;
    deadlineMs?: number;
    node?: string;
    /** Node flags before dist/main.js. @default binNodeFlags() */
    nodeFlags?: readonly string[];
  } = {},
): CliProcess {
  const child = spawn(
    options.node ?? process.execPath,
    [...(options.nodeFlags ?? binNodeFlags()), MAIN, ...args],
    {
      env: cliEnv(options.env),
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  const poke = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    poke();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    poke();
  });
  // The child may exit, or stop reading, while the test still feeds it, and the test may close these early.
  child.stdin.on("error", () => undefined);
  child.stdout.on("error", () => undefined);
  child.stderr.on("error", () => undefined);
  const deadline = setTimeout(() => child.kill("SIGKILL"), options.deadlineMs ?? 60_000);
  let gone = false;
  // Resolved at 'close' (all output read), with the time of 'exit' (when the process ended).
  let exitedAt = 0;
  child.on("exit", () => {
    exitedAt = Date.now();
    gone = true;
    poke();
  });
  const exited = new Promise<Exit>((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(deadline);
      resolve({ code, signal, at: exitedAt || Date.now() });
    });
  });

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    messages: () => parseMessages(stdout.slice(0, stdout.lastIndexOf("\n") + 1)),
    exited,
    waitFor(predicate, what, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate()) finish(resolve);
          else if (gone) finish(() => reject(new Error(`the CLI exited before ${what}. stderr:\n${stderr}`)));
        };
        const finish = (then: () => void) => {
          waiters.delete(check);
          clearInterval(poll);
          clearTimeout(timer);
          then();
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`timed out waiting for ${what}. stderr:\n${stderr}`))),
          timeoutMs,
        );
        const poll = setInterval(check, 20);
        waiters.add(check);
        check();
      });
    },
    async feed(lines) {
      for (const line of lines) {
        if (gone || child.stdin.destroyed) return;
        if (!child.stdin.write(`${line}\n`)) {
          await Promise.race([
            new Promise((resolve) => child.stdin.once("drain", resolve)),
            exited,
            new Promise((resolve) => child.stdin.once("close", resolve)),
          ]);
        }
      }
      if (!gone) child.stdin.end();
    },
  };
}

/** Contact records p0@x.co, p1@x.co, …; every `badEvery`th one has an invalid email (rejected). */
export function* contactLines(count: number, badEvery = 10): Generator<string> {
  for (let index = 0; index < count; index += 1) {
    const bad = badEvery > 0 && index % badEvery === badEvery - 1;
    yield JSON.stringify({ email: bad ? `bad-${index}` : `p${index}@x.co`, firstname: `P${index}` });
  }
}

/** Reads "rejected N" and "written N" from a raw-mode summary on stderr. */
export function summaryCounts(stderr: string): { read: number; written: number; rejected: number } {
  const match = /Read (\d+) records?: written (\d+)(?: \([^)]*\))?, rejected (\d+)/.exec(stderr);
  if (!match) throw new Error(`no summary on stderr:\n${stderr}`);
  return { read: Number(match[1]), written: Number(match[2]), rejected: Number(match[3]) };
}

/** A path in a fresh temporary folder, for a file the CLI is to create. */
export async function tempPath(name: string): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "dest-hubspot-test-")), name);
}
