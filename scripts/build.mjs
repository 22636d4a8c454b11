// npm run build:emit (and the last step of npm run build): bundles src/ into dist/ with esbuild.
//
// Why a bundle rather than tsc's one file per module: every start of the CLI loaded about 310 ES modules (resolving,
// reading and compiling each) and every zod locale, where a bundle is a handful of files with the unused parts of
// its dependencies left out. Measured on this 2-core machine, a one-record `write` against the sandbox (20 runs
// each, interleaved): 0.67 s of CPU with tsc's output, 0.56 s bundled. The test suite starts the CLI ~350 times.
// Type checking stays with tsc (npm run typecheck; npm run build runs it first).
//
// The entry points keep the paths tsc gave them, which the bin, the Docker image, the benchmarks and the scripts
// use: dist/main.js (the bin), dist/cli-worker.js (which main.js starts by its URL), dist/sandbox/server.js and
// dist/config/spec.js. Shared code and what is loaded on demand go to dist/chunks/.
// The AWS SDK stays external: it is loaded only for an S3 rejects store, from node_modules as before.
import { chmodSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { build } from "esbuild";

const ENTRY_POINTS = ["src/main.ts", "src/cli-worker.ts", "src/sandbox/server.ts", "src/config/spec.ts"];

// Node's builtins as plain objects (`process.getBuiltinModule`), not as ES modules. An ES module of a builtin is a
// facade that reads every property of the module when it is linked, and some are lazy getters with effects:
// `node:process`'s stdin and stdout open fds 0 and 1 as Node streams, `node:util`'s and `node:http`'s reach
// `process.stderr`. A stdio stream opened that way on a pipe makes the pipe non-blocking, and the CLI's own reads
// and writes of fds 0–2 (src/fd-streams.ts) then meet EAGAIN. Linking `node:http` that way also cost ~30 ms a start.
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const PLAIN_BUILTINS = {
  name: "plain-builtins",
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/]+$/ }, ({ path }) =>
      BUILTINS.has(path) ? { path: path.replace(/^(node:)?/, "node:"), namespace: "builtin" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "builtin" }, ({ path }) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(path)});`,
      loader: "js",
    }));
  },
};

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: ENTRY_POINTS,
  outdir: "dist",
  outbase: "src",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node24",
  packages: "bundle",
  external: ["@aws-sdk/*"],
  chunkNames: "chunks/[name]-[hash]",
  // Maps name the files under src/; the sources themselves (zod's, ajv's and commander's among them) stay out.
  sourcemap: true,
  sourcesContent: false,
  logLevel: "warning",
  plugins: [PLAIN_BUILTINS],
});
chmodSync("dist/main.js", 0o755);
