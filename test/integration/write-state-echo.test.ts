/**
 * The built CLI echoes each STATE's `state` byte for byte as it came in (protocol/state-text.ts), with its stats
 * added, and what it echoes still passes the Airbyte protocol's schema (runCli validates every stdout line).
 */
import { describe, expect, it } from "vitest";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, useSandbox } from "../support/harness.js";
import { recordLine, stream } from "../support/messages.js";

const sandbox = useSandbox({}, { per: "file" });

const STATES = [
  '{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"},"stream_state":{"cursor":1701234567.123456789,"c3":123456789.98765432101}}}',
  '{"type":"GLOBAL","global":{"shared_state":{"lsn":18446744073709551617,"at":1e400,"z":-0},"stream_states":[{"stream_descriptor":{"name":"users"},"stream_state":{"x":"\\ud800"}}]}}',
  '{"type":"LEGACY", "data" : {"users":{"10":1,"2":2.50,"cursor":0.30000000000000000001}}}',
];

describe("write in Airbyte mode", () => {
  it("echoes every STATE's state exactly as received, numbers, escapes, spacing and bytes not UTF-8 included", async () => {
    const catalog = await writeTempJson({ streams: [stream("users", "CONTACT", "email")] });
    const config = (await configFor(sandbox, { api_version: "legacy", linger_ms: 20 })).path;
    const raw = Buffer.concat([
      Buffer.from('{"type":"LEGACY","data":{"raw":"'),
      Buffer.of(0xff, 0xfe),
      Buffer.from('"}}'),
    ]);
    const lines = STATES.flatMap((state, index) => [
      recordLine("users", { email: `state-echo-${index}@example.com` }),
      `{"type":"STATE","state":${state}}`,
    ]);
    const input = Buffer.concat([
      Buffer.from(lines.join("\n") + '\n{"type":"STATE","state":'),
      raw,
      Buffer.from("}\n"),
    ]);
    const result = await runCli(["write", "--config", config, "--catalog", catalog], { stdin: input });
    expect(result.exitCode).toBe(0);
    const echoed = result.stdout.split("\n").filter((line) => line.startsWith('{"type":"STATE"'));
    const withStats = (state: string) =>
      `{"type":"STATE","state":${state.slice(0, -1)},"destinationStats":{"recordCount":1.0}}}`;
    expect(echoed.slice(0, 3)).toEqual(STATES.map(withStats));
    const rawEchoed = Buffer.concat([
      Buffer.from('{"type":"STATE","state":'),
      raw.subarray(0, -1),
      Buffer.from(',"destinationStats":{"recordCount":0.0}}}'),
    ]);
    expect(echoed[3]).toBe(rawEchoed.toString("utf8"));
    expect(sandbox.stats.requests).toBeGreaterThan(0);
  });
});
