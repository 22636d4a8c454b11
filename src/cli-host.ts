/**
 * The CLI on the process's own file descriptors, wherever it runs: in the worker thread `main.ts` starts
 * (cli-worker.ts) or in the main thread when Node was started with the heap bound (launch.ts). It reads and writes
 * fds 0–2 directly (fd-streams.ts), so nothing is copied between threads; signals come as events on `signals`,
 * and how the run ends is told through `tell`, which ends the process.
 */
import type { EventEmitter } from "node:events";
import { runCli } from "./cli.js";
import { fdReader, fdWriter } from "./fd-streams.js";
import type { EndMessage } from "./worker-messages.js";

/** Resolves once what was written to `out` before now has reached the OS (writes finish in order), or after 1 s. */
const flushed = (out: NodeJS.WritableStream) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1000);
    out.write("", () => {
      clearTimeout(timer);
      resolve();
    });
  });

export async function hostCli(
  argv: string[],
  signals: EventEmitter,
  tell: (message: EndMessage) => void,
): Promise<void> {
  const stdout = fdWriter(1);
  const stderr = fdWriter(2);
  const stdin = fdReader(0);
  // A forced exit ends the process: what was written last (the summary saying why) must have left the
  // asynchronous file streams first, or it is lost with them.
  const exitNow = (code: number) => {
    void Promise.all([flushed(stdout), flushed(stderr)]).then(() => tell({ kind: "exit-now", code }));
  };
  const code = await runCli(argv, { stdin, stdout, stderr, signals, exit: exitNow });
  // Hand everything written to the OS before the process ends.
  await new Promise<void>((resolve) => stdout.end(() => resolve()));
  await new Promise<void>((resolve) => stderr.end(() => resolve()));
  tell({ kind: "done", code });
}
