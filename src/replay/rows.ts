/**
 * A stored rejected-record row as a replay sees it: the record's data and what it was meant for (stream, object,
 * matching key, mode), with what it was rejected for and where it stood in its run. Rows stored before the
 * matching key and mode were recorded have neither; the selector falls back (select.ts).
 */

export interface ReplayRow {
  /** `_airbyte_raw_id`: the same for every copy of one rejected record; undefined in rows of older layouts. */
  rawId: string | undefined;
  data: unknown;
  stream: string;
  namespace: string | undefined;
  /** The HubSpot object or event; undefined for lines that reached no stream (they cannot be replayed). */
  object: string | undefined;
  matchingKey: string | undefined;
  mode: string | undefined;
  code: string | undefined;
  lineNumber: number | undefined;
  /** `_airbyte_extracted_at`: sent again as the record's `emitted_at`, so its `_airbyte_raw_id` stays the same. */
  extractedAt: number | undefined;
  syncId: number | undefined;
  generationId: number | undefined;
  /** The run that rejected it (rows of one run go back in input order). */
  run: string | undefined;
}

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

/** The row, or undefined when it is not a rejected-record row of this connector's layout. */
export function toReplayRow(row: Record<string, unknown>): ReplayRow | undefined {
  const rejection = row._rejection as Record<string, unknown> | null | undefined;
  if (!rejection || typeof rejection !== "object" || !("_airbyte_data" in row)) return undefined;
  const stream = text(rejection.stream);
  if (stream === undefined) return undefined;
  const meta = row._airbyte_meta as { sync_id?: unknown } | null | undefined;
  return {
    rawId: text(row._airbyte_raw_id),
    data: row._airbyte_data,
    stream,
    namespace: text(rejection.namespace),
    object: text(rejection.object),
    matchingKey: text(rejection.matching_key),
    mode: text(rejection.mode),
    code: text(rejection.code),
    lineNumber: number(rejection.line_number),
    extractedAt: number(row._airbyte_extracted_at),
    syncId: number(meta?.sync_id),
    generationId: number(row._airbyte_generation_id),
    run: text(rejection.run),
  };
}

/** `--code` and `--stream` filters: a row passes when it matches one of each that is given. */
export interface RowFilter {
  codes?: ReadonlySet<string> | undefined;
  /** Stream names, or `namespace.name`. */
  streams?: ReadonlySet<string> | undefined;
}

export function passesFilter(row: ReplayRow, filter: RowFilter): boolean {
  if (filter.codes && filter.codes.size > 0 && !(row.code !== undefined && filter.codes.has(row.code)))
    return false;
  if (filter.streams && filter.streams.size > 0) {
    const qualified = row.namespace ? `${row.namespace}.${row.stream}` : row.stream;
    if (!filter.streams.has(row.stream) && !filter.streams.has(qualified)) return false;
  }
  return true;
}

/** Rows of one run put back in input order, in bounded memory. @default 10,000 rows sorted at a time */
export const MAX_REORDER_ROWS = 10_000;

/**
 * The rows with each run's consecutive rows (at most MAX_REORDER_ROWS at a time) sorted by input line number:
 * a store keeps rows in the order they were settled, and a record HubSpot refused settles after a later record
 * the connector refused at once. `group` names a row's run, or the part it came from when it names none.
 */
export async function* inRunOrder(
  rows: AsyncIterable<{ row: ReplayRow; group: string }>,
  maxRows = MAX_REORDER_ROWS,
): AsyncGenerator<ReplayRow> {
  let buffer: ReplayRow[] = [];
  let group: string | undefined;
  const drain = () => {
    const sorted = buffer
      .map((row, index) => ({ row, index }))
      .sort((a, b) => (a.row.lineNumber ?? 0) - (b.row.lineNumber ?? 0) || a.index - b.index)
      .map(({ row }) => row);
    buffer = [];
    return sorted;
  };
  for await (const item of rows) {
    if ((group !== undefined && item.group !== group) || buffer.length >= maxRows) yield* drain();
    group = item.group;
    buffer.push(item.row);
  }
  yield* drain();
}
