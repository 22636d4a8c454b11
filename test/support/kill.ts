/**
 * Crash tests: run the built CLI and kill it with SIGKILL at a chosen point (kill -9, as an OOM killer or a node
 * failure would), then read what it had echoed, to resume from its last STATE as the platform does.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { EmittedMessage } from "./cli.js";
import { type CliProcess, type Exit, spawnCli } from "./process.js";

export interface Killed {
  exit: Exit;
  /** True when the test killed the run; false when it ended by itself first. */
  killed: boolean;
  stdout: string;
  /** The complete stdout lines, validated as Airbyte messages. */
  messages: EmittedMessage[];
}

export interface KillOptions {
  /** What the run reads: all of it at once and stdin closed, or lines fed by `feed` while it runs. */
  stdin?: readonly string[];
  feed?: (cli: CliProcess) => Promise<void>;
  /** Checked every 5 ms and on each output chunk: once it holds, the run is killed. */
  killWhen: (cli: CliProcess) => boolean;
  env?: Record<string, string>;
  /** The run is killed by then whatever happens, and the test fails on what it finds. @default 60_000 */
  deadlineMs?: number;
}

/** Runs `args`, killing the run with SIGKILL once `killWhen` holds, unless it exits first. */
export async function runUntilKilled(args: string[], options: KillOptions): Promise<Killed> {
  const cli = spawnCli(args, {
    ...(options.env ? { env: options.env } : {}),
    deadlineMs: options.deadlineMs ?? 60_000,
  });
  // Feeding stops when the run is gone; a feed that failed otherwise (a wait that timed out) fails the test.
  let feedFailure: unknown;
  const feeding = options.stdin ? cli.feed(options.stdin) : options.feed?.(cli);
  feeding?.catch((error: unknown) => {
    feedFailure = error;
  });
  let killed = false;
  let gone = false;
  void cli.exited.then(() => {
    gone = true;
  });
  while (!gone) {
    if (options.killWhen(cli)) {
      killed = cli.child.kill("SIGKILL");
      break;
    }
    await Promise.race([sleep(5), cli.exited]);
  }
  const exit = await cli.exited;
  if (feedFailure !== undefined && !killed) throw feedFailure;
  const stdout = cli.stdout();
  return { exit, killed, stdout, messages: cli.messages() };
}

/** A `killWhen` that holds `afterMs` after `start` first held (at once, without `start`). */
export function killAfter(afterMs: number, start: () => boolean = () => true): () => boolean {
  let startedAt: number | undefined;
  return () => {
    if (startedAt === undefined && start()) startedAt = Date.now();
    return startedAt !== undefined && Date.now() - startedAt >= afterMs;
  };
}

/** How many STATE messages the run has echoed so far. */
export const statesEchoed = (cli: CliProcess) => (cli.stdout().match(/"type":"STATE"/g) ?? []).length;

/**
 * Resolves once the sandbox has finished every request, a killed run's last one included (the sandbox applies a
 * write whose caller has gone away, as HubSpot does). It first lets the event loop read what the killed run had
 * already sent, then waits, at most 5 s, for no request to be in flight on two checks in a row.
 */
export async function sandboxSettled(sandbox: { stats: { inFlight: number } }): Promise<void> {
  await sleep(20);
  let quiet = 0;
  for (let waited = 0; quiet < 2 && waited < 5_000; waited += 10) {
    quiet = sandbox.stats.inFlight === 0 ? quiet + 1 : 0;
    await sleep(10);
  }
}
