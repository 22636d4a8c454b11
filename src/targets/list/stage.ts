/**
 * The list streams' stage in the write pipeline. It takes no records (a member counts as written when its sender
 * has its membership confirmed); it listens and, at the end, sweeps:
 *
 * - `start`: an overwrite starts reading the list's members (and a resumed staging list's) beside the writes.
 * - `observe`: the HubSpot ids of records other streams wrote, kept so list members need no key read.
 * - `lost`: a line of an overwrite's stream (or of no known stream) was rejected before its key was read.
 * - `streamStatus`: which streams the source reported COMPLETE.
 * - `finish` (the input ended without a fatal error or a stop): each overwrite stream is swept when the run is known
 *   to have seen its whole source: in Airbyte mode its STREAM_STATUS COMPLETE arrived; in raw pipe mode the input
 *   ended, and no other run's overwrite marker appeared meanwhile (overwrite-marker.ts). Otherwise nothing is
 *   removed, and a warning says why. A replay never sweeps (it holds rejected records,
 *   not a source). Lastly each list's totals are logged.
 */
import { counted } from "../../counted.js";
import { CRM_OBJECT_TARGET } from "../crm-object/target.js";
import type { RecordStage, StageRecord, StageVerdict, WriteTarget } from "../../contract.js";
import type { ListCalls } from "./api.js";
import type { KnownIds } from "./record-ids.js";
import { markerSince } from "./overwrite-marker.js";
import type { ListRun } from "./run.js";
import { type SweepReads, startSweepReads, sweepList } from "./sweep.js";

type Log = (level: "INFO" | "WARN", message: string) => void;

/** The stream the intake names a line by when it could not read one (load/intake.ts). */
const UNPARSED = "_unparsed";

interface StageParts {
  api: ListCalls;
  runs: ReadonlyMap<string, ListRun>;
  known: KnownIds;
  /** Raw pipe mode: end of input is the end of the source. */
  raw: boolean;
  log: Log;
  /** Before a sweep's removals, with all of them: the `max_list_removals` guard (RunCaps.beforeListRemovals). */
  beforeListRemovals?: ((count: number) => Promise<void>) | undefined;
  /** Told of the members a sweep removed (the stream's `removed` count). */
  onRemoved?: ((target: WriteTarget, count: number) => void) | undefined;
}

export function createListStage(parts: StageParts): RecordStage {
  const statuses = new Map<string, string>();
  const reads = new Map<ListRun, SweepReads>();
  const completed = (run: ListRun) => parts.raw || statuses.get(run.target.streamName) === "COMPLETE";
  return {
    start({ fail }) {
      for (const run of parts.runs.values()) {
        if (run.target.mode === "replace" && !run.replay)
          reads.set(run, startSweepReads(parts.api, run, fail));
      }
    },
    wants: () => false,
    take(_record: StageRecord, settle: (verdict: StageVerdict) => void) {
      settle({ status: "written" });
    },
    observe(target: WriteTarget, key: string, recordId: string) {
      if (target.kind === CRM_OBJECT_TARGET.kind)
        parts.known.remember(target.objectType, target.idProperty, key, recordId);
    },
    lost(stream: string) {
      // An unparsed line may have been any stream's.
      for (const run of parts.runs.values()) {
        if (stream === run.target.streamName || stream === UNPARSED) run.unresolved += 1;
      }
    },
    streamStatus(stream: string, status: string) {
      statuses.set(stream, status);
    },
    async finish() {
      for (const run of parts.runs.values()) {
        if (run.target.mode === "replace" && run.replay) parts.log("INFO", notSweptInReplay(run));
        else if (run.target.mode === "replace") {
          const sweepReads = reads.get(run) ?? { members: undefined, staged: undefined };
          await endOverwrite(parts, run, sweepReads, completed(run));
        }
        if (run.createdRecords > 0) {
          parts.log(
            "INFO",
            `List ${run.list.name}: created ${counted(run.createdRecords, `${run.objectName} record`)} for members that did not exist.`,
          );
        }
      }
    },
    pending: 0,
  };
}

/** An overwrite's end: sweep what the source no longer has, unless it cannot vouch for having seen everything. */
async function endOverwrite(
  parts: StageParts,
  run: ListRun,
  sweepReads: SweepReads,
  completed: boolean,
): Promise<void> {
  const rival = completed && run.marker ? await markerSince(parts.api, run.list.name, run.marker) : undefined;
  if (rival !== undefined) parts.log("WARN", notSweptBeside(run, rival));
  else if (completed) {
    const swept = await sweepList(parts.api, run, sweepReads, parts.log, parts.beforeListRemovals);
    if (swept && swept.removed > 0) parts.onRemoved?.(run.target, swept.removed);
  } else parts.log("WARN", notSwept(run));
}

const notSwept = (run: ListRun) =>
  `List ${run.list.name} was not swept: the source did not report stream ${run.target.streamName} COMPLETE, so this run cannot know it saw every member. Members were added; none was removed. The next sync that completes removes the members the source no longer has.`;

const notSweptBeside = (run: ListRun, rival: string) =>
  `List ${run.list.name} was not swept: another overwrite of it started while this one ran (its marker list "${rival}" appeared), and each would remove only the members it did not see. Members were added; none was removed. Run the overwrite again once the other has ended.`;

const notSweptInReplay = (run: ListRun) =>
  `List ${run.list.name} was not swept: a replay sends rejected records again, not the source's whole. Members were added; none was removed. The overwrite's next sync that completes removes the members the source no longer has.`;
