import { defineConfig } from "vitest/config";

/** Unit and sandbox tests: pure code and in-process servers, no state shared through globals. */
const IN_PROCESS = ["test/unit/**/*.test.ts", "test/sandbox/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Says once per run, not once per file, when messages go unvalidated (no protocol schema on this machine).
    globalSetup: ["test/support/global-setup.ts"],
    // Integration tests spawn processes and servers and spend most of their time waiting on them: with two forks
    // the suite kept about 1.1 of the two cores busy (npm test 5:55 of wall for 392 s of CPU); with four, 1.96
    // (3:27 for 406 s; vitest 199 s from 339 s, all tests passing).
    pool: "forks",
    maxWorkers: 4,
    projects: [
      {
        extends: true,
        // One worker's module graph serves every file: starting a fresh worker per file cost about 0.8 s each,
        // four times the tests themselves.
        // The sandbox schema checks' hooks are registered by each file's setup, as the module is imported once.
        test: {
          name: "unit",
          include: IN_PROCESS,
          isolate: false,
          setupFiles: ["test/support/sandbox-setup.ts"],
        },
      },
      {
        extends: true,
        // One worker's module graph serves every file here too: a fresh worker per file cost about 0.8 s of CPU
        // each (starting it, importing the sandbox and the harness again, reading HubSpot's OpenAPI files and
        // compiling their validators again). Support modules keep no per-file state on import: what they keep
        // for a file is reset by the file's setup, which also registers the file's hooks.
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: IN_PROCESS,
          isolate: false,
          // The protocol validator the global setup compiled (instead of a compile per file), and the sandbox
          // schema checks' hooks for each file.
          setupFiles: ["test/support/protocol-setup.ts", "test/support/sandbox-setup.ts"],
        },
      },
    ],
  },
});
