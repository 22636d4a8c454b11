/**
 * Progress of a long write, for the person or platform waiting on it. Never on stdout except as LOG messages.
 * - On a terminal (stderr is a TTY): one live line on stderr, redrawn at most every LIVE_REDRAW_MS.
 * - Off a terminal: a line every `intervalMs` (default ~10 s; `DESTINATION_HUBSPOT_PROGRESS_INTERVAL_MS`
 *   overrides it): on stderr in raw pipe mode, as a LOG message in Airbyte mode. A run shorter than that says
 *   nothing but its summary.
 * Timers are unref'd: progress never keeps the process alive.
 */
import type { RequestTally } from "../hubspot/request-tally.js";
import type { RunStats } from "../load/run-stats.js";

export const PROGRESS_DEFAULTS = {
  /** Fastest redraw of the live line. @default 250 ms */
  liveRedrawMs: 250,
  /** Interval of progress lines off a terminal. @default 10 s */
  lineIntervalMs: 10_000,
} as const;

/** The environment variable that sets the interval of progress lines off a terminal, in ms (tests use it). */
export const PROGRESS_INTERVAL_ENV = "DESTINATION_HUBSPOT_PROGRESS_INTERVAL_MS";

export interface ProgressSource {
  stats: RunStats;
  requests: RequestTally;
  /** Milliseconds requests waited at the rate governors so far. */
  waitedMs: () => number;
}

export interface ProgressOptions {
  source: ProgressSource;
  /** Where progress goes: a live line on a terminal, or a line at a time. */
  output:
    | { kind: "live"; write: (text: string) => void; columns?: number }
    | { kind: "lines"; line: (text: string) => void };
  /** @default PROGRESS_DEFAULTS.lineIntervalMs */
  intervalMs?: number;
  now?: () => number;
}

export interface Progress {
  /** Clears the live line so another line can be written; the next redraw brings it back. */
  clear(): void;
  /** Stops the timer and clears the live line, so the summary starts on a clean line. */
  stop(): void;
}

/** The interval of progress lines from the environment, when it holds a positive number of ms. */
export function progressIntervalFrom(env: Record<string, string | undefined>): number | undefined {
  const value = Number(env[PROGRESS_INTERVAL_ENV]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function startProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  const { output } = options;
  if (output.kind === "lines") {
    const timer = setInterval(
      () => output.line(describeProgress(options.source, now() - started)),
      options.intervalMs ?? PROGRESS_DEFAULTS.lineIntervalMs,
    );
    timer.unref();
    return { clear: () => {}, stop: () => clearInterval(timer) };
  }
  let shown = "";
  const redraw = () => {
    const text = fit(describeProgress(options.source, now() - started), output.columns);
    if (text === shown) return;
    shown = text;
    output.write(`\r${text}\u001b[K`);
  };
  const timer = setInterval(redraw, PROGRESS_DEFAULTS.liveRedrawMs);
  timer.unref();
  const clear = () => {
    if (shown !== "") output.write("\r\u001b[K");
    shown = "";
  };
  return {
    clear,
    stop() {
      clearInterval(timer);
      clear();
    },
  };
}

/** "read 1200, written 1150, rejected 12, 95 records/s, 14 requests (429: 0), 3.2 request-seconds waiting for the rate limit, 12 s". */
export function describeProgress(source: ProgressSource, elapsedMs: number): string {
  const all = source.stats.all;
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const rate = Math.round((all.written + all.rejected + all.skipped) / seconds);
  const waited = Math.round(source.waitedMs() / 100) / 10;
  return (
    `progress: read ${all.read}, written ${all.written}, rejected ${all.rejected}, ${rate} records/s, ` +
    `${source.requests.sent} requests (429: ${source.requests.count(429)}), ${waited} request-seconds waiting for the rate limit, ` +
    `${Math.round(elapsedMs / 1000)} s`
  );
}

function fit(text: string, columns: number | undefined): string {
  return columns !== undefined && columns > 1 && text.length >= columns ? text.slice(0, columns - 1) : text;
}
