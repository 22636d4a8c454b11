/**
 * The event streams' routes: the account's event definitions read (and, with `events.create_definitions`, made to
 * fit the mappings: definitions.ts), one mapper per stream compiled against them (mapper.ts), and one sender
 * through a gate of its own (HubSpot exempts the send endpoints from the burst limit and caps them per second).
 */
import type { KindRoutes, Route, StreamSpec } from "../../contract.js";
import { ConfigError } from "../../errors.js";
import type { KindRun } from "../kind.js";
import { prepareEventDefinitions } from "./definitions.js";
import { compileEventMapping, type EventMapper } from "./mapper.js";
import { EVENT_PLANNER } from "./planner.js";
import { createEventSender } from "./sender.js";
import { EVENT_TARGET } from "./target.js";
import { EVENT_LIMITS } from "./wire.js";

const CAVEAT = "Whether HubSpot accepts each event is known only when the batch is sent.";

export async function buildEventRoutes(specs: readonly StreamSpec[], run: KindRun): Promise<KindRoutes> {
  const { config } = run;
  run.step("reading the custom event definitions");
  const definitions = await prepareEventDefinitions(run.client, config.events, run.log, {
    dryRun: run.plan !== undefined,
  });
  const send = createEventSender(run.client, run.separateGate(EVENT_LIMITS.sendsPerSecond), run.isolation);
  const mappers: EventMapper[] = [];
  const routes = specs.map((spec): Route => {
    if (spec.mode !== "upsert" && spec.mode !== "send") {
      throw new ConfigError(
        `Stream ${spec.key} writes the events ${spec.objectName}, which can only be appended (sent).`,
      );
    }
    const mapper = compileEventMapping({
      objectName: spec.objectName,
      streamKey: spec.key,
      definitions,
      events: config.events,
      unknownProperties: config.unknown_properties,
      dateTimeZone: config.date_time_zone,
    });
    mappers.push(mapper);
    const target = {
      ...spec,
      mode: "send" as const,
      objectType: spec.objectName,
      ...EVENT_TARGET,
      batchSize: config.events.batch_size,
      lingerMs: config.events.linger_ms,
    };
    return { target, mapper, send, plan: EVENT_PLANNER, timed: true };
  });
  run.plan?.context.caveat(CAVEAT);
  return { routes, closing: () => leftOut(mappers), slotRecords: config.events.batch_size };
}

/** The properties past HubSpot's 50 that a mapping carries, left out of every event that had them. */
function leftOut(mappers: readonly EventMapper[]): string[] {
  return mappers.flatMap((mapper) =>
    [...mapper.droppedProperties].map(
      ([property, count]) =>
        `Left out event property ${property} from ${count} events: HubSpot takes at most 50 properties per event.`,
    ),
  );
}
