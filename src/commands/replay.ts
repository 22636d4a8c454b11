/**
 * `replay --config c.json --from <source>`: rejected records fed back through the write path once fixed.
 *
 * 1. Check the source and the outputs: an S3 prefix of this connector's layout, or a local rejects file, which
 *    no output option may name, nor the config's file or stdout (run/output-files.ts); then read the config.
 * 2. Scan it (src/replay): the rows that pass `--code` and `--stream`, the stream and object each goes to, what
 *    is left out, and how many rows were stored before their matching key and mode were (said in a warning). A
 *    source without a single row is a config_error: a wrong path or prefix, not a replay with nothing to do.
 * 3. Run them as `write` does (src/run/ with the prepared input): the same pipeline, guards, rejects store
 *    (records that fail again go to a new part or the `--rejects` file) and receipt; `--plan` plans instead.
 * 4. Say how many were replayed, written and rejected again, and what was left out.
 */
import { configSecrets } from "../config/schema.js";
import { ConfigError } from "../errors.js";
import {
  describeSource,
  LEFT_OUT_REASONS,
  MAX_REMEMBERED_IDS,
  parseSource,
  replayLines,
  type ReplayRequest,
  type ReplayScan,
  type ReplaySource,
  scanReplay,
} from "../replay/index.js";
import { counted } from "../counted.js";
import { describeEffects } from "../load/run-stats.js";
import { readConfig } from "../config/read.js";
import { checkDistinctFiles, outputFiles, streamFiles } from "../run/output-files.js";
import { parseMaxRejects } from "../guards/max-rejects.js";
import type { WriteIo, WriteResult } from "../run/types.js";
import { runWrite } from "../run/write.js";

export interface ReplayOptions {
  config: string;
  from: string;
  /** `--code`: replay only rows rejected with one of these codes. */
  code?: string[];
  /** `--stream`: replay only rows of these streams (`name` or `namespace.name`). */
  stream?: string[];
  /** `--key`: the matching key for rows stored without one, when their object has no default key. */
  key?: string;
  rejects?: string;
  receipt?: string;
  plan?: string;
  maxRejects?: string;
}

const asSet = (values: string[] | undefined) =>
  values && values.length > 0
    ? new Set(values.flatMap((value) => value.split(",")).map((value) => value.trim()))
    : undefined;

export async function runReplay(options: ReplayOptions, io: WriteIo): Promise<WriteResult> {
  const source = parseSource(options.from);
  // A replay reads its rows from --from, never stdin: stdin may be any file.
  const inputs = [
    { option: "--config", path: options.config },
    ...(source.kind === "file" ? [{ option: "--from", path: source.path }] : []),
    ...(await streamFiles({ stdoutFd: io.writer.descriptor })),
  ];
  await checkDistinctFiles(outputFiles(options), undefined, inputs);
  const maxRejects = options.maxRejects === undefined ? undefined : parseMaxRejects(options.maxRejects);
  const warn = (message: string) => io.stderr.write(`warn: ${io.writer.mask.apply(message)}\n`);
  const config = await readConfig(options.config, warn);
  io.writer.setSecrets(configSecrets(config));
  const request: ReplayRequest = {
    source,
    filter: { codes: asSet(options.code), streams: asSet(options.stream) },
    fallbackKey: options.key,
  };
  const scan = await scanReplay(request, config);
  if (scan.read === 0) throw new ConfigError(describeNoRows(source, scan));
  if (scan.fallbacks > 0) {
    warn(
      `${scan.fallbacks} rows were stored before the matching key and write mode were recorded with rejected records: ` +
        `they are replayed by their object's default key (email for CONTACT, uuid for events${options.key ? `, else ${options.key}` : ""}) and mode (upsert; send for events).`,
    );
  }
  if (scan.tooManyIds) {
    warn(
      `More than ${MAX_REMEMBERED_IDS} distinct rows: copies of the rows past the first ${MAX_REMEMBERED_IDS} are not recognised and are replayed again, ` +
        "where a copy can land after a newer row of its record. Replay in smaller pieces (--stream, --code, a narrower prefix).",
    );
  }
  // Replayed rows are no source's whole, and carry the generation they were read in.
  const specs = scan.specs.map((spec) => ({ ...spec, replay: true }));
  const lines = replayLines(request, config);
  const input = { command: "replay" as const, config, specs, lines, raw: false, human: true };
  const { rejects, receipt, plan } = options;
  const result = await runWrite(input, { rejects, receipt, plan, maxRejects }, io);
  io.stderr.write(describeReplay(scan, result, describeSource(source), options.plan !== undefined));
  return result;
}

/** Why a source without a single rejected-record row cannot be what was meant, for people. */
export function describeNoRows(source: ReplaySource, scan: ReplayScan): string {
  const where = describeSource(source);
  const { unreadable, parts } = scan.counts;
  if (source.kind === "s3") {
    return parts === 0
      ? `--from ${where} holds no rejected-record parts (.jsonl or .csv, gzipped or not): check the bucket and the prefix.`
      : `--from ${where} holds ${parts} parts but no rejected-record row of this connector's layout in them.`;
  }
  if (unreadable === 0)
    return `--from ${where} is empty: name a rejects file as write --rejects writes it, or an s3:// prefix of the store.`;
  const lines = unreadable === 1 ? "its one line is not" : `none of its ${unreadable} lines is`;
  return `--from ${where} holds no rejected-record row: ${lines} a row as write --rejects writes it (a JSON object with _airbyte_data and _rejection).`;
}

/** The replay's own summary, after the write's: replayed, written, rejected again, left out. */
export function describeReplay(
  scan: ReplayScan,
  result: WriteResult,
  source: string,
  planned: boolean,
): string {
  const all = result.stats.all;
  const effects = describeEffects(all);
  const filtered = scan.matched < scan.read ? ` (${scan.matched} matched --code/--stream)` : "";
  const lines = [
    `Replay of ${source}: ${counted(scan.read, "rejected record")} read${filtered}; ` +
      (planned
        ? `${all.read} planned, nothing written.`
        : `${all.read} replayed: ${all.written} written${effects ? ` (${effects})` : ""}, ${all.rejected} rejected again.`),
  ];
  for (const [reason, count] of scan.leftOut) lines.push(`Left out ${count}: ${LEFT_OUT_REASONS[reason]}.`);
  if (scan.counts.unreadable > 0)
    lines.push(
      `${counted(scan.counts.unreadable, "line was", "lines were")} not rejected-record rows and ${scan.counts.unreadable === 1 ? "was" : "were"} skipped.`,
    );
  return `${lines.join("\n")}\n`;
}
