/**
 * Reads rejected-record rows back as the stores write them (rejected-record.ts): one JSON object a line (JSONL),
 * or CSV with the CSV_COLUMNS header, whose object cells hold JSON text. Number literals a double cannot hold are
 * read as their text (exact-json.ts), so a replay sends what the source sent. A line or row that cannot be read
 * is counted, not thrown: one damaged line must not stop a replay of the rest.
 */
import { parseJson } from "../exact-json.js";
import { CSV_COLUMNS } from "./rejected-record.js";

export interface ParsedRows {
  rows: Record<string, unknown>[];
  /** Lines or rows that are not a stored row. */
  unreadable: number;
}

/** Whether an object key names a part of rejected records this connector writes (not a receipt, not a check). */
export function isRejectsPart(key: string): boolean {
  return /\.(jsonl|csv)(\.gz)?$/.test(key);
}

export const isCsvPart = (key: string) => /\.csv(\.gz)?$/.test(key);

/** One JSONL line as a stored row, or undefined when it is not one. */
export function parseJsonRow(line: string): Record<string, unknown> | undefined {
  try {
    const value = parseJson(line);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The rows of one stored part's text. */
export function parseStoredText(text: string, csv: boolean): ParsedRows {
  if (!csv) {
    const rows: Record<string, unknown>[] = [];
    let unreadable = 0;
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const row = parseJsonRow(line);
      if (row) rows.push(row);
      else unreadable += 1;
    }
    return { rows, unreadable };
  }
  return parseCsvRows(text);
}

function parseCsvRows(text: string): ParsedRows {
  const records = splitCsv(text);
  const header = records.shift() ?? [];
  const rows: Record<string, unknown>[] = [];
  let unreadable = 0;
  for (const cells of records) {
    if (cells.length === 1 && cells[0] === "") continue;
    if (cells.length !== header.length) {
      unreadable += 1;
      continue;
    }
    const row: Record<string, unknown> = {};
    header.forEach((column, index) => {
      row[column] = cellValue(column, cells[index] as string);
    });
    rows.push(row);
  }
  if (header.join(",") !== CSV_COLUMNS.join(",")) return { rows: [], unreadable: unreadable + rows.length };
  return { rows, unreadable };
}

/** A CSV cell back as the value it was written from: JSON for objects, numbers, "" for null. */
function cellValue(column: string, cell: string): unknown {
  if (cell === "") return null;
  if (column === "_airbyte_extracted_at" || column === "_airbyte_generation_id") {
    const number = Number(cell);
    return Number.isFinite(number) ? number : null;
  }
  if (cell.startsWith("{") || cell.startsWith("[")) {
    try {
      return parseJson(cell);
    } catch {
      return cell;
    }
  }
  return cell;
}

/** RFC 4180 records: quoted cells may hold commas, doubled quotes and line breaks. */
function splitCsv(text: string): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      cells.push(cell);
      cell = "";
    } else if (char === "\n" || (char === "\r" && text[index + 1] === "\n")) {
      if (char === "\r") index += 1;
      cells.push(cell);
      records.push(cells);
      cells = [];
      cell = "";
    } else cell += char;
  }
  if (cell !== "" || cells.length > 0) {
    cells.push(cell);
    records.push(cells);
  }
  return records;
}
