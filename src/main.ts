#!/usr/bin/env node
// The bin entry: check the Node version, then run the CLI in a worker thread whose heap is bounded.
//
// Why a worker: V8 sizes its young generation from the machine's memory (up to 128 MB here), and the write loop's
// allocation rate makes it grow to that, so peak RSS reached ~330 MB at 300k records with `node dist/main.js`
// although the live heap stayed near 40 MB. Only the bin and the Docker entrypoint could pass V8 flags to bound it,
// and the flags that did (a 2 MB semi-space) cost a third of the throughput. A worker's `resourceLimits` bound its
// heap however the process was started (`node dist/main.js`, the bin, `npx`, Docker), with a young generation
// sized for throughput. The main thread only starts the worker, forwards signals and ends the process.
import { nodeVersionProblem } from "./node-version.js";

const tooOld = nodeVersionProblem(process.version);
if (tooOld !== undefined) {
  // Before anything else is loaded: undici dies at import time under an old Node, with a stack trace.
  process.stderr.write(`error: ${tooOld}\n`);
  process.exit(1);
}

const { runInWorker } = await import("./launch.js");
runInWorker(new URL("./cli-worker.js", import.meta.url), process.argv.slice(2));
