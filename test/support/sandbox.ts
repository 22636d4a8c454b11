/**
 * The sandbox as the integration suite starts it: checking every request against HubSpot's published OpenAPI files
 * (`<repo>/../shared/reference/hubspot-openapi`, or HUBSPOT_OPENAPI_DIR), so that a request the connector sends that
 * breaks its operation's schema fails the test that sent it, loudly, even when the connector copes with the 400.
 *
 * - Where the directory exists (CI has it), a sandbox that cannot read it fails to start: the test fails, it does
 *   not skip. Only on a machine without the files is checking off, with one notice.
 * - After each test, every sandbox it started is asked for schema failures; any is thrown, with the request and the
 *   problems. With SANDBOX_SCHEMA_SUMMARY set to a file, each test file that started one appends how many requests
 *   were checked.
 *
 * The hooks are registered by each test file's setup (sandbox-setup.ts calls `checkSandboxSchemas`), not on
 * import: test files share one module graph per worker (isolate: false), so this module is imported once for many
 * files, and its state is reset for each.
 */
import { appendFileSync } from "node:fs";
import { afterAll, afterEach, expect } from "vitest";
import {
  type Sandbox,
  type SandboxOptions,
  type SchemaFailure,
  startSandbox as startPlainSandbox,
} from "../../src/sandbox/server.js";
import { OPENAPI_DIR } from "./openapi.js";

export { ALL_SCOPES } from "../../src/sandbox/server.js";
export type { FaultRule, Sandbox, SandboxOptions } from "../../src/sandbox/server.js";

/** Every sandbox this test file started, with how many of its failures were already reported. */
const started = new Map<Sandbox, number>();
let noticeShown = false;

/** `startSandbox`, checking requests against HubSpot's schemas whenever the files are there. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  if (!OPENAPI_DIR && !noticeShown) {
    noticeShown = true;
    console.warn("NOTICE: HubSpot's OpenAPI files not found; sandbox requests are NOT checked against them.");
  }
  const sandbox = await startPlainSandbox(OPENAPI_DIR ? { openapiDir: OPENAPI_DIR, ...options } : options);
  started.set(sandbox, 0);
  return sandbox;
}

let testFile: string | undefined;

/** Registers, for the test file being collected, the hooks that fail a test on schema failures and sum them up. */
export function checkSandboxSchemas(): void {
  started.clear();
  testFile = undefined;
  afterEach(failOnSchemaFailures);
  afterAll(writeSummary);
}

function failOnSchemaFailures(): void {
  testFile ??= expect.getState().testPath;
  const failures: SchemaFailure[] = [];
  for (const [sandbox, reported] of started) {
    const found = sandbox.schemas?.failures ?? [];
    failures.push(...found.slice(reported));
    started.set(sandbox, found.length);
  }
  if (failures.length > 0) {
    const lines = failures.map(
      (failure) => `${failure.method} ${failure.path} (${failure.file}): ${failure.problems.join("; ")}`,
    );
    throw new Error(`Requests broke HubSpot's published schema:\n${lines.join("\n")}`);
  }
}

function writeSummary(): void {
  const summary = process.env.SANDBOX_SCHEMA_SUMMARY;
  if (!summary || started.size === 0) return;
  const checked = [...started.keys()].filter((sandbox) => sandbox.schemas);
  const line = {
    file: testFile,
    sandboxes: checked.length,
    requests: checked.reduce((sum, sandbox) => sum + (sandbox.schemas?.checked.requests ?? 0), 0),
    unmatched: [...new Set(checked.flatMap((sandbox) => sandbox.schemas?.unmatched ?? []))],
    failures: checked.reduce((sum, sandbox) => sum + (sandbox.schemas?.failures.length ?? 0), 0),
  };
  appendFileSync(summary, `${JSON.stringify(line)}\n`);
}
