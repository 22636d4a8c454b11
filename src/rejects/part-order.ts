/**
 * The order a replay reads S3 parts in: the order they were stored. S3's LastModified has whole seconds, so two
 * runs a second apart tie on it; the part's own key says more, since the connector writes the time (to the
 * millisecond, `{timestamp}` or `{epoch}`), the sync id and the part number into it (object-key.ts).
 *
 * 1. Read each key back against the store's layout (`bucket_path` + `path_format` + `file_name_format`), segment by
 *    segment, a `{namespace}` folder left out when empty being allowed; the default layout is tried too, for parts
 *    written before a layout change. A key under another bucket path is read by its file name alone (its time and
 *    part number): the folders in front of it cannot be told apart from the layout's own.
 * 2. Sort by: the key's time when it has one to the millisecond, else LastModified; then the sync id, the part
 *    number and LastModified; then the key with its digit runs compared as numbers, so that `hs/9/` comes before
 *    `hs/10/`. Never by the key as a plain string.
 */

/** A part as listed: its key and the time S3 says it was stored (whole seconds). */
export interface ListedPart {
  key: string;
  lastModified: number;
}

/** Where the rejects store puts parts, as configured (object-key.ts fills these in). */
export interface PartLayout {
  bucketPath: string;
  pathFormat: string;
  fileNameFormat: string;
}

/** What a key says about when its part was stored. */
export interface PartKeyFacts {
  /** Milliseconds since the epoch, when the key holds the time to the millisecond. */
  time?: number | undefined;
  syncId?: string | undefined;
  partNumber?: number | undefined;
}

/** What each layout variable can expand to (see object-key.ts: segments are made safe, times are UTC). */
const VARIABLE_PATTERNS = {
  sync_id: "[A-Za-z0-9._=-]+",
  namespace: "[A-Za-z0-9._=-]*",
  stream_name: "[A-Za-z0-9._=-]+",
  year: "\\d{4}",
  month: "\\d{2}",
  day: "\\d{2}",
  hour: "\\d{2}",
  minute: "\\d{2}",
  second: "\\d{2}",
  millisecond: "\\d{3}",
  epoch: "\\d+",
  uuid: "[0-9a-fA-F-]{36}",
  date: "\\d{4}-\\d{2}-\\d{2}",
  timestamp: "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z",
  part_number: "\\d+",
  format_extension: "\\.(?:jsonl|csv)(?:\\.gz)?",
} as const satisfies Record<string, string>;

type Variable = keyof typeof VARIABLE_PATTERNS;

