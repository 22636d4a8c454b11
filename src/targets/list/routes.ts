/**
 * Builds what list streams need before any record is read: for each `list:` stream, the list (found, or created
 * with `lists.create_missing_lists`), its object's mapper, and (overwrite) its staging list; then the one sender
 * and the one stage every list stream shares. Everything wrong here is the user's to fix: a ConfigError naming the
 * stream and the list.
 *
 * 1. Read the name and the mode; a list written by an overwrite stream may have no other writer in the catalog.
 * 2. Find the list (find-list.ts); resolve the object it holds and compile that object's mapper (mapper.ts): keys
 *    are converted exactly as a CRM stream's (emails normalised), and with `create_missing_records` the other
 *    properties too. A missing list is created only after its mapper compiled.
 * 3. A raw overwrite claims its list with a marker, refused while another run's marker is there; an Airbyte-mode
 *    one is refused by such a marker too (overwrite-marker.ts). Then an overwrite in Airbyte mode deletes its
 *    list's staging lists of earlier generations and finds or creates its own generation's; a replayed one only
 *    finds it (staging.ts). `release` deletes the markers once the run has ended.
 * A plan builds the same routes over stand-ins for the Lists API and the CRM sender (`ListSeams`) that send no
 * write, so the lists it would create or delete are only said.
 */
import type { Config } from "../../config/schema.js";
import type { BatchSender, RecordMapper, RecordStage, WriteTarget } from "../../contract.js";
import { ConfigError } from "../../errors.js";
import type { HubSpotClient } from "../../hubspot/client.js";
import type { RequestGate } from "../../hubspot/http.js";
import { createCrmSender } from "../crm-object/sender.js";
import type { JsonTransport } from "../../hubspot/transport.js";
import { type ResolvedObject, resolveObjects, type StreamSpec } from "../streams.js";
import { compileObjectMapping } from "../../mapping/index.js";
import { type ListCalls, ListsApi } from "./api.js";
import { findList } from "./find-list.js";
import { listRecordMapper } from "./mapper.js";
import { DEFAULT_LIST_OBJECT, objectNameOfType, parseListObject } from "./names.js";
import { LIST_LIMITS, LIST_WRITE_MODES } from "./policies.js";
import { KnownIds } from "./record-ids.js";
import type { ListRun } from "./run.js";
import { createListSender } from "./sender.js";
import { createListStage } from "./stage.js";
import {
  claimOverwrite,
  type OverwriteMarker,
  refuseDuringRawOverwrite,
  releaseMarker,
} from "./overwrite-marker.js";
import { prepareStaging } from "./staging.js";
import { CRM_OBJECT_TARGET } from "../crm-object/target.js";
import { LIST_TARGET } from "./target.js";
import { listSize, type HubSpotList } from "./wire.js";

type Log = (level: "INFO" | "WARN", message: string) => void;

export interface ListRoutes {
  routes: Map<string, { target: WriteTarget; mapper: RecordMapper }>;
  /** The sender of every target of kind `list`. */
  sender: BatchSender;
  /** Learns ids and stream statuses; sweeps overwrites at the end. */
  stage: RecordStage;
  /** Deletes the raw overwrites' markers (overwrite-marker.ts): called once the run has ended, however it ended. */
  release: () => Promise<void>;
}

/** What a run may put in place of the list streams' HubSpot calls, and hear from them. */
export interface ListSeams {
  /** The Lists API calls, over the client's own and the runs by stream key (filled as they are prepared). */
  api?: (real: ListsApi, runs: ReadonlyMap<string, ListRun>) => ListCalls;
  /** The transport a target's key reads go through. @default the client */
  transportFor?: (target: WriteTarget) => JsonTransport;
  /** What upserts missing members' records (create_missing_records). @default the client's CRM sender */
  crmSender?: BatchSender;
  /** Before an overwrite sweep's removals, with all of them: the `max_list_removals` guard. */
  beforeListRemovals?: (count: number) => Promise<void>;
  /** Told of records created for members and of members a sweep removed (the run's counts). */
  onEffect?: (target: WriteTarget, effect: "created" | "removed", count: number) => void;
  /** The admission of the markers' deletion at the end, which must pass a guard's halt (the governor alone). */
  releaseGate?: RequestGate;
}

