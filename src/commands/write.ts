/**
 * `write`: Airbyte messages (with `--catalog`) or plain JSON records (with `--object`) from stdin into HubSpot.
 * Builds the parts (client with its governor and retry policy, targets and mappers, rejects store), runs the
 * pipeline, and reports totals: LOG messages, plus a human summary on stderr in raw pipe mode.
 */
import type { Readable, Writable } from "node:stream";
import { type Config, configSecrets } from "../config.js";
import { ConfigError } from "../errors.js";
import { toConnectorError as classifyHubSpotError } from "../hubspot/classify.js";
import { createCrmSender } from "../hubspot/crm-batches.js";
import { createHubSpotClient } from "../hubspot/factory.js";
import { CRM_BATCH_LIMIT } from "../hubspot/crm-paths.js";
import { prepareEventDefinitions } from "../hubspot/event-definitions.js";
import { createEventSender, EVENT_LIMITS } from "../hubspot/events.js";
import { RateGovernor } from "../hubspot/rate-governor.js";
import { streamKey } from "../load/checkpoints.js";
import { type Route, runPipeline } from "../load/pipeline.js";
import { describeTotals, type RunStats } from "../load/run-stats.js";
import {
  isEventObject,
  matchingKey,
  planFromCatalog,
  resolveObjects,
  type StreamPlan,
} from "../load/targets.js";
import { WRITE_MODES, type WriteMode } from "../load/types.js";
import { compileEventMapping, type EventMapper } from "../mapping/events.js";
import { compileObjectMapping } from "../mapping/index.js";
import { readLines } from "../protocol/reader.js";
import type { MessageWriter } from "../protocol/writer.js";
import { createRejectsSink } from "../rejects/create-sink.js";
import { readCatalog, readConfig } from "./inputs.js";

export interface WriteOptions {
  config: string;
  catalog?: string;
  object?: string;
  key?: string;
  mode?: string;
}

export async function runWrite(
  options: WriteOptions,
  io: { writer: MessageWriter; stdin: Readable; stderr: Writable },
): Promise<void> {
  const config = await readConfig(options.config);
  io.writer.setSecrets(configSecrets(config));
  const raw = options.catalog === undefined;
  const plans = raw ? [rawPlan(options)] : planFromCatalog(await readCatalog(options.catalog as string));
  if (!raw && (options.object || options.key || options.mode)) {
    throw new ConfigError(
      "--object, --key and --mode are for raw pipe mode; with --catalog the catalog says all that.",
    );
  }

  const log = (level: "INFO" | "WARN", message: string) =>
    raw ? io.stderr.write(`${level.toLowerCase()}: ${message}\n`) : io.writer.log(level, message);
  const { client, governor } = createHubSpotClient(config, { log });
  // Event sends are exempt from the burst limit and capped per second instead: they get their own gate.
  const eventGate = new RateGovernor({
    maxConcurrent: config.max_concurrent_requests,
    initialLimit: EVENT_LIMITS.sendsPerSecond,
    initialIntervalMs: 1000,
  });
  const sink = createRejectsSink(
    config,
    { syncId: plans[0]?.syncId, generationId: plans[0]?.generationId },
    (message) => log("WARN", message),
  );
  let operation = "reading the property definitions of the configured objects";
  try {
    const crmPlans = plans.filter((plan) => !isEventObject(plan.objectName));
    const eventPlans = plans.filter((plan) => isEventObject(plan.objectName));
    const objects = await resolveObjects(
      crmPlans.map((plan) => plan.objectName),
      client,
    );
    operation = "reading the custom event definitions";
    const definitions =
      eventPlans.length > 0 ? await prepareEventDefinitions(client, config.events, log) : [];
    const routes = new Map<string, Route>();
    const eventMappers: EventMapper[] = [];
    for (const plan of crmPlans) {
      const object = objects.get(plan.objectName);
      if (!object) throw new ConfigError(`HubSpot has no object ${plan.objectName}.`);
      if (plan.mode === "send")
        throw new ConfigError(`Stream ${plan.key}: --mode send is for events, not ${plan.objectName}.`);
      routes.set(plan.key, {
        target: { ...plan, objectType: object.objectType, kind: "crm" },
        mapper: compileMapper(config, plan, object.properties),
      });
    }
    for (const plan of eventPlans) {
      if (plan.mode !== "upsert" && plan.mode !== "send") {
        throw new ConfigError(
          `Stream ${plan.key} writes the events ${plan.objectName}, which can only be appended (sent).`,
        );
      }
      const mapper = compileEventMapping({
        objectName: plan.objectName,
        streamKey: plan.key,
        definitions,
        events: config.events,
        unknownProperties: config.unknown_properties,
        dateTimeZone: config.date_time_zone,
      });
      eventMappers.push(mapper);
      routes.set(plan.key, {
        target: {
          ...plan,
          mode: "send",
          objectType: plan.objectName,
          kind: "event",
          batchSize: config.events.batch_size,
          lingerMs: config.events.linger_ms,
        },
        mapper,
      });
    }
    operation = "writing records";
    const batchSize = Math.min(config.batch_size, CRM_BATCH_LIMIT);
    const largestBatch = Math.max(batchSize, eventPlans.length > 0 ? config.events.batch_size : 0);
    const crmSender = createCrmSender(client);
    const eventSender = createEventSender(client, eventGate);
    const stats = await runPipeline(readLines(io.stdin), {
      input: raw
        ? { kind: "raw", route: routes.values().next().value as Route }
        : { kind: "airbyte", routes },
      send: (target, inputs) => (target.kind === "event" ? eventSender : crmSender)(target, inputs),
      sink,
      batchSize,
      lingerMs: config.linger_ms,
      maxInFlightRecords: largestBatch * (config.max_concurrent_requests * 2 + routes.size + 1),
      emitState: (state) => io.writer.state(state),
      log,
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
  const mode = (options.mode ?? (isEventObject(options.object) ? "send" : "upsert")) as WriteMode;
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
  };
}

function compileMapper(
  config: Config,
  plan: StreamPlan,
  properties: Parameters<typeof compileObjectMapping>[0]["properties"],
) {
  return compileObjectMapping({
    objectName: plan.objectName,
    properties,
    matchingKey: plan.idProperty,
    mode: plan.mode === "send" ? "upsert" : plan.mode,
    unknownProperties: config.unknown_properties,
    nullValues: config.null_values,
    dateTimeZone: config.date_time_zone,
  });
}

function report(
  stats: RunStats,
  location: string,
  rateLimited: number,
  raw: boolean,
  log: (level: "INFO" | "WARN", message: string) => void,
  stderr: Writable,
): void {
  for (const [name, totals] of stats.streams) log("INFO", describeTotals(name, totals));
  const all = stats.all;
  if (raw) {
    const codes = [...all.rejectedByCode].map(([code, count]) => `  ${code}: ${count}`).join("\n");
    stderr.write(
      `\nDone. Read ${all.read} records: written ${all.written} (created ${all.created}, updated ${all.updated}), ` +
        `rejected ${all.rejected}.\n${codes ? `Rejected by reason:\n${codes}\n` : ""}` +
        `${all.rejected > 0 ? `Rejected records: ${location}.\n` : ""}` +
        `${rateLimited > 0 ? `HubSpot answered 429 ${rateLimited} times.\n` : ""}`,
    );
  } else {
    log(
      "INFO",
      `Write finished: ${all.written} written, ${all.rejected} rejected (rejected records: ${location}), ${stats.statesEmitted} states echoed.`,
    );
  }
}
