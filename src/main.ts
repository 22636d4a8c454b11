#!/usr/bin/env node
// The bin entry: nothing but "run the CLI with the real process streams".
import { runCli } from "./cli.js";

const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
process.exitCode = code;
// Everything is flushed by now. If a stray handle (a socket still closing) would keep the process alive, do not
// let it hold the platform's sync open: exit anyway shortly after. The timer itself does not keep the loop alive.
setTimeout(() => process.exit(code), 2_000).unref();
