/**
 * The parts a write run is built from, each made once per run: its log, its HubSpot clients (one request tally,
 * one governor, separate gates where a kind asks), the isolation counts the receipt reports, its progress line.
 */
import type { Config } from "../config/schema.js";
import type { RunGuards } from "../guards/index.js";
import { createHubSpotClient } from "../hubspot/factory.js";
import type { RequestGate } from "../hubspot/http-types.js";
import type { IsolationOptions } from "../hubspot/isolate.js";
import { RateGovernor } from "../hubspot/rate-governor.js";
import type { RequestTally } from "../hubspot/request-tally.js";
import type { RunStats } from "../load/run-stats.js";
import type { MessageWriter } from "../protocol/writer.js";
import { progressIntervalFrom, startProgress, type Progress } from "./progress.js";
import type { Shutdown } from "./shutdown.js";
import type { Log, WriteIo } from "./types.js";

/** Log lines: LOG messages in Airbyte mode; `level: message` on stderr for people, clearing the live line first. */
export function createLog(io: WriteIo, human: boolean, progress: () => Progress | undefined): Log {
  return (level, message) => {
    if (!human) return io.writer.log(level, message);
    progress()?.clear();
    io.stderr.write(`${level.toLowerCase()}: ${io.writer.mask.apply(message)}\n`);
  };
}

/**
 * The HubSpot client with its governor (watched by the daily-budget guard), and the separate gates a kind may ask
 * for (custom events: HubSpot exempts their sends from the burst limit and caps them per second instead), each
 * halted with the run and counted in the waits the receipt reports.
 */
export function createClients(config: Config, log: Log, writer: MessageWriter, guards: RunGuards) {
  const { client, governor, tally, retry } = createHubSpotClient(config, {
    log,
    onAccessToken: (token) => writer.setSecrets([token]),
    wrapGate: (gate) => guards.watchGate(gate),
  });
  const separate = new Map<number, RateGovernor>();
  const separateGate = (perSecond: number): RequestGate => {
    let gate = separate.get(perSecond);
    if (!gate) {
      gate = new RateGovernor({
        maxConcurrent: config.max_concurrent_requests,
        initialLimit: perSecond,
        initialIntervalMs: 1000,
      });
      separate.set(perSecond, gate);
    }
    return guards.guardGate(gate);
  };
  /** Time requests waited for the rate limit, in ms, across the governor and the separate gates. */
  const waitedMs = () => [...separate.values()].reduce((sum, gate) => sum + gate.waitedMs, governor.waitedMs);
  return { client, governor, separateGate, waitedMs, tally, retry };
}

export type RunClients = ReturnType<typeof createClients>;

/** What isolating refused batches cost, for the receipt. */
export interface IsolationCounts {
  recordsIsolated: number;
  extraRequests: number;
}

/** Counts what isolating refused batches costs, for the receipt. */
export function countingIsolation(counts: IsolationCounts): IsolationOptions {
  return {
    onExtraRequest: () => (counts.extraRequests += 1),
    onIsolated: (inputs) => (counts.recordsIsolated += inputs),
  };
}

export function startRunProgress(
  io: WriteIo,
  human: boolean,
  stats: RunStats,
  requests: RequestTally,
  waitedMs: () => number,
): Progress {
  const source = { stats, requests, waitedMs };
  if (io.stderr.isTTY) {
    return startProgress({ source, output: { kind: "live", write: (text) => io.stderr.write(text) } });
  }
  const intervalMs = progressIntervalFrom(io.env ?? process.env);
  const line = human
    ? (text: string) => io.stderr.write(`${text}\n`)
    : (text: string) => io.writer.log("INFO", text);
  return startProgress({ source, output: { kind: "lines", line }, ...(intervalMs ? { intervalMs } : {}) });
}

/** Airbyte mode: once stdout is gone no STATE can reach anyone; stop instead of spending the API budget. */
export function watchStdout(writer: MessageWriter, shutdown: Shutdown): void {
  const stop = () => shutdown.stopWith({ kind: "stdout-closed" });
  if (writer.gone.aborted) stop();
  else writer.gone.addEventListener("abort", stop, { once: true });
}