interface Context {
  config: Config;
  client: HubSpotClient;
  api: ListCalls;
  objects: Map<string, ResolvedObject>;
  log: Log;
}

export async function buildListRoutes(
  config: Config,
  plans: readonly StreamSpec[],
  client: HubSpotClient,
  objects: Map<string, ResolvedObject>,
  log: Log,
  seams: ListSeams = {},
): Promise<ListRoutes> {
  checkWriters(plans);
  const runs = new Map<string, ListRun>();
  const real = new ListsApi(client, client.paths);
  const api = seams.api?.(real, runs) ?? real;
  const context: Context = { config, client, api, objects: new Map(objects), log };
  const known = new KnownIds();
  const routes: ListRoutes["routes"] = new Map();
  const release = async () => {
    for (const run of runs.values()) {
      if (run.marker) await releaseMarker(api, run.marker, log, seams.releaseGate);
    }
  };
  try {
    for (const plan of plans) {
      const { run, mapper } = await prepareRun(context, plan);
      runs.set(plan.key, run);
      known.want(run.target.objectType, run.target.idProperty);
      routes.set(plan.key, { target: run.target, mapper });
    }
  } catch (error) {
    await release();
    throw error;
  }
  const crmSender = seams.crmSender ?? createCrmSender(client, client.paths);
  // One sender per stream, so that a plan can count each stream's key reads as its own.
  const senders = new Map<string, BatchSender>();
  const sender: BatchSender = (target, inputs, screen) => {
    let send = senders.get(target.key);
    if (!send) {
      const transport = seams.transportFor?.(target) ?? client;
      const onCreated = (of: WriteTarget, count: number) => seams.onEffect?.(of, "created", count);
      send = createListSender({ api, transport, paths: client.paths, crmSender, known, runs, onCreated });
      senders.set(target.key, send);
    }
    return send(target, inputs, screen);
  };
  const raw = plans.some((plan) => plan.raw === true);
  const { beforeListRemovals, onEffect } = seams;
  const onRemoved = (target: WriteTarget, count: number) => onEffect?.(target, "removed", count);
  const stage = createListStage({ api, runs, known, raw, log, beforeListRemovals, onRemoved });
  return { routes, sender, stage, release };
}

/** Step 1: modes, and an overwritten list's single writer. */
function checkWriters(plans: readonly StreamSpec[]): void {
  const byList = new Map<string, StreamSpec[]>();
  for (const plan of plans) {
    const parsed = parseListObject(plan.objectName);
    if (!parsed) throw new ConfigError(`Stream ${plan.key} names no list: write list:<list name>.`);
    if (!LIST_WRITE_MODES.includes(plan.mode)) {
      throw new ConfigError(
        `Stream ${plan.key} writes list ${parsed.listName} in mode ${plan.mode}; a list takes add (append), remove (soft_delete) or replace (overwrite).`,
      );
    }
    const name = parsed.listName.toLowerCase();
    byList.set(name, [...(byList.get(name) ?? []), plan]);
  }
  for (const writers of byList.values()) {
    const replacing = writers.find((plan) => plan.mode === "replace");
    if (replacing && writers.length > 1) {
      throw new ConfigError(
        `Streams ${writers.map((plan) => plan.key).join(", ")} all write list ${replacing.objectName}, which ${replacing.key} overwrites: its sweep would remove the others' members. Give an overwritten list one stream.`,
      );
    }
  }
}

