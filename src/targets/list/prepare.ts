/**
 * Each list stream before any record is read, in two steps so that nothing is changed in HubSpot until every
 * stream of the run (and its associations) has been checked:
 *
 * 1. `checkWriters`: modes, and an overwritten list's single writer.
 * 2. `prepareStream` (reads only): find the list (find-list.ts); resolve the object it holds and compile that
 *    object's mapper (mapper.ts): keys are converted exactly as a CRM stream's (emails normalised), and with
 *    `create_missing_records` the other properties too. A missing list must be one `create_missing_lists` allows.
 * 3. `openStream`: create the missing list; a raw overwrite claims its list with a marker, refused while another
 *    run's marker is there, and an Airbyte-mode one is refused by such a marker too (overwrite-marker.ts); then an
 *    overwrite in Airbyte mode deletes its list's staging lists of earlier generations and finds or creates its own
 *    generation's, and a replayed one only finds it (staging.ts).
 * A plan runs the same steps over stand-ins for the Lists API (planning.ts), so what it would create is only said.
 */
import type { Config } from "../../config/schema.js";
import type { RecordMapper, StreamSpec, WriteTarget } from "../../contract.js";
import { ConfigError } from "../../errors.js";
import type { ObjectCatalog, ResolvedObject } from "../../hubspot/objects.js";
import { compileObjectMapping } from "../../mapping/index.js";
import { CRM_OBJECT_TARGET } from "../crm-object/target.js";
import type { Log } from "../kind.js";
import type { ListCalls } from "./api.js";
import { findList } from "./find-list.js";
import { listRecordMapper } from "./mapper.js";
import { DEFAULT_LIST_OBJECT, objectNameOfType, parseListObject } from "./names.js";
import { claimOverwrite, type OverwriteMarker, refuseDuringRawOverwrite } from "./overwrite-marker.js";
import { LIST_LIMITS, LIST_WRITE_MODES } from "./policies.js";
import type { ListRun } from "./run.js";
import { prepareStaging } from "./staging.js";
import { LIST_TARGET } from "./target.js";
import { listSize, type HubSpotList } from "./wire.js";

/** What preparing the list streams needs. */
export interface ListContext {
  config: Config;
  api: ListCalls;
  objects: ObjectCatalog;
  log: Log;
}

/** A stream prepared in step 2: its run, its mapper, and the list as found (undefined: created in step 3). */
export interface PreparedStream {
  spec: StreamSpec;
  run: ListRun;
  mapper: RecordMapper;
  found: HubSpotList | undefined;
  listName: string;
  object: ResolvedObject;
}

/** Step 1. */
export function checkWriters(specs: readonly StreamSpec[]): void {
  const byList = new Map<string, StreamSpec[]>();
  for (const spec of specs) {
    const parsed = parseListObject(spec.objectName);
    if (!parsed) throw new ConfigError(`Stream ${spec.key} names no list: write list:<list name>.`);
    if (!LIST_WRITE_MODES.includes(spec.mode)) {
      throw new ConfigError(
        `Stream ${spec.key} writes list ${parsed.listName} in mode ${spec.mode}; a list takes add (append), remove (soft_delete) or replace (overwrite).`,
      );
    }
    const name = parsed.listName.toLowerCase();
    byList.set(name, [...(byList.get(name) ?? []), spec]);
  }
  for (const writers of byList.values()) {
    const replacing = writers.find((spec) => spec.mode === "replace");
    if (replacing && writers.length > 1) {
      throw new ConfigError(
        `Streams ${writers.map((spec) => spec.key).join(", ")} all write list ${replacing.objectName}, which ${replacing.key} overwrites: its sweep would remove the others' members. Give an overwritten list one stream.`,
      );
    }
  }
}

