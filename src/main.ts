#!/usr/bin/env -S node --max-semi-space-size=2 --max-old-space-size=256
// The V8 flags keep memory flat (peak RSS ~140 MB at 1M records instead of ~340 MB): a small young generation and a
// bounded old one make V8 collect the write loop's short-lived garbage early. The Dockerfile passes the same flags.
// The bin entry: nothing but "check the Node version, then run the CLI with the real process streams".
import { nodeVersionProblem } from "./node-version.js";

const tooOld = nodeVersionProblem(process.version);
if (tooOld !== undefined) {
  // Before anything else is loaded: undici dies at import time under an old Node, with a stack trace.
  process.stderr.write(`error: ${tooOld}\n`);
  process.exit(1);
}

const { runCli } = await import("./cli.js");
const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signals: process,
  exit: (exitCode) => process.exit(exitCode),
});
process.exitCode = code;
// For the benchmarks: the process's own CPU time and peak memory, on stderr (never stdout) when asked for.
if (process.env.DESTINATION_HUBSPOT_REPORT_USAGE === "1") {
  const usage = process.resourceUsage();
  process.stderr.write(
    `usage ${JSON.stringify({ userCpuMs: usage.userCPUTime / 1000, systemCpuMs: usage.systemCPUTime / 1000, maxRssKb: usage.maxRSS })}\n`,
  );
}
// Nothing reads stdin any more: a read left pending by a stopped run (a signal, a closed stdout) must not keep the
// process alive.
process.stdin.destroy();
// Everything is flushed by now. If a stray handle (a socket still closing) would keep the process alive, do not
// let it hold the platform's sync open: exit anyway shortly after. The timer itself does not keep the loop alive.
setTimeout(() => process.exit(code), 2_000).unref();
