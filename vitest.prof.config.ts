import { defineConfig } from "vitest/config";
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ["test/support/global-setup.ts"],
    pool: "forks",
    maxWorkers: 4,
    include: ["test/**/*.test.ts"],
    exclude: ["test/unit/**/*.test.ts", "test/sandbox/**/*.test.ts"],
    isolate: false,
    setupFiles: ["test/support/protocol-setup.ts", "test/support/sandbox-setup.ts", "/tmp/prof-setup.ts"],
  },
});
