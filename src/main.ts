#!/usr/bin/env -S node --max-semi-space-size=16 --max-old-space-size=256
// The bin entry: check the Node version, then run the CLI with its heap bounded (heap.ts). The first line starts
// Node with the bound (`env -S` splits the flags; HEAP_FLAGS, checked by a unit test), so the CLI runs in this
// thread; started any other way without the bound (`node dist/main.js`), it runs in a worker thread given it.
import { nodeVersionProblem } from "./node-version.js";
import { youngGenerationBounded } from "./heap.js";

const tooOld = nodeVersionProblem(process.version);
if (tooOld !== undefined) {
  // Before anything else is loaded: an older Node would fail later with a stack trace.
  process.stderr.write(`error: ${tooOld}\n`);
  process.exit(1);
}

const argv = process.argv.slice(2);
const { runInThisThread, runInWorker } = await import("./launch.js");
if (youngGenerationBounded(process.execArgv, process.env.NODE_OPTIONS)) await runInThisThread(argv);
else runInWorker(new URL("./cli-worker.js", import.meta.url), argv);
