/**
 * `write`: Airbyte messages (with `--catalog`) or plain JSON records (with `--object`) from stdin into HubSpot.
 * Builds the parts (client with its governor and retry policy, routes, rejects store), runs the pipeline, and
 * reports totals: LOG messages, plus a human summary on stderr in raw pipe mode.
 */
import type { Readable, Writable } from "node:stream";
import { configSecrets } from "../config.js";
import { WRITE_MODES, type WriteMode } from "../contract.js";
import { ConfigError } from "../errors.js";
import { toConnectorError as classifyHubSpotError } from "../hubspot/classify.js";
import { createCrmSender } from "../hubspot/crm-batches.js";
import { createEventSender, EVENT_LIMITS } from "../hubspot/events.js";
import { createHubSpotClient } from "../hubspot/factory.js";
import { CRM_BATCH_LIMIT } from "../hubspot/policies.js";
import { RateGovernor } from "../hubspot/rate-governor.js";
import { streamKey } from "../load/checkpoints.js";
import { type PipelineResult, type Route, runPipeline } from "../load/pipeline.js";
import { describeEffects, describeTotals } from "../load/run-stats.js";
import {
  defaultWriteMode,
  isEventObject,
  matchingKey,
  planFromCatalog,
  type StreamPlan,
} from "../load/targets.js";
import { readLines } from "../protocol/reader.js";
import type { MessageWriter } from "../protocol/writer.js";
import { createRejectsSink } from "../rejects/create-sink.js";
import { readCatalog, readConfig } from "./inputs.js";
import { buildRoutes } from "./write-routes.js";

export interface WriteOptions {
  config: string;
  catalog?: string;
  object?: string;
  key?: string;
  mode?: string;
}

type Log = (level: "INFO" | "WARN", message: string) => void;

export async function runWrite(
  options: WriteOptions,
  io: { writer: MessageWriter; stdin: Readable; stderr: Writable; stop?: AbortSignal },
): Promise<PipelineResult> {
  const config = await readConfig(options.config);
  io.writer.setSecrets(configSecrets(config));
  const raw = options.catalog === undefined;
  const plans = raw ? [rawPlan(options)] : planFromCatalog(await readCatalog(options.catalog as string));
  if (!raw && (options.object || options.key || options.mode)) {
    throw new ConfigError(
      "--object, --key and --mode are for raw pipe mode; with --catalog the catalog says all that.",
    );
  }
  const mask = (text: string) => io.writer.mask.apply(text);
  const log: Log = (level, message) =>
    raw ? io.stderr.write(`${level.toLowerCase()}: ${mask(message)}\n`) : io.writer.log(level, message);
  const { client, governor } = createHubSpotClient(config, {
    log,
    onAccessToken: (token) => io.writer.setSecrets([token]),
  });
  // Event sends are exempt from the burst limit and capped per second instead: they get their own gate.
  const eventGate = new RateGovernor({
    maxConcurrent: config.max_concurrent_requests,
    initialLimit: EVENT_LIMITS.sendsPerSecond,
    initialIntervalMs: 1000,
  });
  const sink = createRejectsSink(config, { syncId: plans[0]?.syncId }, (message) => log("WARN", message));
  let operation = "reading the property definitions of the configured objects";
  try {
    const { routes, eventMappers, hasEvents, stages, senders } = await buildRoutes(
      config,
      plans,
      client,
      log,
      (step) => {
        operation = step;
      },
    );
    operation = "writing records";
    const batchSize = Math.min(config.batch_size, CRM_BATCH_LIMIT);
    const largestBatch = Math.max(batchSize, hasEvents ? config.events.batch_size : 0);
    const crmSender = createCrmSender(client, client.paths);
    const eventSender = createEventSender(client, eventGate);
    const stats = await runPipeline(readLines(io.stdin), {
      input: raw
        ? { kind: "raw", route: routes.values().next().value as Route }
        : { kind: "airbyte", routes },
      send: (target, inputs, screen) =>
        (senders[target.kind] ?? (target.kind === "event" ? eventSender : crmSender))(target, inputs, screen),
      stages,
      sink,
      batchSize,
      lingerMs: config.linger_ms,
      maxInFlightRecords: largestBatch * (config.max_concurrent_requests * 2 + routes.size + 1),
      emitState: (state) => io.writer.state(state),
      log,
      redact: mask,
      ...(io.stop ? { stop: io.stop } : {}),
    });
    operation = "storing rejected records";
    await sink.close();
    for (const mapper of eventMappers) {
      for (const [property, count] of mapper.droppedProperties) {
        log(
          "WARN",
          `Left out event property ${property} from ${count} events: HubSpot takes at most 50 properties per event.`,
        );
      }
    }
    report(stats, sink.location, governor.rateLimited + eventGate.rateLimited, raw, log, io.stderr);
    return stats;
  } catch (error) {
    throw classifyHubSpotError(error, { operation });
  } finally {
    await client.close();
  }
}

function rawPlan(options: WriteOptions): StreamPlan {
  if (!options.object) {
    throw new ConfigError(
      "write needs --catalog (Airbyte mode) or --object (raw pipe mode of plain JSON lines).",
    );
  }
  const mode = (options.mode ?? defaultWriteMode(options.object)) as WriteMode;
  if (!WRITE_MODES.includes(mode)) throw new ConfigError(`--mode must be one of ${WRITE_MODES.join(", ")}.`);
  const label = `--object ${options.object}`;
  return {
    key: streamKey("stdin"),
    streamName: "stdin",
    namespace: undefined,
    objectName: options.object,
    mode,
    idProperty: isEventObject(options.object)
      ? "uuid"
      : matchingKey(label, options.object, options.key ? [[options.key]] : undefined),
    syncId: undefined,
    generationId: undefined,
    raw: true,
  };
}

function report(
  stats: PipelineResult,
  location: string,
  rateLimited: number,
  raw: boolean,
  log: Log,
  stderr: Writable,
): void {
  for (const [name, totals] of stats.streams) log("INFO", describeTotals(name, totals));
  const all = stats.all;
  if (raw) {
    const codes = [...all.rejectedByCode].map(([code, count]) => `  ${code}: ${count}`).join("\n");
    const effects = describeEffects(all);
    stderr.write(
      `\nDone. Read ${all.read} records: written ${all.written}${effects ? ` (${effects})` : ""}, ` +
        `rejected ${all.rejected}${all.skipped > 0 ? `, skipped ${all.skipped} (left out by events.mappings)` : ""}.\n` +
        `${codes ? `Rejected by reason:\n${codes}\n` : ""}` +
        `${all.rejected > 0 ? `Rejected records: ${location}.\n` : ""}` +
        `${rateLimited > 0 ? `HubSpot answered 429 ${rateLimited} times.\n` : ""}`,
    );
  } else {
    log(
      "INFO",
      `Write finished: ${all.written} written, ${all.rejected} rejected (rejected records: ${location})` +
        `${all.skipped > 0 ? `, ${all.skipped} events skipped (left out by events.mappings; in neither state count)` : ""}` +
        `, ${stats.statesEmitted} states echoed.`,
    );
  }
}
