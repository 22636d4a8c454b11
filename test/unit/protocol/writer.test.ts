import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigError, TransientError } from "../../../src/errors.js";
import { MessageWriter, serialize } from "../../../src/protocol/writer.js";

function capture() {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  return {
    out,
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
}

describe("MessageWriter", () => {
  it("writes one JSON line per message", async () => {
    const { out, lines } = capture();
    const writer = new MessageWriter(out);
    writer.log("INFO", "hello");
    await writer.connectionStatus("SUCCEEDED", "fine");
    expect(lines()).toEqual([
      { type: "LOG", log: { level: "INFO", message: "hello" } },
      { type: "CONNECTION_STATUS", connectionStatus: { status: "SUCCEEDED", message: "fine" } },
    ]);
  });

  it("scrubs secrets in raw, URL-encoded and JSON-escaped forms from every line", async () => {
    const { out, lines } = capture();
    const writer = new MessageWriter(out);
    writer.setSecrets(['pat-na1-s3cr"et/x']);
    writer.log("WARN", 'token pat-na1-s3cr"et/x and pat-na1-s3cr%22et%2Fx');
    await writer.traceError(new ConfigError('bad pat-na1-s3cr"et/x'));
    const text = JSON.stringify(lines());
    expect(text).not.toContain("s3cr");
    expect(text).toContain("[redacted]");
  });

  it("echoes a STATE exactly as received even when its cursor contains a secret's text", async () => {
    const { out, lines } = capture();
    const writer = new MessageWriter(out);
    writer.setSecrets(["abcd1234"]);
    writer.state({ type: "STREAM", stream: { stream_state: { cursor: "page-abcd1234-next" } } });
    writer.log("INFO", "cursor abcd1234");
    await writer.flush();
    const [state, log] = lines();
    expect(state).toMatchObject({
      type: "STATE",
      state: { stream: { stream_state: { cursor: "page-abcd1234-next" } } },
    });
    expect(JSON.stringify(log)).not.toContain("abcd1234");
  });

  it("masks a secret learned mid-run (a refreshed OAuth access token) from then on", async () => {
    const { out, lines } = capture();
    const writer = new MessageWriter(out);
    writer.setSecrets(["client-secret"]);
    writer.setSecrets(["fresh-access-token"]);
    writer.log("INFO", "client-secret fresh-access-token");
    await writer.flush();
    expect(JSON.stringify(lines())).not.toMatch(/client-secret|fresh-access-token/);
  });

  it("reports a failure as a TRACE ERROR with its failure type and no stack", async () => {
    const { out, lines } = capture();
    await new MessageWriter(out).traceError(
      new TransientError("HubSpot is down", { internalMessage: "502" }),
    );
    const [message] = lines();
    expect(message.trace).toMatchObject({
      type: "ERROR",
      error: { message: "HubSpot is down", failure_type: "transient_error", internal_message: "502" },
    });
    expect(JSON.stringify(message)).not.toContain("stack");
  });

  it("waits for a slow stdout to drain before flush resolves", async () => {
    let release: () => void = () => undefined;
    let written = 0;
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        release = callback;
      },
    });
    const writer = new MessageWriter(slow);
    writer.log("INFO", "x".repeat(100));
    let flushed = false;
    const flushing = writer.flush().then(() => {
      flushed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(flushed).toBe(false);
    release();
    await flushing;
    expect(flushed).toBe(true);
    expect(written).toBeGreaterThan(100);
  });

  it("survives a closed stdout without throwing", async () => {
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error("EPIPE"));
      },
    });
    const writer = new MessageWriter(broken);
    writer.log("INFO", "one");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(() => writer.log("INFO", "two")).not.toThrow();
    await expect(writer.flush()).resolves.toBeUndefined();
  });
});

describe("serialize", () => {
  it("writes state stats as doubles and leaves other numbers alone", () => {
    const line = serialize({
      type: "STATE",
      state: {
        type: "STREAM",
        stream: { stream_descriptor: { name: "s" }, stream_state: { recordCount: 3 } },
        destinationStats: { recordCount: 5, rejectedRecordCount: 0 },
      },
    });
    expect(line).toContain('"destinationStats":{"recordCount":5.0,"rejectedRecordCount":0.0}');
    expect(JSON.parse(line).state.destinationStats.recordCount).toBe(5);
  });
});
