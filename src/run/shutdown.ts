/**
 * Ending a run early, the way platforms and people expect of a Unix program.
 *
 * 1. The first stop (SIGTERM, SIGINT, a closed stdout, too many rejects) aborts `stop`: the pipeline stops
 *    reading, sends nothing new, lets requests in flight finish, stores rejected records and echoes the states
 *    that became safe. The command then reports and returns its exit code as usual.
 * 2. A grace period starts with it. If the run has not ended when it runs out, or when a second signal arrives,
 *    the forced handler reports what it can (bounded in time) and the process exits with the stop's exit code.
 * The handlers are installed per run and removed by `dispose`, so nothing outlives the command.
 */
import { UsageError } from "../errors.js";
import { EXIT, STOP_SIGNALS, type StopSignal } from "../exit-codes.js";

export type StopReason =
  | { kind: "signal"; signal: StopSignal }
  | { kind: "stdout-closed" }
  | { kind: "max-rejects"; message: string }
  /** The `daily_budget_share` guard: the run stops cleanly and ends with a transient error. */
  | { kind: "daily-budget"; message: string };

/** Why the process is exiting before the run ended by itself. */
export type ForcedReason = "second-signal" | "grace-over";

/** Where signals come from: `process` in production. */
export interface SignalSource {
  on(event: StopSignal, listener: () => void): unknown;
  off(event: StopSignal, listener: () => void): unknown;
}

export const SHUTDOWN_DEFAULTS = {
  /** How long a stopped run may take to finish its requests in flight and store its rejects. @default 20 s */
  graceMs: 20_000,
  /** How long the forced handler may report after the grace period ran out (it flushes the rejects). */
  forcedReportMs: 5_000,
  /** …and after a second signal, which asks to exit at once. */
  secondSignalReportMs: 500,
} as const;

export interface ShutdownOptions {
  signals: SignalSource;
  /** @default SHUTDOWN_DEFAULTS.graceMs */
  graceMs?: number;
  /** @default SHUTDOWN_DEFAULTS.forcedReportMs (shorter in tests, which would otherwise wait it out) */
  forcedReportMs?: number;
  /** Ends the process (`process.exit` in production). */
  exit: (code: number) => void;
}

/** The exit code a run stopped for this reason ends with. */
export function exitCodeFor(reason: StopReason): number {
  if (reason.kind === "signal") return STOP_SIGNALS[reason.signal];
  return reason.kind === "stdout-closed" ? EXIT.stdoutClosed : EXIT.failure;
}

export class Shutdown {
  private readonly controller = new AbortController();
  /** Aborted at the first stop; the pipeline's `stop`. */
  readonly stop: AbortSignal = this.controller.signal;
  private stopReason: StopReason | undefined;
  private readonly listeners = new Map<StopSignal, () => void>();
  private readonly stopListeners: ((reason: StopReason) => void)[] = [];
  private forcedHandler: ((reason: ForcedReason) => Promise<void> | void) | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private forcing = false;
  private readonly graceMs: number;

  constructor(private readonly options: ShutdownOptions) {
    this.graceMs = options.graceMs ?? SHUTDOWN_DEFAULTS.graceMs;
    for (const signal of Object.keys(STOP_SIGNALS) as StopSignal[]) {
      const listener = () => this.receive(signal);
      this.listeners.set(signal, listener);
      options.signals.on(signal, listener);
    }
  }

  /** The first stop's reason; undefined while the run goes on. */
  get reason(): StopReason | undefined {
    return this.stopReason;
  }

  /** How long the run may take once stopped, in seconds (for the messages). */
  get graceSeconds(): number {
    return Math.round(this.graceMs / 100) / 10;
  }

  /** Stops the run (the first reason wins); later calls change nothing. */
  stopWith(reason: StopReason): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.graceTimer = setTimeout(() => this.force("grace-over"), this.graceMs);
    this.controller.abort(reason);
    for (const listener of this.stopListeners) listener(reason);
  }

  /** Called once, at the first stop. */
  onStop(listener: (reason: StopReason) => void): void {
    this.stopListeners.push(listener);
  }

  /** What to do before the process exits early: report and flush what can be flushed, quickly. */
  whenForced(handler: (reason: ForcedReason) => Promise<void> | void): void {
    this.forcedHandler = handler;
  }

  /** Removes the signal handlers and the grace timer: the run has ended by itself. */
  dispose(): void {
    clearTimeout(this.graceTimer);
    for (const [signal, listener] of this.listeners) this.options.signals.off(signal, listener);
    this.listeners.clear();
  }

  private receive(signal: StopSignal): void {
    if (this.stopReason === undefined) this.stopWith({ kind: "signal", signal });
    else this.force("second-signal");
  }

  private force(why: ForcedReason): void {
    const reason = this.stopReason as StopReason;
    const code = exitCodeFor(reason);
    // A signal while the forced report runs: the person means it, exit now.
    if (this.forcing) return this.options.exit(code);
    this.forcing = true;
    clearTimeout(this.graceTimer);
    const boundMs =
      why === "second-signal"
        ? SHUTDOWN_DEFAULTS.secondSignalReportMs
        : (this.options.forcedReportMs ?? SHUTDOWN_DEFAULTS.forcedReportMs);
    let bound: NodeJS.Timeout | undefined;
    const report = Promise.resolve()
      .then(() => this.forcedHandler?.(why))
      .catch(() => undefined);
    const deadline = new Promise<void>((resolve) => {
      bound = setTimeout(resolve, boundMs);
    });
    void Promise.race([report, deadline]).then(() => {
      clearTimeout(bound);
      this.options.exit(code);
    });
  }
}

/**
 * The grace period in ms from `--grace-seconds` or else `DESTINATION_HUBSPOT_GRACE_SECONDS` (0 to 3600 seconds,
 * fractions allowed); undefined when neither is given. A bad value is a usage error naming where it came from.
 */
export function graceMsFrom(option: string | undefined, env: string | undefined): number | undefined {
  const [text, from] =
    option !== undefined ? [option, "--grace-seconds"] : [env, "DESTINATION_HUBSPOT_GRACE_SECONDS"];
  if (text === undefined || text.trim() === "") return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
    throw new UsageError(`${from} must be a number of seconds from 0 to 3600, not ${JSON.stringify(text)}.`);
  }
  return seconds * 1000;
}
