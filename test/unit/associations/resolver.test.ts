import { describe, expect, it } from "vitest";
import { TargetResolver } from "../../../src/associations/resolver.js";
import type { Resolution } from "../../../src/associations/types.js";

const ref = (value: string) => ({ objectType: "0-2", property: "company_external_id", value });

/** A resolver over a scripted portal: `known` values have ids; every lookup request is recorded. */
function resolver(
  known: Record<string, string>,
  options: { mayBeWritten?: boolean; cacheEntries?: number } = {},
) {
  const requests: string[][] = [];
  const failures: unknown[] = [];
  const subject = new TargetResolver({
    lookup: async (_target, values) => {
      requests.push(values);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return new Map<string, Resolution>(
        values.map((value) => [
          value,
          known[value] ? { status: "found", id: known[value] } : { status: "missing" },
        ]),
      );
    },
    mayBeWritten: () => options.mayBeWritten ?? true,
    lingerMs: 10,
    fail: (error) => failures.push(error),
    specs: new Map(),
    ...(options.cacheEntries ? { cacheEntries: options.cacheEntries } : {}),
  });
  return { subject, requests, failures };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 40));

describe("TargetResolver", () => {
  it("looks up the targets asked for in one turn with one request, and a known one never again", async () => {
    const { subject, requests } = resolver({ a: "1", b: "2" });
    const answers = await Promise.all([
      subject.resolve(ref("a")),
      subject.resolve(ref("b")),
      subject.resolve(ref("a")),
    ]);
    expect(answers).toEqual([
      { status: "found", id: "1" },
      { status: "found", id: "2" },
      { status: "found", id: "1" },
    ]);
    expect(await subject.resolve(ref("b"))).toEqual({ status: "found", id: "2" });
    expect(requests).toEqual([["a", "b"]]);
  });

  it("takes an id the run wrote without any lookup", async () => {
    const { subject, requests } = resolver({});
    subject.observe(ref("a"), "9");
    expect(await subject.resolve(ref("a"))).toEqual({ status: "found", id: "9" });
    expect(requests).toEqual([]);
  });

  it("keeps a missed target waiting until a record of the run with its key is written", async () => {
    const { subject } = resolver({});
    let waited = 0;
    const answer = subject.resolve(ref("late"), () => (waited += 1));
    await settle();
    expect(waited).toBe(1);
    expect(subject.waiting).toBe(1);
    subject.observe(ref("late"), "5");
    expect(await answer).toEqual({ status: "found", id: "5" });
    expect(subject.waiting).toBe(0);
  });

  it("tells a later asker of a waiting target that it waits, at once", async () => {
    const { subject } = resolver({});
    void subject.resolve(ref("late"));
    await settle();
    let waited = 0;
    void subject.resolve(ref("late"), () => (waited += 1));
    expect(waited).toBe(1);
  });

  it("answers missing at once for a target of an object the run does not write, and remembers it", async () => {
    const { subject, requests } = resolver({}, { mayBeWritten: false });
    expect(await subject.resolve(ref("ghost"))).toEqual({ status: "missing" });
    expect(await subject.resolve(ref("ghost"))).toEqual({ status: "missing" });
    expect(requests).toEqual([["ghost"]]);
  });

  it("looks a released target up once more and settles it for good", async () => {
    const known: Record<string, string> = {};
    const { subject, requests } = resolver(known);
    const answer = subject.resolve(ref("x"));
    await settle();
    known.x = "3"; // written meanwhile by another client, under another key
    subject.release([ref("x")]);
    expect(await answer).toEqual({ status: "found", id: "3" });
    expect(requests).toEqual([["x"], ["x"]]);
  });

  it("at the end of input settles every waiting target, missing when it is still not found", async () => {
    const { subject } = resolver({});
    const answer = subject.resolve(ref("never"));
    await settle();
    subject.finish();
    expect(await answer).toEqual({ status: "missing" });
    // From then on nothing waits.
    expect(await subject.resolve(ref("other"))).toEqual({ status: "missing" });
  });

  it("ignores a lookup's miss that arrives after the target's own write gave its id", async () => {
    const { subject } = resolver({});
    const answer = subject.resolve(ref("racing"));
    await new Promise((resolve) => setTimeout(resolve, 12)); // the lookup is out
    subject.observe(ref("racing"), "8");
    expect(await answer).toEqual({ status: "found", id: "8" });
    await settle();
    expect(subject.waiting).toBe(0);
  });

  it("forgets the least recently used ids past its capacity, and looks them up again", async () => {
    const { subject, requests } = resolver({ a: "1" }, { cacheEntries: 2 });
    subject.observe(ref("a"), "1");
    subject.observe(ref("b"), "2");
    subject.observe(ref("c"), "3");
    expect(await subject.resolve(ref("a"))).toEqual({ status: "found", id: "1" });
    expect(requests).toEqual([["a"]]);
  });

  it("sends at most 100 values per lookup request", async () => {
    const { subject, requests } = resolver({});
    subject.finish();
    await Promise.all(Array.from({ length: 250 }, (_, i) => subject.resolve(ref(`k${i}`))));
    expect(requests.map((values) => values.length)).toEqual([100, 100, 50]);
  });
});
