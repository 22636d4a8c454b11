/**
 * HubSpot's official Node SDK (`@hubspot/api-client`) pointed at the sandbox with its `basePath` option, as a user's
 * code would use it: over HTTP, with the sandbox checking every request against HubSpot's published schemas (test
 * support starts it so). The SDK's own pacing is lifted (`minTime: 0`) so that the suite stays quick; the sandbox
 * still enforces HubSpot's limits.
 */
import { Client } from "@hubspot/api-client";
import { expect } from "vitest";
import { DEFAULT_PRIVATE_APP_TOKEN } from "../../src/sandbox/server.js";
import { type Sandbox, type SandboxOptions, startSandbox } from "../support/sandbox.js";

export async function startWithClient(
  options: SandboxOptions = {},
): Promise<{ sandbox: Sandbox; client: Client }> {
  const sandbox = await startSandbox({ searchRequestsPerSecond: 1000, ...options });
  const client = new Client({
    accessToken: DEFAULT_PRIVATE_APP_TOKEN,
    basePath: sandbox.url,
    numberOfApiCallRetries: 0,
    limiterOptions: { minTime: 0, maxConcurrent: 6 },
  });
  return { sandbox, client };
}

/** Asserts that an SDK call was refused with the sandbox's 501 naming what it does not implement. */
export async function expectNotImplemented(call: Promise<unknown>, naming: string | RegExp): Promise<void> {
  const failure = await call.then(
    () => undefined,
    (error: unknown) => error as { code?: number; body?: { message?: string; category?: string } },
  );
  expect(failure?.code, "the SDK call should have failed with 501").toBe(501);
  expect(failure?.body?.category).toBe("NOT_IMPLEMENTED");
  expect(failure?.body?.message).toMatch(naming);
}

/** The 2xx the SDK would otherwise hide behind a union type: the properties of each result, by id. */
export const propertiesById = (
  results: ReadonlyArray<{ id: string; properties: Record<string, string | null> }>,
) => Object.fromEntries(results.map((result) => [result.id, result.properties]));
