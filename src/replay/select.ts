/**
 * Which rows a replay sends, and to what: the stream and object recorded with each row, by its recorded matching
 * key and mode. For rows stored before those were recorded, its kind's defaults for the object (key: `email` for
 * CONTACT and lists of contacts, `uuid` for events, else `--key`; mode: upsert, send for events, add for lists) are
 * used, and counted so the run can say so.
 * A stream's first target wins; a later row of the same stream naming another object, key or mode is left out
 * (one stream, one route), as are rows that reached no object (unparseable lines, unknown streams).
 */
import { type StreamSpec, WRITE_MODES, type WriteMode } from "../contract.js";
import { streamKey } from "../protocol/stream-key.js";
import { defaultsOf } from "../targets/streams.js";
import type { ReplayRow } from "./rows.js";

export type Selection = { kind: "replay"; spec: StreamSpec } | { kind: "left-out"; reason: LeftOutReason };

export type LeftOutReason = "copy" | "no-object" | "no-key" | "bad-mode" | "other-target";

export const LEFT_OUT_REASONS: Record<LeftOutReason, string> = {
  copy: "they are copies of a row replayed before them (the same _airbyte_raw_id), stored again when it was rejected again",
  "no-object":
    "they reached no stream (lines that could not be parsed, or of a stream not in the catalog): fix them and send them again with write",
  "no-key": "they were stored without a matching key and their object has no default one: give it with --key",
  "bad-mode": "they name a write mode this connector does not know",
  "other-target":
    "their stream was replayed to another object, key or mode first: replay them apart with --stream and --code",
};

export class ReplaySelector {
  /** Stream key → the plan its first replayable row set. */
  readonly specs = new Map<string, StreamSpec>();
  /** Rows replayed with a fallback key or mode (stored before those were recorded). */
  fallbacks = 0;

  constructor(private readonly fallbackKey?: string) {}

  select(row: ReplayRow): Selection {
    const object = row.object;
    if (object === undefined) return { kind: "left-out", reason: "no-object" };
    const fallback = defaultsOf(object);
    const mode = row.mode ?? fallback.mode;
    if (!(WRITE_MODES as readonly string[]).includes(mode)) return { kind: "left-out", reason: "bad-mode" };
    const idProperty = row.matchingKey ?? fallback.key ?? this.fallbackKey;
    if (idProperty === undefined) return { kind: "left-out", reason: "no-key" };
    const key = streamKey(row.stream, row.namespace);
    const plan = this.specs.get(key);
    if (plan && (plan.objectName !== object || plan.idProperty !== idProperty || plan.mode !== mode)) {
      return { kind: "left-out", reason: "other-target" };
    }
    if (row.matchingKey === undefined || row.mode === undefined) this.fallbacks += 1;
    if (plan) return { kind: "replay", spec: plan };
    const created: StreamSpec = {
      key,
      streamName: row.stream,
      namespace: row.namespace,
      kind: fallback.kind,
      objectName: object,
      mode: mode as WriteMode,
      idProperty,
      syncId: row.syncId,
      generationId: row.generationId,
    };
    this.specs.set(key, created);
    return { kind: "replay", spec: created };
  }
}
