/**
 * The CLI as it runs inside the worker thread `main.ts` starts (see there for why). The worker reads and writes the
 * process's own file descriptors directly, so nothing is copied through the main thread; signals reach it as
 * messages (a worker gets no signals of its own), and an exit is told to the main thread, which ends the process.
 */
import { EventEmitter } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { isatty } from "node:tty";
import { parentPort } from "node:worker_threads";
import { runCli } from "./cli.js";
import type { WorkerMessage } from "./worker-messages.js";

const port = parentPort;
if (!port) throw new Error("cli-worker.ts runs only as the worker main.ts starts.");

const signals = new EventEmitter();
port.on("message", (message: WorkerMessage) => {
  if (message.kind === "signal") signals.emit(message.signal);
});
// The port must not keep the worker alive once the CLI is done.
port.unref();

/** A file-descriptor stream that says whether it is a terminal, as process.stdin/stderr would. */
function stream<T extends object>(made: T, fd: number): T {
  return Object.assign(made, { isTTY: isatty(fd) });
}

const stdout = stream(createWriteStream("", { fd: 1, autoClose: false }), 1);
const stderr = stream(createWriteStream("", { fd: 2, autoClose: false }), 2);
const stdin = stream(createReadStream("", { fd: 0, autoClose: false, highWaterMark: 64 * 1024 }), 0);

/** Resolves once what was written to `out` before now has reached the OS (writes finish in order), or after 1 s. */
const flushed = (out: NodeJS.WritableStream) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1000);
    out.write("", () => {
      clearTimeout(timer);
      resolve();
    });
  });
// A forced exit ends the process from the main thread: what the worker wrote last (the summary saying why) must
// have left its asynchronous file streams first, or it is lost with them.
const exitNow = (code: number) => {
  void Promise.all([flushed(stdout), flushed(stderr)]).then(() =>
    port.postMessage({ kind: "exit-now", code } satisfies WorkerMessage),
  );
};
const code = await runCli(process.argv.slice(2), { stdin, stdout, stderr, signals, exit: exitNow });
// Hand everything written to the OS before the process ends.
await new Promise<void>((resolve) => stdout.end(() => resolve()));
await new Promise<void>((resolve) => stderr.end(() => resolve()));
port.postMessage({ kind: "done", code } satisfies WorkerMessage);
