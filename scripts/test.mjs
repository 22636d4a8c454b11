// npm test: the build (npm run build:emit) and the tests (vitest run, with npm test's own arguments) in the
// foreground, and beside them the static checks, npm run typecheck then npm run lint. The tests keep the two cores
// busy only part of the time (they wait on the CLI processes they start, on sockets and on timers), so the checks run
// in that idle time instead of before the tests. Their output is held and printed after the tests', so it does not
// interleave; npm test fails when any step fails.
import { spawn } from "node:child_process";
import { resolve } from "node:path";

// Node's compile cache for every process the suite starts: the vitest workers load vitest, vite and the test
// support's packages each, and the tests start the built CLI about 350 times; compiled once, the code is read back
// from node_modules/.cache/ (https://nodejs.org/api/module.html#module-compile-cache). An explicit
// NODE_COMPILE_CACHE is kept.
process.env.NODE_COMPILE_CACHE ??= resolve("node_modules/.cache/node-compile-cache");

/** Runs a command to its end; `inherit` prints its output as it comes, else it is held and returned. */
function run(command, args, inherit) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: inherit ? "inherit" : ["ignore", "pipe", "pipe"] });
    const output = [];
    child.stdout?.on("data", (chunk) => output.push(chunk));
    child.stderr?.on("data", (chunk) => output.push(chunk));
    child.on("error", (error) => resolve({ code: 1, output: `${error.message}\n` }));
    child.on("close", (code, signal) =>
      resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(output) }),
    );
  });
}

async function checks() {
  const results = [];
  for (const script of ["typecheck", "lint"]) {
    const result = await run("npm", ["run", "-s", script], false);
    results.push({ script, ...result });
  }
  return results;
}

const checking = checks();
const built = await run("npm", ["run", "-s", "build:emit"], true);
const tested = built.code === 0 ? await run("vitest", ["run", ...process.argv.slice(2)], true) : built;

let failed = tested.code !== 0;
for (const { script, code, output } of await checking) {
  if (output.length > 0) process.stdout.write(`\n> npm run ${script}\n${output}`);
  if (code !== 0) {
    process.stdout.write(`npm run ${script} failed (exit ${code})\n`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
