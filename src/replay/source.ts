/**
 * Where a replay reads rejected records from: an S3 prefix of this connector's layout (`s3://bucket/prefix/…`:
 * every part under it, oldest first) or a local rejects file as `--rejects` writes it (read a line at a time).
 * Unreadable lines are counted; rows are handed on with the run (or part) they belong to, for run-order sorting.
 */
import { createReadStream, type Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Config } from "../config/schema.js";
import { ConfigError, UsageError } from "../errors.js";
import { readLines } from "../protocol/reader.js";
import { parseJsonRow } from "../rejects/stored-rows.js";
import { type ReplayRow, toReplayRow } from "./rows.js";

export type ReplaySource =
  | { kind: "s3"; bucket: string; prefix: string; address: string }
  | { kind: "file"; path: string };

/** What reading the source found besides rows. */
export interface SourceCounts {
  /** Lines or rows that are not rejected-record rows. */
  unreadable: number;
  /** S3 parts read (0 for a file). */
  parts: number;
}

export function parseSource(from: string): ReplaySource {
  if (!from.startsWith("s3://")) return { kind: "file", path: resolve(from) };
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(from);
  if (!match || !match[1]) {
    throw new UsageError(
      `--from takes s3://bucket/prefix or a local rejects file, not ${JSON.stringify(from)}.`,
    );
  }
  return { kind: "s3", bucket: match[1], prefix: match[2] ?? "", address: from };
}

/** Where the source is, for people. */
export const describeSource = (source: ReplaySource) => (source.kind === "s3" ? source.address : source.path);

export async function* readSource(
  source: ReplaySource,
  config: Config,
  counts: SourceCounts,
): AsyncGenerator<{ row: ReplayRow; group: string }> {
  if (source.kind === "file") {
    yield* readFile(source.path, counts);
    return;
  }
  const storage =
    config.object_storage_config.storage_type === "S3" ? config.object_storage_config : undefined;
  // The AWS SDK is loaded only for an S3 source (rejects/create-sink.ts says why).
  const { S3RejectsSource } = await import("../rejects/s3-source.js");
  const store = new S3RejectsSource(source.bucket, source.prefix, storage);
  try {
    for (const part of await store.parts()) {
      const { rows, unreadable } = await store.rows(part);
      counts.parts += 1;
      counts.unreadable += unreadable;
      for (const stored of rows) {
        const row = toReplayRow(stored);
        if (row) yield { row, group: row.run ?? part.key };
        else counts.unreadable += 1;
      }
    }
  } finally {
    store.close();
  }
}

async function* readFile(
  path: string,
  counts: SourceCounts,
): AsyncGenerator<{ row: ReplayRow; group: string }> {
  let found: Stats;
  try {
    found = await stat(path);
  } catch (error) {
    throw new ConfigError(
      `Cannot read the rejects file ${path} (${(error as { code?: string }).code ?? "unreadable"}).`,
      { cause: error },
    );
  }
  if (found.isDirectory()) {
    throw new ConfigError(
      `--from ${path} is a directory: name a rejects file as write --rejects writes it, or an s3:// prefix of the store.`,
    );
  }
  for await (const line of readLines(createReadStream(path))) {
    const stored = "text" in line ? parseJsonRow(line.text) : undefined;
    const row = stored ? toReplayRow(stored) : undefined;
    // Rows stored before runs were recorded keep the file's order: each is its own group.
    if (row) yield { row, group: row.run ?? `line ${line.lineNumber}` };
    else counts.unreadable += 1;
  }
}
