/**
 * One rejected record as stored: Airbyte's raw-record columns (`_airbyte_raw_id`, `_airbyte_extracted_at`,
 * `_airbyte_meta`, `_airbyte_data` with the original record untouched) and, beside them, `_rejection`: a
 * machine-readable reason, with what the record was meant for (stream, object, matching key, mode) so that
 * `replay` can send it again the same way. Records that could not be parsed keep their raw line in
 * `_airbyte_data.raw_line`.
 */
import { deriveUuid } from "../content-id.js";
import type { Rejection } from "../contract.js";

export type { Rejection };

export interface RejectedRecord {
  stream: string;
  namespace?: string | undefined;
  /** The HubSpot object (or event) the record was meant for. */
  objectName?: string | undefined;
  /** The stream's matching key (`email`, `uuid` for events) and write mode, for a replay. */
  matchingKey?: string | undefined;
  mode?: string | undefined;
  /** The record's `data` as read; undefined when the line could not be parsed. */
  data?: unknown;
  /** The raw input line (possibly cut), kept when the line could not be parsed into a record. */
  rawLine?: string | undefined;
  lineNumber?: number | undefined;
  emittedAt?: number | undefined;
  /** The stream's Airbyte generation id (each stream has its own); undefined outside any stream. */
  generationId?: number | undefined;
  rejection: Rejection;
}

/** What every rejected record of a run shares: the Airbyte sync id (one per sync, whatever the stream). */
export interface RejectContext {
  syncId: number | undefined;
  /**
   * An id of the run that rejected them, so a replay can put each run's records back in input order (within a
   * run, `line_number` is that order; rows are stored in the order records were settled).
   */
  runId?: string | undefined;
}

export function toStoredRow(record: RejectedRecord, context: RejectContext): Record<string, unknown> {
  return {
    // Derived from the record, so the same record rejected again after a replay carries the same id.
    _airbyte_raw_id: deriveUuid(`${record.namespace ?? ""}.${record.stream}`, {
      data: record.data ?? null,
      raw_line: record.data === undefined ? (record.rawLine ?? null) : null,
      emitted_at: record.emittedAt ?? null,
      line: record.data === undefined && record.rawLine === undefined ? (record.lineNumber ?? null) : null,
    }),
    _airbyte_extracted_at: record.emittedAt ?? null,
    _airbyte_meta: { sync_id: context.syncId ?? null, changes: [] },
    _airbyte_generation_id: record.generationId ?? null,
    _airbyte_data: record.data !== undefined ? record.data : { raw_line: record.rawLine ?? null },
    _rejection: {
      stream: record.stream,
      namespace: record.namespace ?? null,
      object: record.objectName ?? null,
      matching_key: record.matchingKey ?? null,
      mode: record.mode ?? null,
      code: record.rejection.code,
      field: record.rejection.field ?? null,
      message: record.rejection.message,
      http_status: record.rejection.httpStatus ?? null,
      category: record.rejection.category ?? null,
      line_number: record.lineNumber ?? null,
      run: context.runId ?? null,
    },
  };
}

export const CSV_COLUMNS = [
  "_airbyte_raw_id",
  "_airbyte_extracted_at",
  "_airbyte_meta",
  "_airbyte_generation_id",
  "_airbyte_data",
  "_rejection",
] as const;

export function toJsonLine(row: Record<string, unknown>): string {
  return `${JSON.stringify(row)}\n`;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text =
    typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsvLine(row: Record<string, unknown>): string {
  return `${CSV_COLUMNS.map((column) => csvCell(row[column])).join(",")}\n`;
}

export const CSV_HEADER = `${CSV_COLUMNS.join(",")}\n`;
