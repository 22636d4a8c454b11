import { defineConfig } from "vitest/config";

/** Unit and sandbox tests: pure code and in-process servers, no state shared through globals. */
const IN_PROCESS = ["test/unit/**/*.test.ts", "test/sandbox/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Says once per run, not once per file, when messages go unvalidated (no protocol schema on this machine).
    globalSetup: ["test/support/global-setup.ts"],
    // Integration tests spawn processes and servers; two cores do not gain from more forks.
    pool: "forks",
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // One worker's module graph serves every file: starting a fresh worker per file cost about 0.8 s each,
        // four times the tests themselves.
        test: { name: "unit", include: IN_PROCESS, isolate: false },
      },
      {
        extends: true,
        // Each file in a fresh worker: support modules keep per-file state at module level (started servers, hooks
        // registered on import), which a shared module graph would carry from one file into the next.
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: IN_PROCESS,
          // The protocol validator the global setup compiled once, instead of a compile per file.
          setupFiles: ["test/support/protocol-setup.ts"],
        },
      },
    ],
  },
});
