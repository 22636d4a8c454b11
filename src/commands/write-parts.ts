/**
 * The parts a `write` run is built from, each made once per run: its log, its HubSpot clients (one request tally,
 * one governor, a gate of its own for event sends), its senders (with the isolation counts the receipt reports),
 * its progress line, and the stream plan of raw pipe mode.
 */
import type { Config } from "../config/schema.js";
import { type BatchSender, WRITE_MODES, type WriteMode } from "../contract.js";
import type { RunGuards } from "../guards/index.js";
import { createCrmSender } from "../targets/crm-object/sender.js";
import { createEventSender, EVENT_LIMITS } from "../targets/event/wire.js";
import { createHubSpotClient } from "../hubspot/factory.js";
import { canonicalObjectName } from "../hubspot/policies.js";
import type { IsolationOptions } from "../hubspot/isolate.js";
import { RateGovernor } from "../hubspot/rate-governor.js";
import type { RequestTally } from "../hubspot/request-tally.js";
import { streamKey } from "../protocol/stream-key.js";
import type { RunStats } from "../load/run-stats.js";
import { defaultMatchingKey, defaultWriteMode, isEventObject, type StreamSpec } from "../targets/streams.js";
import { isListObject, parseListObject } from "../targets/list/names.js";
import type { MessageWriter } from "../protocol/writer.js";
import { UsageError } from "../errors.js";
import { progressIntervalFrom, startProgress, type Progress } from "./progress.js";
import type { Shutdown } from "./shutdown.js";
import type { WriteIo, WriteOptions } from "./write.js";
import type { Log } from "./write-summary.js";

/** Log lines: LOG messages in Airbyte mode; `level: message` on stderr for people, clearing the live line first. */
export function createLog(io: WriteIo, human: boolean, progress: () => Progress | undefined): Log {
  return (level, message) => {
    if (!human) return io.writer.log(level, message);
    progress()?.clear();
    io.stderr.write(`${level.toLowerCase()}: ${io.writer.mask.apply(message)}\n`);
  };
}

/** The HubSpot client with its governor (watched by the daily-budget guard), and the separate gate for events. */
export function createClients(config: Config, log: Log, writer: MessageWriter, guards: RunGuards) {
  const { client, governor, tally, retry } = createHubSpotClient(config, {
    log,
    onAccessToken: (token) => writer.setSecrets([token]),
    wrapGate: (gate) => guards.watchGate(gate),
  });
  // Event sends are exempt from the burst limit and capped per second instead: they get their own gate.
  const eventGate = new RateGovernor({
    maxConcurrent: config.max_concurrent_requests,
    initialLimit: EVENT_LIMITS.sendsPerSecond,
    initialIntervalMs: 1000,
  });
  return { client, governor, eventGate, eventSendGate: guards.guardGate(eventGate), tally, retry };
}

export type RunClients = ReturnType<typeof createClients>;

/** What isolating refused batches cost, for the receipt. */
export interface IsolationCounts {
  recordsIsolated: number;
  extraRequests: number;
}

/** The CRM and event senders of a write, counting isolation; the guards' caps go around the whole sender. */
export function createSenders(
  clients: RunClients,
  counts: IsolationCounts,
): { crm: BatchSender; event: BatchSender } {
  const isolation: IsolationOptions = {
    onExtraRequest: () => (counts.extraRequests += 1),
    onIsolated: (inputs) => (counts.recordsIsolated += inputs),
  };
  return {
    crm: createCrmSender(clients.client, clients.client.paths, isolation),
    event: createEventSender(clients.client, clients.eventSendGate, isolation),
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

/** Raw pipe mode or Airbyte mode: exactly one of `--object` and `--catalog`, else a usage error. */
export function checkCommandLine(options: WriteOptions): boolean {
  if (options.catalog === undefined && options.object === undefined) {
    throw new UsageError(
      "write needs --catalog (Airbyte mode) or --object (raw pipe mode of plain JSON lines).",
    );
  }
  if (options.catalog !== undefined && (options.object || options.key || options.mode)) {
    throw new UsageError(
      "--object, --key and --mode are for raw pipe mode; with --catalog the catalog says all that.",
    );
  }
  if (options.plan !== undefined && options.rejects !== undefined) {
    throw new UsageError(
      "--plan writes nothing but the plan file (its reject lines included); --rejects is for a write.",
    );
  }
  return options.catalog === undefined;
}

export function rawPlan(options: WriteOptions): StreamSpec {
  const object = canonicalObjectName(options.object as string);
  const mode = (options.mode ?? defaultWriteMode(object)) as WriteMode;
  if (!WRITE_MODES.includes(mode)) throw new UsageError(`--mode must be one of ${WRITE_MODES.join(", ")}.`);
  const label = `--object ${object}`;
  // A CRM object without a default key is asked for one once its properties are read (write-routes.ts), so the
  // usage error can list them; a list of such an object needs `--key` at once.
  const key = options.key ?? defaultMatchingKey(object);
  if (key === undefined && isListObject(object)) {
    throw new UsageError(
      `${label} needs --key: the unique-value property of ${parseListObject(object)?.objectName} that names each member (only lists of contacts default to email).`,
    );
  }
  return {
    key: streamKey("stdin"),
    streamName: "stdin",
    namespace: undefined,
    objectName: object,
    mode,
    idProperty: isEventObject(object) ? "uuid" : (key ?? ""),
    syncId: undefined,
    generationId: undefined,
    raw: true,
  };
}