/** Step 2 for one stream. */
export async function prepareStream(context: ListContext, spec: StreamSpec): Promise<PreparedStream> {
  const { listName, objectName: pinned } = parseListObject(spec.objectName) as NonNullable<
    ReturnType<typeof parseListObject>
  >;
  const label = `Stream ${spec.key}`;
  const wanted = await context.objects.one(pinned ?? DEFAULT_LIST_OBJECT);
  const { list: found, objectTypeId } = await findList(context.api, label, listName, {
    objectTypeId: wanted.objectType,
    pinned: pinned !== undefined,
  });
  const object =
    objectTypeId === wanted.objectType ? wanted : await context.objects.one(objectNameOfType(objectTypeId));
  const createMissing = context.config.lists.create_missing_records && spec.mode !== "remove";
  const hint =
    found === undefined && pinned === undefined
      ? " A list created on demand holds contacts unless it is named list[OBJECT]:<name>."
      : "";
  const about = `${listName} of ${object.objectName}`;
  const mapper = compileMapper(context.config, spec, object, { createMissing, about, hint });
  if (!found && !context.config.lists.create_missing_lists) {
    throw new ConfigError(
      `${label} writes list ${listName}, which HubSpot does not have (no list of that name on any object). Create it in HubSpot as a static list (segment), or set lists.create_missing_lists to create it.`,
    );
  }
  const run = newRun(spec, found, object, { listName, createMissing });
  return { spec, run, mapper, found, listName, object };
}

/** Step 3 for one stream. */
export async function openStream(context: ListContext, prepared: PreparedStream): Promise<void> {
  const { spec, run, object } = prepared;
  let list = prepared.found;
  if (!list) {
    list = await context.api.createManual(prepared.listName, object.objectType);
    context.log("INFO", `Created list ${list.name}: a static (MANUAL) list of ${object.objectName}.`);
    run.list = listSizeOf(list);
  }
  const { marker, kept } = await markOverwrite(context.api, spec, list);
  run.marker = marker;
  const stream = { mode: spec.mode, generationId: spec.generationId, replay: run.replay };
  if (!spec.raw) run.staging = await prepareStaging(context.api, list, stream, context.log, kept);
}

/**
 * A raw overwrite claims the list with its marker; an Airbyte-mode overwrite only makes sure no raw one runs, and
 * hands the lists its search found to the staging step (overwrite-marker.ts). A replay sweeps nothing, so it
 * needs neither.
 */
async function markOverwrite(
  api: ListCalls,
  spec: StreamSpec,
  list: HubSpotList,
): Promise<{ marker?: OverwriteMarker; kept?: HubSpotList[] }> {
  if (spec.mode !== "replace" || spec.replay === true) return {};
  if (spec.raw) return { marker: await claimOverwrite(api, list) };
  return { kept: await refuseDuringRawOverwrite(api, list) };
}

const listSizeOf = (list: HubSpotList) => ({
  listId: list.listId,
  name: list.name,
  size: listSize(list),
  reserved: 0,
  readAt: Date.now(),
});

/** The stream's run: a list still to create holds no member and has no id until step 3 creates it. */
function newRun(
  spec: StreamSpec,
  found: HubSpotList | undefined,
  object: ResolvedObject,
  facts: { listName: string; createMissing: boolean },
): ListRun {
  const target: WriteTarget = {
    ...spec,
    objectType: found?.objectTypeId ?? object.objectType,
    ...LIST_TARGET,
    batchSize: LIST_LIMITS.recordsPerBatch,
  };
  const upsertTarget: WriteTarget = {
    ...target,
    objectName: object.objectName,
    ...CRM_OBJECT_TARGET,
    mode: "upsert",
    batchSize: undefined,
  };
  return {
    target,
    list: found
      ? listSizeOf(found)
      : { listId: "", name: facts.listName, size: 0, reserved: 0, readAt: Date.now() },
    objectName: object.objectName,
    createdThisRun: found === undefined,
    staging: undefined,
    replay: spec.replay === true,
    marker: undefined,
    createMissing: facts.createMissing,
    upsertTarget,
    seen: spec.mode === "replace" ? new Set() : undefined,
    createdRecords: 0,
    unresolved: 0,
  };
}

function compileMapper(
  config: Config,
  spec: StreamSpec,
  object: ResolvedObject,
  list: { createMissing: boolean; about: string; hint: string },
): RecordMapper {
  const compile = (mode: "upsert" | "archive") =>
    compileObjectMapping({
      objectName: object.objectName,
      properties: object.properties,
      matchingKey: spec.idProperty,
      mode,
      unknownProperties: config.unknown_properties,
      nullValues: config.null_values,
      dateTimeZone: config.date_time_zone,
    });
  try {
    // The key decides membership; the other fields are converted only for records that may be created.
    return listRecordMapper(compile("archive"), list.createMissing ? compile("upsert") : undefined);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`Stream ${spec.key} writes list ${list.about}: ${error.message}${list.hint}`, {
      cause: error,
    });
  }
}
