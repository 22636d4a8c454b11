/**
 * The CLI as it runs inside the worker thread `main.ts` starts when Node was not given the heap bound (see
 * heap.ts). Signals reach it as messages (a worker gets no signals of its own), and how it ends is told to the main
 * thread, which ends the process.
 */
import { EventEmitter } from "node:events";
import { parentPort } from "node:worker_threads";
import { hostCli } from "./cli-host.js";
import type { WorkerMessage } from "./worker-messages.js";

const port = parentPort;
if (!port) throw new Error("cli-worker.ts runs only as the worker main.ts starts.");

const signals = new EventEmitter();
port.on("message", (message: WorkerMessage) => {
  if (message.kind === "signal") signals.emit(message.signal);
});
// The port must not keep the worker alive once the CLI is done.
port.unref();

await hostCli(process.argv.slice(2), signals, (message) => port.postMessage(message));
