import { describe, expect, it } from "vitest";
import { runCli, writeTempJson } from "../support/cli.js";
import { TOKEN, useSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream } from "../support/messages.js";
import { spawnCli } from "../support/process.js";
import { pick, seeded } from "../support/random.js";

const sandbox = useSandbox();

const base = () => ({ api_base_url: sandbox.url, api_version: "legacy", linger_ms: 20 });
const trace = (result: Awaited<ReturnType<typeof runCli>>) =>
  result.messages.find((message) => message.trace?.type === "ERROR")?.trace?.error;

describe("credentials as people paste them", () => {
  it("refuses a token with a line break inside with a config_error naming the field, at once, sending nothing", async () => {
    const config = await writeTempJson({
      ...base(),
      credentials: { type: "Private App", access_token: "sandbox-private-\napp-token" },
    });
    // What starting the CLI costs on this machine, so the bound is on the run itself (it used to hang ~139 s).
    let started = Date.now();
    await spawnCli(["--version"]).exited;
    const startup = Date.now() - started;
    started = Date.now();
    const result = await runCli(["write", "--config", config, "--object", "CONTACT"], {
      stdin: `${JSON.stringify({ email: "a@x.co" })}\n`,
      timeoutMs: 10_000,
    });
    // Under a second on a quiet machine (README); the bound leaves room for a loaded CI box, far from the old hang.
    expect(Date.now() - started - startup).toBeLessThan(4_000);
    expect(result.exitCode).toBe(1);
    expect(trace(result)).toMatchObject({ failure_type: "config_error" });
    expect(trace(result)?.message).toContain("credentials.access_token contains a line break");
    expect(result.stderr).toMatch(/^error: .*credentials\.access_token contains a line break/m);
    expect(sandbox.stats.requests).toBe(0);
  });

  it("makes check answer FAILED naming the field, not the network", async () => {
    const config = await writeTempJson({
      ...base(),
      credentials: {
        type: "OAuth",
        client_id: "sandbox-client-id",
        client_secret: "x\u0001y",
        refresh_token: "r",
      },
    });
    const result = await runCli(["check", "--config", config]);
    const status = result.messages.find((message) => message.type === "CONNECTION_STATUS")?.connectionStatus;
    expect(status?.status).toBe("FAILED");
    expect(status?.message).toContain("credentials.client_secret contains a control character (U+0001)");
    expect(status?.message).not.toMatch(/network/i);
  });

  it("trims a token's trailing newline with a warning and writes with it", async () => {
    const config = await writeTempJson({
      ...base(),
      credentials: { type: "Private App", access_token: `${TOKEN}\n` },
    });
    const result = await runCli(["write", "--config", config, "--object", "CONTACT"], {
      stdin: `${JSON.stringify({ email: "a@x.co" })}\n`,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(
      "warn: credentials.access_token had surrounding whitespace (a line break (\\n))",
    );
    expect(sandbox.store.findRecord("contacts", "email", "a@x.co")).toBeDefined();
  });

  it("takes OAuth credentials without a type, as Airbyte's spec defaults it", async () => {
    const config = await writeTempJson({
      ...base(),
      credentials: {
        client_id: "sandbox-client-id",
        client_secret: "sandbox-client-secret",
        refresh_token: "sandbox-refresh-token",
      },
    });
    const result = await runCli(["write", "--config", config, "--object", "CONTACT"], {
      stdin: `${JSON.stringify({ email: "b@x.co" })}\n`,
    });
    expect(result.stderr).not.toContain("discriminator");
    expect(result.exitCode).toBe(0);
    expect(sandbox.store.findRecord("contacts", "email", "b@x.co")).toBeDefined();
  });

  it("takes a lone access_token without a type as a private app", async () => {
    const config = await writeTempJson({ ...base(), credentials: { access_token: TOKEN } });
    const result = await runCli(["write", "--config", config, "--object", "CONTACT"], {
      stdin: `${JSON.stringify({ email: "c@x.co" })}\n`,
    });
    expect(result.exitCode).toBe(0);
  });
});

describe("unknown config keys", () => {
  const typos = {
    batch_sise: 10,
    object_storage_config: { storage_type: "None", bucket_pth: "x" },
    events: {
      linger_m: 5,
      mappings: [{ source_event: "Signed Up", event_name: "signed_up", primary_objct: "CONTACT" }],
    },
  };

  it("are each named with the closest known key on stderr in raw mode", async () => {
    const config = await writeTempJson({
      ...base(),
      credentials: { type: "Private App", access_token: TOKEN },
      ...typos,
    });
    const result = await runCli(["write", "--config", config, "--object", "CONTACT"], {
      stdin: `${JSON.stringify({ email: "d@x.co" })}\n`,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(
      "warn: Unknown config key batch_sise is ignored; did you mean batch_size?",
    );
    expect(result.stderr).toContain(
      "Unknown config key events.linger_m is ignored; did you mean events.linger_ms?",
    );
    expect(result.stderr).toContain(
      "Unknown config key events.mappings[0].primary_objct is ignored; did you mean events.mappings[0].primary_object?",
    );
    expect(result.stderr).toContain("Unknown config key object_storage_config.bucket_pth is ignored.");
  });

  it("are LOG warnings in Airbyte mode", async () => {
    const config = await writeTempJson({
      ...base(),
      credentials: { type: "Private App", access_token: TOKEN },
      ...typos,
    });
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
    const result = await runCli(["write", "--config", config, "--catalog", catalog], {
      stdin: `${recordLine("people", { email: "e@x.co" })}\n${stateLine("people", 1)}\n`,
    });
    expect(result.exitCode).toBe(0);
    const warnings = result.messages
      .filter((message) => message.log?.level === "WARN")
      .map((m) => m.log?.message);
    expect(warnings).toContain("Unknown config key batch_sise is ignored; did you mean batch_size?");
  });
});

describe("config keys named like Object.prototype's members", () => {
  const KEYS = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"] as const;

  /** A config with `count` such keys put at seeded depths, as own keys (as JSON holds them), and their paths. */
  function hostileConfig(seed: number, count: number): { config: Record<string, unknown>; paths: string[] } {
    const random = seeded(seed);
    const config = {
      ...base(),
      credentials: { type: "Private App", access_token: TOKEN },
      object_storage_config: { storage_type: "None" },
      events: { mappings: [{ source_event: "Signed Up", event_name: "signed_up" }] },
      guards: { max_creates: 100 },
    };
    const depths: [string, object][] = [
      ["", config],
      ["credentials", config.credentials],
      ["object_storage_config", config.object_storage_config],
      ["events", config.events],
      ["events.mappings[0]", config.events.mappings[0] as object],
      ["guards", config.guards],
    ];
    const paths: string[] = [];
    while (paths.length < count) {
      const [path, node] = pick(random, depths);
      const key = pick(random, KEYS);
      if (Object.hasOwn(node, key)) continue;
      Object.defineProperty(node, key, { value: pick(random, [1, "x", {}, [], null]), enumerable: true });
      paths.push(path ? `${path}.${key}` : key);
    }
    return { config, paths };
  }

  it.each([7, 8])(
    "are unknown keys to check and write, each warned about, and nothing else changes (seed %i)",
    async (seed) => {
      const { config, paths } = hostileConfig(seed, 6);
      const file = await writeTempJson(config);
      const check = await runCli(["check", "--config", file]);
      expect(check.exitCode).toBe(0);
      const status = check.messages.find((message) => message.type === "CONNECTION_STATUS")?.connectionStatus;
      expect(status?.status).toBe("SUCCEEDED");
      const warned = check.messages
        .filter((message) => message.log?.level === "WARN")
        .map((message) => /^Unknown config key (\S+) is ignored/.exec(message.log?.message ?? "")?.[1]);
      expect(warned.sort()).toEqual([...paths].sort());

      const write = await runCli(["write", "--config", file, "--object", "CONTACT"], {
        stdin: `${JSON.stringify({ email: "proto@x.co" })}\n`,
      });
      expect(write.exitCode).toBe(0);
      for (const path of paths) expect(write.stderr).toContain(`warn: Unknown config key ${path} is ignored`);
      expect(sandbox.ledger.totals("contacts").creates).toBe(1);
    },
  );
});