/** Steps 2 and 3 for one stream. */
async function prepareRun(
  context: Context,
  plan: StreamSpec,
): Promise<{ run: ListRun; mapper: RecordMapper }> {
  const { listName, objectName: pinned } = parseListObject(plan.objectName) as NonNullable<
    ReturnType<typeof parseListObject>
  >;
  const label = `Stream ${plan.key}`;
  const wanted = await resolveObject(context, pinned ?? DEFAULT_LIST_OBJECT);
  const found = await findList(context.api, label, listName, {
    objectTypeId: wanted.objectType,
    pinned: pinned !== undefined,
  });
  const object =
    found.objectTypeId === wanted.objectType
      ? wanted
      : await resolveObject(context, objectNameOfType(found.objectTypeId));
  const createMissing = context.config.lists.create_missing_records && plan.mode !== "remove";
  const hint =
    found.list === undefined && pinned === undefined
      ? " A list created on demand holds contacts unless it is named list[OBJECT]:<name>."
      : "";
  const list = `${listName} of ${object.objectName}`;
  const mapper = compileMapper(context.config, plan, object, createMissing, list, hint);
  const existing = found.list;
  const written = existing ?? (await createList(context, label, listName, object));
  const replay = plan.replay === true;
  const { marker, kept } = await markOverwrite(context.api, plan, written);
  const stream = { mode: plan.mode, generationId: plan.generationId, replay };
  const staging = plan.raw
    ? undefined
    : await prepareStaging(context.api, written, stream, context.log, kept);
  const run = newRun(plan, written, object, {
    createdThisRun: existing === undefined,
    staging,
    createMissing,
    replay,
    marker,
  });
  return { run, mapper };
}

/**
 * Step 3's first part: a raw overwrite claims the list with its marker; an Airbyte-mode overwrite only makes sure no
 * raw one runs, and hands the lists its search found to the staging step (overwrite-marker.ts). A replay sweeps
 * nothing, so it needs neither.
 */
async function markOverwrite(
  api: ListCalls,
  plan: StreamSpec,
  list: HubSpotList,
): Promise<{ marker?: OverwriteMarker; kept?: HubSpotList[] }> {
  if (plan.mode !== "replace" || plan.replay === true) return {};
  if (plan.raw) return { marker: await claimOverwrite(api, list) };
  return { kept: await refuseDuringRawOverwrite(api, list) };
}

function newRun(
  plan: StreamSpec,
  list: HubSpotList,
  object: ResolvedObject,
  facts: Pick<ListRun, "createdThisRun" | "staging" | "createMissing" | "replay" | "marker">,
): ListRun {
  const target: WriteTarget = {
    ...plan,
    objectType: list.objectTypeId,
    ...LIST_TARGET,
    batchSize: LIST_LIMITS.recordsPerBatch,
  };
  return {
    ...facts,
    target,
    list: { listId: list.listId, name: list.name, size: listSize(list), reserved: 0, readAt: Date.now() },
    objectName: object.objectName,
    upsertTarget: {
      ...target,
      objectName: object.objectName,
      ...CRM_OBJECT_TARGET,
      mode: "upsert",
      batchSize: undefined,
    },
    seen: plan.mode === "replace" ? new Set() : undefined,
    createdRecords: 0,
    unresolved: 0,
  };
}

async function resolveObject(context: Context, objectName: string): Promise<ResolvedObject> {
  const known = context.objects.get(objectName);
  if (known) return known;
  const resolved = (await resolveObjects([objectName], context.client)).get(objectName) as ResolvedObject;
  context.objects.set(objectName, resolved);
  return resolved;
}

function compileMapper(
  config: Config,
  plan: StreamSpec,
  object: ResolvedObject,
  createMissing: boolean,
  list: string,
  hint: string,
): RecordMapper {
  const compile = (mode: "upsert" | "archive") =>
    compileObjectMapping({
      objectName: object.objectName,
      properties: object.properties,
      matchingKey: plan.idProperty,
      mode,
      unknownProperties: config.unknown_properties,
      nullValues: config.null_values,
      dateTimeZone: config.date_time_zone,
    });
  try {
    // The key decides membership; the other fields are converted only for records that may be created.
    return listRecordMapper(compile("archive"), createMissing ? compile("upsert") : undefined);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`Stream ${plan.key} writes list ${list}: ${error.message}${hint}`, {
      cause: error,
    });
  }
}

async function createList(
  context: Context,
  label: string,
  listName: string,
  object: ResolvedObject,
): Promise<HubSpotList> {
  if (!context.config.lists.create_missing_lists) {
    throw new ConfigError(
      `${label} writes list ${listName}, which HubSpot does not have (no list of that name on any object). Create it in HubSpot as a static list (segment), or set lists.create_missing_lists to create it.`,
    );
  }
  const list = await context.api.createManual(listName, object.objectType);
  context.log("INFO", `Created list ${list.name}: a static (MANUAL) list of ${object.objectName}.`);
  return list;
}
