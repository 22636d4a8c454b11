/**
 * A STATE's `state` is echoed byte for byte as it came in (protocol/state-text.ts): hostile values from a seeded
 * generator go through the real reader (bytes to lines), the message parser, a spread adding the destination's
 * stats (as load/checkpoints.ts does) and the writer; the bytes out must be the bytes in, plus the stats.
 */
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseMessageLine, readLines } from "../../../src/protocol/reader.js";
import { memberText, withLastMember } from "../../../src/protocol/state-text.js";
import { MessageWriter } from "../../../src/protocol/writer.js";
import { pick, seeded } from "../../support/random.js";

const NUMBERS = [
  "1701234567.123456789",
  "123456789.98765432101",
  "1.00000000000000001",
  "1e400",
  "-1e400",
  "1e-400",
  "-0",
  "-0.0",
  "18446744073709551616",
  "9223372036854775808",
  "0.1",
  "5E+3",
  "3.0",
  "123456789012345678901234567890.000000000000000000001",
];
const STRINGS = [
  '"plain"',
  '"\\ud800"',
  '"\\udcff lone low"',
  '"é ü 中文 🎉"',
  '"\\u00e9 escaped"',
  '"tab\\tnew\\nline \\" \\\\ \\/"',
  '"pat-na1-secret-looking"',
];
const KEYS = ['"cursor"', '"2"', '"10"', '"a b"', '"__proto__"', '"é"', '"\\u0041"', '"destination"'];
const SPACES = ["", " ", "  ", "\t", " \r "];

/** A JSON text of some hostile value, nested at most `depth` deep (a few reach 400 levels). */
function hostileValue(random: () => number, depth: number): string {
  const roll = random();
  if (depth <= 0 || roll < 0.4) {
    const kind = random();
    if (kind < 0.5) return pick(random, NUMBERS);
    if (kind < 0.85) return pick(random, STRINGS);
    return pick(random, ["true", "false", "null"]);
  }
  const space = () => pick(random, SPACES);
  const count = Math.floor(random() * 4);
  const items = Array.from({ length: count }, () => hostileValue(random, depth - 1));
  if (roll < 0.7) return `[${space()}${items.join(`${space()},${space()}`)}${space()}]`;
  const members = items.map((item) => `${pick(random, KEYS)}${space()}:${space()}${item}`);
  return `{${space()}${members.join(`,${space()}`)}${space()}}`;
}

const deeply = (depth: number, inner: string) => "[".repeat(depth) + inner + "]".repeat(depth);

/** A `state` of one of the three kinds, as text. */
function hostileState(random: () => number): string {
  const value = random() < 0.05 ? deeply(400, pick(random, NUMBERS)) : hostileValue(random, 5);
  const s = () => pick(random, SPACES);
  switch (pick(random, ["STREAM", "GLOBAL", "LEGACY"])) {
    case "STREAM":
      return `{${s()}"type":"STREAM",${s()}"stream":{"stream_descriptor":{"name":"users"},"stream_state":{"cursor":${value},"c":${pick(random, NUMBERS)}}}${s()}}`;
    case "GLOBAL":
      return `{"type":"GLOBAL","global":{"shared_state":${value},"stream_states":[{"stream_descriptor":{"name":"u"},"stream_state":{"x":${pick(random, NUMBERS)}}}]}}`;
    default:
      return `{"type":"LEGACY",${s()}"data":${value}}`;
  }
}

/** The bytes the writer emits for `lines`, each parsed as the reader does and given stats as the tracker does. */
async function echo(input: Buffer): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  const writer = new MessageWriter(out);
  writer.setSecrets(["pat-na1-secret-looking"]);
  for await (const line of readLines(Readable.from([input]))) {
    if (!("text" in line)) throw new Error("line too long");
    const parsed = parseMessageLine(line.text);
    if (!parsed.ok) throw new Error(`line ${line.lineNumber}: ${parsed.reason}`);
    const state = parsed.message.state as Record<string, unknown>;
    writer.state({ ...state, destinationStats: { recordCount: 3 } });
  }
  await writer.flush();
  return Buffer.concat(chunks);
}

/** What the echo of a state must be: its bytes, with the stats as last member. */
const expected = (state: Buffer) => {
  const close = state.lastIndexOf("}");
  return Buffer.concat([
    Buffer.from('{"type":"STATE","state":'),
    state.subarray(0, close),
    Buffer.from(',"destinationStats":{"recordCount":3.0}'),
    state.subarray(close),
    Buffer.from("}\n"),
  ]);
};

describe("a STATE echoed", () => {
  it.each([1, 2, 3, 4, 5])(
    "is byte-identical in its state for 200 hostile states of seed %i",
    async (seed) => {
      const random = seeded(seed);
      for (let round = 0; round < 200; round += 1) {
        const state = Buffer.from(hostileState(random));
        const line = Buffer.concat([
          Buffer.from(`{"type":"STATE",${pick(random, SPACES)}"state":`),
          state,
          Buffer.from("}\n"),
        ]);
        expect((await echo(line)).toString("latin1"), `seed ${seed}, round ${round}`).toBe(
          expected(state).toString("latin1"),
        );
      }
    },
  );

  it("gives back bytes that are not UTF-8 unchanged, and keeps the cursor's digits", async () => {
    const state = Buffer.concat([
      Buffer.from(
        '{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"},"stream_state":{"cursor":1701234567.123456789,"c3":123456789.98765432101,"raw":"',
      ),
      Buffer.of(0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80),
      Buffer.from('"}}}'),
    ]);
    const out = await echo(
      Buffer.concat([Buffer.from('{"type":"STATE","state":'), state, Buffer.from("}\n")]),
    );
    expect(out.equals(expected(state))).toBe(true);
    expect(out.toString("latin1")).toContain('"cursor":1701234567.123456789,"c3":123456789.98765432101');
  });

  it("replaces stats the input already carried, keeping one destinationStats member", async () => {
    const state = '{"type":"LEGACY","destinationStats":{"recordCount":9},"data":{"a":1.00000000000000001}}';
    const out = (await echo(Buffer.from(`{"type":"STATE","state":${state}}\n`))).toString();
    expect(out).toBe(
      '{"type":"STATE","state":{"type":"LEGACY","data":{"a":1.00000000000000001},"destinationStats":{"recordCount":3.0}}}\n',
    );
  });
});

describe("state text", () => {
  it("finds the last member of a name, and puts a member last in an object of any shape", () => {
    expect(memberText('{"state":1, "state" : {"a":[1,{"}":"]"}]} }', "state")).toBe('{"a":[1,{"}":"]"}]}');
    expect(withLastMember("{ }", "k", "1")).toBe('{ "k":1}');
    expect(withLastMember('{"k":0}', "k", "1")).toBe('{"k":1}');
    expect(withLastMember('{"a":1,"k":0,"b":2}', "k", "1")).toBe('{"a":1,"b":2,"k":1}');
  });
});
