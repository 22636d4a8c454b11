import { describe, expect, it } from "vitest";
import { runCli, writeTempJson } from "../support/cli.js";

const errorOf = (messages: Awaited<ReturnType<typeof runCli>>["messages"]) =>
  messages.find((message) => message.type === "TRACE")?.trace?.error;

describe("the CLI", () => {
  it("answers an unknown command with a config_error TRACE and exit code 2", async () => {
    const result = await runCli(["launch"]);
    expect(result.exitCode).toBe(2);
    expect(errorOf(result.messages)).toMatchObject({ failure_type: "config_error" });
    expect(errorOf(result.messages)?.message).toContain("launch");
  });

  it("answers a missing --config with a config_error naming the option", async () => {
    const result = await runCli(["check"]);
    expect(result.exitCode).toBe(2);
    expect(errorOf(result.messages)?.message).toContain("--config");
  });

  it("prints help to stderr and keeps stdout empty", async () => {
    const result = await runCli(["--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("discover");
  });

  it("reports a config file that is not JSON without quoting its content", async () => {
    const path = await writeTempJson("placeholder");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path, '{"credentials": {"access_token": "pat-secret-canary-77"');
    const result = await runCli(["discover", "--config", path]);
    expect(result.exitCode).toBe(1);
    expect(errorOf(result.messages)).toMatchObject({ failure_type: "config_error" });
    expect(errorOf(result.messages)?.message).toContain("not valid JSON");
    expect(result.stdout + result.stderr).not.toContain("pat-secret-canary-77");
  });

  it("reports a config file that does not exist", async () => {
    const result = await runCli(["check", "--config", "/nonexistent/config.json"]);
    expect(result.exitCode).toBe(0);
    const status = result.messages.find((message) => message.type === "CONNECTION_STATUS")?.connectionStatus;
    expect(status?.status).toBe("FAILED");
    expect(status?.message).toContain("/nonexistent/config.json");
  });

  it("refuses a catalog without streams before reading stdin", async () => {
    const config = await writeTempJson({
      credentials: { type: "Private App", access_token: "pat-x" },
      api_base_url: "http://127.0.0.1:1",
    });
    const catalog = await writeTempJson({ streams: [] });
    const result = await runCli(["write", "--config", config, "--catalog", catalog], { stdin: "" });
    expect(result.exitCode).toBe(1);
    expect(errorOf(result.messages)).toMatchObject({ failure_type: "config_error" });
    expect(errorOf(result.messages)?.message).toContain("streams");
  });

  it("never prints a stack trace on stdout", async () => {
    const result = await runCli([
      "write",
      "--config",
      "/nonexistent.json",
      "--catalog",
      "/nonexistent2.json",
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).not.toMatch(/\n\s+at /);
  });
});
