import { describe, expect, it } from "vitest";
import { runCli, writeTempJson } from "../support/cli.js";
import { OPENAPI_DIR } from "../support/openapi.js";
import { spawnCli } from "../support/process.js";

/** Starts `destination-hubspot sandbox`, waits for its URL on stderr, and returns it with a way to stop it. */
async function startCommand(args: string[]) {
  const cli = spawnCli(["sandbox", ...args]);
  const listening = () => /listening on (http:\/\/[^\s]+) /.exec(cli.stderr())?.[1];
  await cli.waitFor(() => listening() !== undefined, "the sandbox's URL on stderr", 10_000);
  const stop = async () => {
    cli.child.kill("SIGTERM");
    return (await cli.exited).code;
  };
  return { url: listening() as string, stop, output: () => ({ stdout: cli.stdout(), stderr: cli.stderr() }) };
}

describe("the sandbox command", () => {
  it("serves HubSpot's API on a free loopback port until stopped, keeping stdout empty", async () => {
    const sandbox = await startCommand(["--port", "0"]);
    const response = await fetch(`${sandbox.url}/account-info/v3/details`, {
      headers: { authorization: "Bearer sandbox-private-app-token" },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { portalId: number }).portalId).toBe(12345678);
    expect(await sandbox.stop()).toBe(0);
    expect(sandbox.output().stdout).toBe("");
  });

  it("takes its options from a JSON file", async () => {
    const options = await writeTempJson({ portalId: 777, tier: "professional", latencyMS: 5 });
    const sandbox = await startCommand(["--port", "0", "--options", options]);
    const schemas = await fetch(`${sandbox.url}/crm/v3/schemas`, {
      headers: { authorization: "Bearer sandbox-private-app-token" },
    });
    expect(schemas.status).toBe(403);
    expect(sandbox.output().stderr).toContain("portal 777");
    // A typo in an option is named, with the option meant, instead of being ignored without a word.
    expect(sandbox.output().stderr).toContain('"latencyMS" is ignored; did you mean "latencyMs"?');
    await sandbox.stop();
  });

  it.skipIf(!OPENAPI_DIR)(
    "checks requests against HubSpot's OpenAPI files given with --openapi-dir",
    async () => {
      const sandbox = await startCommand(["--port", "0", "--openapi-dir", OPENAPI_DIR as string]);
      expect(sandbox.output().stderr).toMatch(/Requests are checked against \d+ OpenAPI files/);
      // The families no published file describes are named, with how much of each is checked.
      expect(sandbox.output().stderr).toMatch(
        /not checked \(no file for them\): .*\/crm\/v3\/pipelines \(0 of 4 operations checked\)/,
      );
      const response = await fetch(`${sandbox.url}/crm/v3/objects/contacts/batch/read`, {
        method: "POST",
        headers: { authorization: "Bearer sandbox-private-app-token", "content-type": "application/json" },
        body: JSON.stringify({ inputs: [{ id: "1" }], properties: [] }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain("[propertiesWithHistory]");
      await sandbox.stop();
    },
  );

  it("fails to start, naming the directory, when --openapi-dir cannot be read", async () => {
    const result = await runCli(["sandbox", "--port", "0", "--openapi-dir", "/nonexistent/openapi"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Cannot read HubSpot's OpenAPI files in /nonexistent/openapi");
  });

  it("refuses to listen on anything but loopback", async () => {
    const result = await runCli(["sandbox", "--host", "0.0.0.0", "--port", "0"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("error: The sandbox listens on loopback addresses only");
    expect(result.messages.find((message) => message.type === "TRACE")?.trace?.error?.message).toMatch(
      /loopback/,
    );
  });
});
