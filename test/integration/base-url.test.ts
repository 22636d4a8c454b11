import { createServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../support/sandbox.js";
import { type CliResult, runCli, writeTempJson } from "../support/cli.js";

const TOKEN = "sandbox-private-app-token";
const CONTACTS = `${['{"email":"a@x.co"}', '{"email":"b@x.co"}'].join("\n")}\n`;

let sandbox: Sandbox | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** A loopback port with nothing listening on it: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const configFor = (baseUrl: string) =>
  writeTempJson({ credentials: { type: "Private App", access_token: TOKEN }, api_base_url: baseUrl });

const traceError = (result: CliResult) =>
  result.messages.find((m) => m.trace?.type === "ERROR")?.trace?.error;

/** A loopback server that accepts connections and never answers; counts them, and destroys them on close. */
async function silentServer(): Promise<{
  url: string;
  connections: () => number;
  close: () => Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("a base URL that cannot serve the connector", () => {
  it.each([
    ["check", [] as string[]],
    ["write", ["--object", "CONTACT"]],
  ])(
    "fails %s within the unreachable budget when the base URL accepts connections and never answers",
    async (command, extra) => {
      const silent = await silentServer();
      try {
        const started = performance.now();
        const result = await runCli([command, "--config", await configFor(silent.url), ...extra], {
          stdin: CONTACTS,
          // Kept short for the test; the default is 20 s. One attempt used to wait request_timeout_seconds (60).
          env: { DESTINATION_HUBSPOT_UNREACHABLE_SECONDS: "2" },
          timeoutMs: 40_000,
        });
        const seconds = (performance.now() - started) / 1000;
        expect(silent.connections()).toBeGreaterThan(0);
        const said = `${result.stderr}${JSON.stringify(result.messages)}`;
        expect(said).toContain("HubSpot did not answer in time");
        expect(said).toContain(`${silent.url}/oauth/v2/private-apps/get/access-token-info`);
        if (command === "check") {
          expect(result.exitCode).toBe(0);
          expect(result.messages.find((m) => m.connectionStatus)?.connectionStatus?.status).toBe("FAILED");
        } else expect(result.exitCode).toBe(1);
        // 2 s for the attempt, and the process's own start on a busy machine.
        expect(seconds).toBeLessThan(12);
      } finally {
        await silent.close();
      }
    },
  );

  it("fails write within the unreachable budget when nothing listens there, naming the URL", async () => {
    const base = `http://127.0.0.1:${await closedPort()}`;
    const started = performance.now();
    const result = await runCli(["write", "--config", await configFor(base), "--object", "CONTACT"], {
      stdin: CONTACTS,
      // Kept short for the test; the default is 20 s.
      env: { DESTINATION_HUBSPOT_UNREACHABLE_SECONDS: "2" },
      timeoutMs: 30_000,
    });
    const seconds = (performance.now() - started) / 1000;
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/Retrying POST \/oauth\/v2\/private-apps\/get\/access-token-info/);
    expect(result.stderr).toContain(
      `the connection to HubSpot was refused (POST ${base}/oauth/v2/private-apps/get/access-token-info)`,
    );
    expect(result.stderr).not.toContain(TOKEN);
    // 2 s of retrying, one more attempt, and the process's own start; the old patience was over two minutes.
    expect(seconds).toBeLessThan(12);
  });

  it("is a config_error at once naming the URL when the base URL's routes answer 501", async () => {
    sandbox = await startSandbox();
    const base = `${sandbox.url}/not-hubspot`;
    const catalog = await writeTempJson({
      streams: [
        {
          stream: { name: "people", json_schema: {}, supported_sync_modes: ["full_refresh"] },
          sync_mode: "full_refresh",
          destination_sync_mode: "append_dedup",
          destination_object_name: "CONTACT",
          primary_key: [["email"]],
        },
      ],
    });
    const result = await runCli(["write", "--config", await configFor(base), "--catalog", catalog], {
      stdin: "",
      timeoutMs: 30_000,
    });
    expect(result.exitCode).toBe(1);
    const error = traceError(result);
    expect(error?.failure_type).toBe("config_error");
    expect(error?.message).toContain(
      `does not implement POST ${base}/oauth/v2/private-apps/get/access-token-info (501 Not Implemented)`,
    );
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    // Asked once: a route the server does not implement is not retried.
    expect(sandbox.stats.requests).toBe(1);
  });

  it("is a config_error naming the URL when a route every account has answers 404", async () => {
    sandbox = await startSandbox({
      faults: [{ kind: "status", status: 404, path: "/crm/properties/", times: 100 }],
    });
    const result = await runCli(["write", "--config", await configFor(sandbox.url), "--object", "CONTACT"], {
      stdin: CONTACTS,
      timeoutMs: 30_000,
    });
    expect(result.exitCode).toBe(1);
    expect(sandbox.faults.fired).toEqual([1]);
    expect(result.stderr).toContain(`HubSpot found nothing at GET ${sandbox.url}/crm/properties/`);
    expect(result.stderr).not.toContain("Retrying");
  });

  it("has check say FAILED naming the URL for a 501, not that it is usually temporary", async () => {
    sandbox = await startSandbox();
    const base = `${sandbox.url}/not-hubspot`;
    const result = await runCli(["check", "--config", await configFor(base)], { timeoutMs: 30_000 });
    expect(result.exitCode).toBe(0);
    const status = result.messages.find((m) => m.type === "CONNECTION_STATUS")?.connectionStatus;
    expect(status?.status).toBe("FAILED");
    expect(status?.message).toContain(
      `${base}/oauth/v2/private-apps/get/access-token-info (501 Not Implemented)`,
    );
    expect(status?.message).not.toMatch(/temporary/);
    expect(sandbox.stats.requests).toBe(1);
  });
});
