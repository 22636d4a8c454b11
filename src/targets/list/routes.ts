/**
 * The list streams' routes, built before any record is read: each stream prepared (prepare.ts), then the one
 * sender and the one stage every list stream shares. Everything wrong here is the user's to fix: a ConfigError
 * naming the stream and the list.
 *
 * In a write, missing members' records are upserted through the crm-object kind's sender with the guards' caps
 * around it (`max_creates` counts them as the main sender's), a sweep's removals pass `max_list_removals` first,
 * and the markers are deleted through the governor alone at the end (`release`). A plan builds the same routes
 * over stand-ins that send no write (planning.ts): the Lists API calls, the key reads (counted as the write's
 * requests) and the CRM planner for missing members; the lists' log becomes the plan's notes.
 */
import type { BatchSender, KindRoutes, Route, StreamSpec, WriteTarget } from "../../contract.js";
import { planNotes } from "../../dry-run/planner.js";
import type { JsonTransport } from "../../hubspot/transport.js";
import { createCrmPlanner } from "../crm-object/planner.js";
import { createCrmSender } from "../crm-object/sender.js";
import type { KindRun } from "../kind.js";
import { type ListCalls, ListsApi } from "./api.js";
import { releaseMarker } from "./overwrite-marker.js";
import { countingTransport, listPlanner, PlanningLists } from "./planning.js";
import { checkWriters, type ListContext, openStream, type PreparedStream, prepareStream } from "./prepare.js";
import { KnownIds } from "./record-ids.js";
import type { ListRun } from "./run.js";
import { createListSender } from "./sender.js";
import { createListStage } from "./stage.js";

const CAVEAT =
  "Members others add to or remove from a list between the plan and the write change its add, remove and unchanged verdicts, and an overwrite's sweep.";

/** What differs between a write and a plan of the list streams. */
interface ListCalling {
  api: ListCalls;
  transportFor: (target: WriteTarget) => JsonTransport;
  crmSender: BatchSender;
  beforeListRemovals: (count: number) => Promise<void>;
}

export async function buildListRoutes(specs: readonly StreamSpec[], run: KindRun): Promise<KindRoutes> {
  checkWriters(specs);
  run.step("finding the lists (segments) the catalog writes");
  const runs = new Map<string, ListRun>();
  const calling = listCalling(run, runs);
  const log = run.plan ? planNotes(run.plan.context) : run.log;
  const context: ListContext = { config: run.config, api: calling.api, objects: run.objects, log };
  const known = new KnownIds();
  const prepared: PreparedStream[] = [];
  for (const spec of specs) {
    const stream = await prepareStream(context, spec);
    prepared.push(stream);
    runs.set(spec.key, stream.run);
    known.want(stream.run.target.objectType, stream.run.target.idProperty);
  }
  const send = listSender(run, calling, runs, known);
  const plan = run.plan ? listPlanner(send) : undefined;
  const routes: Route[] = prepared.map(({ run: stream, mapper }) => ({
    target: stream.target,
    mapper,
    send,
    plan,
  }));
  const onRemoved = (target: WriteTarget, count: number) =>
    run.stats.effectApart(target.key, "removed", count);
  const raw = specs.some((spec) => spec.raw === true);
  const { api, beforeListRemovals } = calling;
  const stage = createListStage({ api, runs, known, raw, log, beforeListRemovals, onRemoved });
  run.plan?.context.caveat(CAVEAT);
  return {
    routes,
    stages: [stage],
    open: async () => {
      for (const stream of prepared) await openStream(context, stream);
    },
    release: async () => {
      for (const { marker } of runs.values())
        if (marker) await releaseMarker(api, marker, log, run.releaseGate);
    },
  };
}

/** The Lists API, key reads, missing members' upserts and removals guard of a write, or a plan's stand-ins. */
function listCalling(run: KindRun, runs: ReadonlyMap<string, ListRun>): ListCalling {
  const { client } = run;
  const real = new ListsApi(client, client.paths);
  if (!run.plan) {
    return {
      api: real,
      transportFor: () => client,
      crmSender: run.wrapSender(createCrmSender(client, client.paths)),
      beforeListRemovals: (count) => run.beforeListRemovals(count),
    };
  }
  const { context, projection } = run.plan;
  const crm = createCrmPlanner({
    transport: client,
    paths: client.paths,
    definitions: (target) => run.objects.propertiesOf(target.objectName),
    projection,
  });
  return {
    api: new PlanningLists(real, runs, { context, transport: client, paths: client.paths }),
    transportFor: (target) => countingTransport(client, context, target),
    // A missing member's upsert is a request of the list stream's batch, not a batch of its own.
    crmSender: (target, inputs) =>
      crm.plan(target, inputs, { ...context, wouldSend: (of, count) => context.wouldRequest(of, count) }),
    beforeListRemovals: async (count) => context.wouldRemoveListMembers(count),
  };
}

/** One sender per stream behind one function, so that a plan can count each stream's key reads as its own. */
function listSender(
  run: KindRun,
  calling: ListCalling,
  runs: ReadonlyMap<string, ListRun>,
  known: KnownIds,
): BatchSender {
  const senders = new Map<string, BatchSender>();
  const onCreated = (of: WriteTarget, count: number) => run.stats.effectApart(of.key, "created", count);
  return (target, inputs, screen) => {
    let send = senders.get(target.key);
    if (!send) {
      const transport = calling.transportFor(target);
      const { api, crmSender } = calling;
      send = createListSender({ api, transport, paths: run.client.paths, crmSender, known, runs, onCreated });
      senders.set(target.key, send);
    }
    return send(target, inputs, screen);
  };
}
