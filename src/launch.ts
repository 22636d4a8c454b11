/**
 * Starts the CLI in a worker thread with bounded heap (see main.ts), forwards the stop signals to it, and ends the
 * process with the CLI's exit code. Nothing here reads stdin or writes stdout: the worker owns both.
 */
import { Worker } from "node:worker_threads";
import { STOP_SIGNALS, type StopSignal } from "./exit-codes.js";
import type { WorkerMessage } from "./worker-messages.js";

/**
 * The worker's heap, in MB. 48 MB of young generation keeps the write loop's garbage cheap to collect; 256 MB of
 * old generation is ten times what a run keeps alive (records in flight are bounded by count and bytes).
 */
export const WORKER_HEAP = { youngGenerationMb: 48, oldGenerationMb: 256 } as const;

/** `workerFile`: the built cli-worker.js, named by the entry beside it (a bundle puts this module in a chunk). */
export function runInWorker(workerFile: URL, argv: readonly string[]): void {
  const worker = new Worker(workerFile, {
    argv: [...argv],
    resourceLimits: {
      maxYoungGenerationSizeMb: WORKER_HEAP.youngGenerationMb,
      maxOldGenerationSizeMb: WORKER_HEAP.oldGenerationMb,
    },
    // The worker opens fds 0–2 itself: no copy of stdin or stdout passes through this thread.
    stdin: false,
    stdout: false,
    stderr: false,
  });
  let code: number | undefined;
  const end = (exitCode: number) => {
    reportUsage();
    process.exit(exitCode);
  };
  for (const signal of Object.keys(STOP_SIGNALS) as StopSignal[]) {
    process.on(signal, () => worker.postMessage({ kind: "signal", signal } satisfies WorkerMessage));
  }
  worker.on("message", (message: WorkerMessage) => {
    // Done: the worker has handed stdout and stderr to the OS; a read of stdin left pending must not hold the exit.
    if (message.kind === "exit-now" || message.kind === "done") end(message.code);
  });
  worker.on("error", (error) => {
    process.stderr.write(`error: the connector failed unexpectedly: ${error.message}\n`);
    code ??= 1;
  });
  worker.on("exit", (workerCode) => end(code ?? (workerCode === 0 ? 0 : 1)));
}

/** For the benchmarks: the process's own CPU time and peak memory, on stderr (never stdout) when asked for. */
function reportUsage(): void {
  if (process.env.DESTINATION_HUBSPOT_REPORT_USAGE !== "1") return;
  const usage = process.resourceUsage();
  process.stderr.write(
    `usage ${JSON.stringify({ userCpuMs: usage.userCPUTime / 1000, systemCpuMs: usage.systemCPUTime / 1000, maxRssKb: usage.maxRSS })}\n`,
  );
}