interface SegmentPattern {
  regex: RegExp;
  /** The variable each capture group holds, in order. */
  variables: Variable[];
  /** A segment of `{namespace}` alone is left out of the key when the stream has no namespace. */
  optional: boolean;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function segmentPattern(segment: string): SegmentPattern {
  const variables: Variable[] = [];
  let source = "";
  let rest = segment;
  for (let match = /\{([a-z_]+)\}/i.exec(rest); match; match = /\{([a-z_]+)\}/i.exec(rest)) {
    source += escapeRegex(rest.slice(0, match.index));
    const name = (match[1] as string).toLowerCase();
    if (name in VARIABLE_PATTERNS) {
      variables.push(name as Variable);
      source += `(${VARIABLE_PATTERNS[name as Variable]})`;
    } else source += escapeRegex(match[0]); // an unknown variable is written as is (object-key.ts)
    rest = rest.slice(match.index + match[0].length);
  }
  source += escapeRegex(rest);
  return { regex: new RegExp(`^${source}$`), variables, optional: /^\{namespace\}$/i.test(segment) };
}

const segmentsOf = (path: string) => path.split("/").filter((segment) => segment !== "");

function layoutPatterns(layout: PartLayout): SegmentPattern[] {
  const bucket = segmentsOf(layout.bucketPath).map((literal) => ({
    regex: new RegExp(`^${escapeRegex(literal)}$`),
    variables: [],
    optional: false,
  }));
  return [...bucket, ...segmentsOf(`${layout.pathFormat}/${layout.fileNameFormat}`).map(segmentPattern)];
}

/** Matches all key segments against all pattern segments, from the end; the values found, or undefined. */
function matchFromEnd(patterns: SegmentPattern[], segments: string[]): Map<Variable, string> | undefined {
  const pattern = patterns.at(-1);
  if (!pattern) return segments.length === 0 ? new Map() : undefined;
  const segment = segments.at(-1);
  const match = segment === undefined ? null : pattern.regex.exec(segment);
  if (match) {
    const found = matchFromEnd(patterns.slice(0, -1), segments.slice(0, -1));
    if (found) {
      pattern.variables.forEach((variable, index) => {
        const value = match[index + 1];
        if (value && !found.has(variable)) found.set(variable, value);
      });
      return found;
    }
  }
  return pattern.optional ? matchFromEnd(patterns.slice(0, -1), segments) : undefined;
}

function timeOf(values: Map<Variable, string>): number | undefined {
  const epoch = values.get("epoch");
  if (epoch !== undefined) return Number(epoch);
  const timestamp = values.get("timestamp");
  if (timestamp !== undefined) return Date.parse(timestamp);
  const parts = (["year", "month", "day", "hour", "minute", "second", "millisecond"] as const).map((name) =>
    values.get(name),
  );
  if (parts.some((part) => part === undefined)) return undefined;
  const [year, month, day, hour, minute, second, millisecond] = parts.map(Number) as number[];
  return Date.UTC(year as number, (month as number) - 1, day, hour, minute, second, millisecond);
}

function factsOf(values: Map<Variable, string>): PartKeyFacts {
  const time = timeOf(values);
  const partNumber = values.get("part_number");
  return {
    time: time !== undefined && Number.isFinite(time) ? time : undefined,
    syncId: values.get("sync_id"),
    partNumber: partNumber !== undefined ? Number(partNumber) : undefined,
  };
}

/**
 * Reads a part's key back against the layouts (the first that fits the whole key), else its file name alone
 * against their file name formats; nothing when none fits.
 */
export function readPartKey(key: string, layouts: PartLayout[]): PartKeyFacts {
  const segments = segmentsOf(key);
  for (const layout of layouts) {
    const values = matchFromEnd(layoutPatterns(layout), segments);
    if (values) return factsOf(values);
  }
  for (const layout of layouts) {
    const fileName = layoutPatterns(layout).at(-1);
    const values = fileName ? matchFromEnd([fileName], segments.slice(-1)) : undefined;
    if (values) return factsOf(values);
  }
  return {};
}

/** Compares two texts with their runs of digits taken as numbers ("9" < "10"), the rest by code unit. */
export function compareNatural(a: string, b: string): number {
  const runsOf = (text: string) => text.match(/\d+|\D+/g) ?? [];
  const left = runsOf(a);
  const right = runsOf(b);
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const x = left[index] as string;
    const y = right[index] as string;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const digitsX = x.replace(/^0+(?=\d)/, "");
      const digitsY = y.replace(/^0+(?=\d)/, "");
      if (digitsX.length !== digitsY.length) return digitsX.length - digitsY.length;
      if (digitsX !== digitsY) return digitsX < digitsY ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return left.length - right.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Compares two values that may be missing; a missing one comes first, so the order stays total. */
const compareOptional = <T>(a: T | undefined, b: T | undefined, compare: (x: T, y: T) => number) =>
  a === undefined || b === undefined ? (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1) : compare(a, b);

/** The parts in the order they were stored (see the outline above). */
export function inStoredOrder<P extends ListedPart>(parts: P[], layouts: PartLayout[]): P[] {
  return parts
    .map((part) => ({ part, facts: readPartKey(part.key, layouts) }))
    .sort(
      (a, b) =>
        (a.facts.time ?? a.part.lastModified) - (b.facts.time ?? b.part.lastModified) ||
        compareOptional(a.facts.syncId, b.facts.syncId, compareNatural) ||
        compareOptional(a.facts.partNumber, b.facts.partNumber, (x, y) => x - y) ||
        a.part.lastModified - b.part.lastModified ||
        compareNatural(a.part.key, b.part.key),
    )
    .map(({ part }) => part);
}
