/**
 * Runs the CLI in this thread or in a worker thread with the heap bound (see heap.ts), forwards the stop signals to
 * it, and ends the process with the CLI's exit code. Either way the CLI reads and writes fds 0–2 itself
 * (cli-host.ts): nothing here touches stdin or stdout.
 */
import { EventEmitter } from "node:events";
import { Worker } from "node:worker_threads";
import { HEAP } from "./heap.js";
import { STOP_SIGNALS, type StopSignal } from "./exit-codes.js";
import type { EndMessage, WorkerMessage } from "./worker-messages.js";

const SIGNALS = Object.keys(STOP_SIGNALS) as StopSignal[];

/** Which thread ran the CLI: said in the usage report, for the benchmarks and the tests of how it starts. */
type CliThread = "main" | "worker";

/** Ends the process with the CLI's code. */
function end(exitCode: number, thread: CliThread): never {
  reportUsage(thread);
  process.exit(exitCode);
}

/** The same words for a failure the CLI did not handle, whichever thread it ran in. */
function unexpected(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: the connector failed unexpectedly: ${message}\n`);
}

/**
 * For a process started with the heap bound: the CLI in this thread. Signals are taken here as the worker's main
 * thread takes them (a stop signal never kills the process by default: the CLI decides what it means).
 */
export async function runInThisThread(argv: readonly string[]): Promise<void> {
  const signals = new EventEmitter();
  for (const signal of SIGNALS) process.on(signal, () => signals.emit(signal));
  process.on("uncaughtException", (error) => {
    unexpected(error);
    end(1, "main");
  });
  const { hostCli } = await import("./cli-host.js");
  await hostCli([...argv], signals, (message: EndMessage) => end(message.code, "main"));
}

/** `workerFile`: the built cli-worker.js, named by the entry beside it (a bundle puts this module in a chunk). */
export function runInWorker(workerFile: URL, argv: readonly string[]): void {
  const worker = new Worker(workerFile, {
    argv: [...argv],
    resourceLimits: {
      maxYoungGenerationSizeMb: HEAP.youngGenerationMb,
      maxOldGenerationSizeMb: HEAP.oldGenerationMb,
    },
    // The worker opens fds 0–2 itself: no copy of stdin or stdout passes through this thread.
    stdin: false,
    stdout: false,
    stderr: false,
  });
  let code: number | undefined;
  for (const signal of SIGNALS) {
    process.on(signal, () => worker.postMessage({ kind: "signal", signal } satisfies WorkerMessage));
  }
  worker.on("message", (message: WorkerMessage) => {
    // Done: the worker has handed stdout and stderr to the OS; a read of stdin left pending must not hold the exit.
    if (message.kind === "exit-now" || message.kind === "done") end(message.code, "worker");
  });
  worker.on("error", (error) => {
    unexpected(error);
    code ??= 1;
  });
  worker.on("exit", (workerCode) => end(code ?? (workerCode === 0 ? 0 : 1), "worker"));
}

/** For the benchmarks: the process's own CPU time and peak memory, on stderr (never stdout) when asked for. */
function reportUsage(thread: CliThread): void {
  if (process.env.DESTINATION_HUBSPOT_REPORT_USAGE !== "1") return;
  const usage = process.resourceUsage();
  const report = {
    userCpuMs: usage.userCPUTime / 1000,
    systemCpuMs: usage.systemCPUTime / 1000,
    maxRssKb: usage.maxRSS,
    thread,
  };
  process.stderr.write(`usage ${JSON.stringify(report)}\n`);
}
