import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { exitCodeFor, graceMsFrom, Shutdown, type SignalSource } from "../../../src/run/shutdown.js";

const created: Shutdown[] = [];
afterEach(() => {
  for (const shutdown of created.splice(0)) shutdown.dispose();
});

function setup(graceMs = 10_000, forcedReportMs?: number) {
  const signals = new EventEmitter();
  const exits: number[] = [];
  let exited: (code: number) => void = () => undefined;
  const exitedOnce = new Promise<number>((resolve) => {
    exited = resolve;
  });
  const shutdown = new Shutdown({
    signals: signals as unknown as SignalSource,
    graceMs,
    ...(forcedReportMs === undefined ? {} : { forcedReportMs }),
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
  });
  created.push(shutdown);
  return { signals, shutdown, exits, exitedOnce };
}

describe("Shutdown", () => {
  it("aborts stop at the first signal, naming it, and exits nobody", () => {
    const { signals, shutdown, exits } = setup();
    signals.emit("SIGTERM");
    expect(shutdown.stop.aborted).toBe(true);
    expect(shutdown.reason).toEqual({ kind: "signal", signal: "SIGTERM" });
    expect(exits).toEqual([]);
  });

  it("keeps the first reason when another stop follows", () => {
    const { signals, shutdown } = setup();
    shutdown.stopWith({ kind: "stdout-closed" });
    signals.emit("SIGINT");
    expect(shutdown.reason).toEqual({ kind: "stdout-closed" });
  });

  it("runs the forced handler and exits with the signal's code at a second signal", async () => {
    const { signals, shutdown, exitedOnce } = setup();
    const reasons: string[] = [];
    shutdown.whenForced((why) => {
      reasons.push(why);
    });
    signals.emit("SIGINT");
    signals.emit("SIGINT");
    expect(await exitedOnce).toBe(130);
    expect(reasons).toEqual(["second-signal"]);
  });

  it("exits when the grace period runs out, even if the forced handler never finishes", async () => {
    // A forced report bound of 200 ms rather than the default 5 s, which the test would wait out.
    const { signals, shutdown, exitedOnce } = setup(30, 200);
    shutdown.whenForced(() => new Promise<void>(() => undefined));
    const started = Date.now();
    signals.emit("SIGTERM");
    expect(await exitedOnce).toBe(143);
    // The grace period, then the forced report's bound, and not much more.
    expect(Date.now() - started).toBeGreaterThanOrEqual(220);
    expect(Date.now() - started).toBeLessThan(6_000);
  }, 10_000);

  it("exits at once at a signal that comes while the forced handler runs", async () => {
    const { signals, shutdown, exits, exitedOnce } = setup(10);
    shutdown.whenForced(() => new Promise<void>(() => undefined));
    signals.emit("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 40));
    signals.emit("SIGTERM");
    expect(await exitedOnce).toBe(143);
    expect(exits).toEqual([143]);
  });

  it("removes its signal handlers when disposed", () => {
    const { signals, shutdown } = setup();
    shutdown.dispose();
    expect(signals.listenerCount("SIGTERM")).toBe(0);
    expect(signals.listenerCount("SIGINT")).toBe(0);
  });
});

describe("exit codes of a stop", () => {
  it.each([
    [{ kind: "signal", signal: "SIGINT" } as const, 130],
    [{ kind: "signal", signal: "SIGTERM" } as const, 143],
    [{ kind: "stdout-closed" } as const, 141],
    [{ kind: "max-rejects", message: "too many" } as const, 1],
  ])("%j exits %i", (reason, code) => {
    expect(exitCodeFor(reason)).toBe(code);
  });
});

describe("graceMsFrom", () => {
  it("takes the option over the environment, in seconds", () => {
    expect(graceMsFrom("2.5", "30")).toBe(2_500);
    expect(graceMsFrom(undefined, "30")).toBe(30_000);
    expect(graceMsFrom(undefined, undefined)).toBeUndefined();
    expect(graceMsFrom(undefined, "")).toBeUndefined();
  });

  it("refuses a bad value as a usage error naming where it came from", () => {
    expect(() => graceMsFrom("soon", undefined)).toThrow(UsageError);
    expect(() => graceMsFrom(undefined, "-1")).toThrow(/DESTINATION_HUBSPOT_GRACE_SECONDS must be/);
  });
});
