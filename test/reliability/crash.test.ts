import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { MAIN, parseMessages, writeTempJson } from "../support/cli.js";
import { stream } from "../support/messages.js";
import { s3StorageConfig, startS3, type TestS3 } from "../support/s3.js";
import { contacts, expectAccounted, seeded } from "./harness.js";

let s3: TestS3;
let sandbox: Sandbox;

beforeAll(async () => {
  s3 = await startS3();
  sandbox = await startSandbox({ latencyMs: 40, latencyJitterMs: 20 });
});
afterAll(async () => {
  await sandbox.close();
  await s3.close();
});

/**
 * Runs write on `lines`, killing it with SIGKILL `killAfterMs` after HubSpot received its first write of this run
 * (so a slow start on a loaded machine cannot make every kill land before any write), if it is still running.
 */
function runUntilKilled(args: string[], lines: string[], killAfterMs: number) {
  const writesBefore = sandbox.ledger.totals("contacts");
  const written = () => {
    const now = sandbox.ledger.totals("contacts");
    return now.creates + now.updates > writesBefore.creates + writesBefore.updates;
  };
  return new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ["pipe", "pipe", "ignore"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(`${lines.join("\n")}\n`);
    let timer: NodeJS.Timeout | undefined;
    const watch = setInterval(() => {
      if (!written()) return;
      clearInterval(watch);
      timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    }, 5);
    child.on("close", (code) => {
      clearInterval(watch);
      clearTimeout(timer);
      resolve({ code, stdout });
    });
  });
}

describe("reliability: crashes", () => {
  it("after kill -9 at random points, replaying from the last echoed STATE ends with every record accounted for", async () => {
    const random = seeded(4242);
    const input = contacts(1_500, 100, random);
    const prefix = `crash-${Date.now()}`;
    const config = await writeTempJson({
      credentials: { type: "Private App", access_token: "sandbox-private-app-token" },
      api_base_url: sandbox.url,
      batch_size: 20,
      linger_ms: 20,
      max_concurrent_requests: 2,
      object_storage_config: s3StorageConfig(s3, { bucket_path: prefix }),
    });
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email")] });

    let from = 0; // index in input.lines to resume from
    let kills = 0;
    // Kills that landed after HubSpot had written records whose STATE had not been echoed yet: the replay then
    // sends them again, which is the case exactly-once has to survive.
    let killsBetweenWriteAndState = 0;
    const emailOf = (line: string) => /"email":"([^"]+)"/.exec(line)?.[1];
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const killAfter = attempt < 6 ? Math.floor(random() * 800) : 120_000;
      const { code, stdout } = await runUntilKilled(
        ["write", "--config", config, "--catalog", catalog],
        input.lines.slice(from),
        killAfter,
      );
      const states = parseMessages(stdout).filter((message) => message.type === "STATE");
      const lastCursor = (states.at(-1)?.state?.stream as { stream_state: { cursor: number } } | undefined)
        ?.stream_state.cursor;
      if (lastCursor !== undefined) from = input.resumeAt[lastCursor / 100 - 1] as number;
      if (code === 0) break;
      kills += 1;
      const writtenPastState = input.lines
        .slice(from)
        .map(emailOf)
        .filter(
          (email) =>
            email !== undefined && (sandbox.ledger.get("contacts", `email=${email}`)?.creates ?? 0) > 0,
        );
      if (writtenPastState.length > 0) killsBetweenWriteAndState += 1;
    }
    expect(kills).toBeGreaterThan(0);
    expect(killsBetweenWriteAndState).toBeGreaterThan(0);
    // A record rejected just before a kill is stored again by the replay: rejects are at-least-once.
    await expectAccounted(sandbox, s3, prefix, input, { rejectsAtLeastOnce: true });
  }, 180_000);
});
