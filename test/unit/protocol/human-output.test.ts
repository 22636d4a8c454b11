import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { HumanOutput } from "../../../src/protocol/human-output.js";
import { MessageWriter } from "../../../src/protocol/writer.js";

const failingStream = () =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    },
  });

describe("HumanOutput", () => {
  it("turns writes into no-ops once the stream failed, without throwing", async () => {
    const stream = failingStream();
    const output = new HumanOutput(stream);
    output.write("first\n");
    await new Promise((resolve) => setImmediate(resolve));
    expect(output.open).toBe(false);
    expect(() => output.write("second\n")).not.toThrow();
  });

  it("writes to a working stream", () => {
    const stream = new PassThrough();
    const output = new HumanOutput(stream);
    output.write("hello\n");
    expect(stream.read()?.toString()).toBe("hello\n");
  });
});

describe("MessageWriter.gone", () => {
  it("is aborted once stdout fails, and later messages are dropped quietly", async () => {
    const writer = new MessageWriter(failingStream());
    expect(writer.gone.aborted).toBe(false);
    writer.log("INFO", "one");
    await new Promise((resolve) => setImmediate(resolve));
    expect(writer.gone.aborted).toBe(true);
    expect(() => writer.log("INFO", "two")).not.toThrow();
    await writer.flush();
  });

  it("is aborted when stdout closes", () => {
    const stream = new PassThrough();
    const writer = new MessageWriter(stream);
    stream.destroy();
    return new Promise<void>((resolve) => {
      writer.gone.addEventListener("abort", () => resolve());
    });
  });
});
