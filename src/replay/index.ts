/**
 * `replay`: rejected records fed back through the write path after they were fixed.
 *
 * 1. Scan the source once (source.ts): rows that pass `--code` / `--stream`, put back in each run's input order
 *    (rows.ts), the first of each `_airbyte_raw_id` only (seen-ids.ts: a later copy must not land after a newer
 *    row of its record), and what each is sent to (select.ts): the streams' targets, so the routes are built
 *    before any record is read, as for a catalog.
 * 2. Read it again and hand each replayable row's `_airbyte_data` to the write pipeline as a RECORD of its stream,
 *    with its original `emitted_at`, in that order: the same mapping, checks, batching, per-key order, rejects
 *    store and guarantees as `write`. The source is only read, never changed.
 * What fails again goes to the run's rejects store (a new part in S3, the `--rejects` file).
 */
import type { Config } from "../config/schema.js";
import type { StreamSpec } from "../contract.js";
import type { InputLine } from "../protocol/reader.js";
import { inRunOrder, passesFilter, type ReplayRow, type RowFilter } from "./rows.js";
import { SeenIds } from "./seen-ids.js";
import { type LeftOutReason, ReplaySelector, type Selection } from "./select.js";
import { readSource, type ReplaySource, type SourceCounts } from "./source.js";

export { LEFT_OUT_REASONS, type LeftOutReason } from "./select.js";
export { MAX_REMEMBERED_IDS } from "./seen-ids.js";
export { describeSource, parseSource, type ReplaySource } from "./source.js";

export interface ReplayRequest {
  source: ReplaySource;
  filter: RowFilter;
  /** `--key`: the matching key for rows stored without one, when their object has no default. */
  fallbackKey?: string | undefined;
}

export interface ReplayScan {
  specs: StreamSpec[];
  /** Rejected-record rows read from the source. */
  read: number;
  /** Of those, the rows that pass the filters. */
  matched: number;
  /** Of those, the rows that will be sent. */
  replayable: number;
  leftOut: Map<LeftOutReason, number>;
  /** Rows sent by a fallback key or mode (stored before those were recorded). */
  fallbacks: number;
  /** More distinct raw ids than MAX_REMEMBERED_IDS: copies of the rest were not recognised. */
  tooManyIds: boolean;
  counts: SourceCounts;
}

/** The first pass: the streams a replay writes and what it leaves out. */
export async function scanReplay(request: ReplayRequest, config: Config): Promise<ReplayScan> {
  const selector = new ReplaySelector(request.fallbackKey);
  const scan: ReplayScan = {
    specs: [],
    read: 0,
    matched: 0,
    replayable: 0,
    leftOut: new Map(),
    fallbacks: 0,
    tooManyIds: false,
    counts: { unreadable: 0, parts: 0 },
  };
  const seen = new SeenIds();
  for await (const { selection } of selected(request, config, selector, seen, scan.counts, () => {
    scan.read += 1;
  })) {
    scan.matched += 1;
    if (selection.kind === "replay") scan.replayable += 1;
    else scan.leftOut.set(selection.reason, (scan.leftOut.get(selection.reason) ?? 0) + 1);
  }
  scan.specs = [...selector.specs.values()];
  scan.fallbacks = selector.fallbacks;
  scan.tooManyIds = seen.full;
  return scan;
}

/** The second pass: each replayable row as a RECORD line, in the order the scan saw them. */
export async function* replayLines(request: ReplayRequest, config: Config): AsyncGenerator<InputLine> {
  const selector = new ReplaySelector(request.fallbackKey);
  let lineNumber = 0;
  const seen = new SeenIds();
  for await (const { row, selection } of selected(request, config, selector, seen, {
    unreadable: 0,
    parts: 0,
  })) {
    if (selection.kind !== "replay") continue;
    lineNumber += 1;
    yield { lineNumber, text: recordMessage(row) };
  }
}

async function* selected(
  request: ReplayRequest,
  config: Config,
  selector: ReplaySelector,
  seen: SeenIds,
  counts: SourceCounts,
  onRow: () => void = () => undefined,
): AsyncGenerator<{ row: ReplayRow; selection: Selection }> {
  async function* matching() {
    for await (const item of readSource(request.source, config, counts)) {
      onRow();
      if (passesFilter(item.row, request.filter)) yield item;
    }
  }
  for await (const row of inRunOrder(matching())) {
    // Rows of older layouts have no raw id: each is replayed, as before ids were stored.
    const copy = row.rawId !== undefined && !seen.firstSight(row.rawId);
    yield { row, selection: copy ? { kind: "left-out", reason: "copy" } : selector.select(row) };
  }
}

/** The row's data as the Airbyte RECORD it came in as. */
function recordMessage(row: ReplayRow): string {
  return JSON.stringify({
    type: "RECORD",
    record: {
      stream: row.stream,
      ...(row.namespace ? { namespace: row.namespace } : {}),
      data: row.data,
      ...(row.extractedAt !== undefined ? { emitted_at: row.extractedAt } : {}),
    },
  });
}
