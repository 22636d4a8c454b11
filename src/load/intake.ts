/**
 * Turns input lines into what the write loop acts on: records for a route, states, stream statuses, and lines
 * that cannot be used (each becomes a rejected record with its raw line kept, never a crash).
 *
 * - Airbyte mode: each line must be an Airbyte message; a RECORD goes to the route of its stream. A plain JSON
 *   object (a raw-mode record piped here by mistake) is rejected like any other line that is not a message, and
 *   the first one is noticed once, pointing to raw pipe mode.
 * - Raw pipe mode: each line is one record's JSON object, all for the one route.
 * Data nested deeper than any HubSpot value needs is refused up front (see nesting.ts).
 */
import type { Rejection } from "../contract.js";
import { parseJson } from "../exact-json.js";
import type { InputLine } from "../protocol/reader.js";
import { parseMessageLine } from "../protocol/reader.js";
import { streamKey } from "../protocol/stream-key.js";
import type { StateMessage } from "./checkpoints.js";
import { MAX_NESTING, nestsDeeperThan } from "./nesting.js";
import type { PipelineInput, StreamRoute } from "./types.js";

/** A line that reached no route. */
export interface BadLine {
  lineNumber: number;
  rawLine: string;
  /** The stream named on the line, or `_unparsed`. */
  stream: string;
  rejection: Rejection;
  /** The record's data, when the line parsed but its stream is unknown. */
  data?: unknown;
  bytes: number;
}

export interface IntakeHandlers {
  record(
    route: StreamRoute,
    data: unknown,
    emittedAt: number | undefined,
    lineNumber: number,
    bytes: number,
  ): void;
  badLine(line: BadLine): void;
  state(state: StateMessage): void;
  streamStatus(stream: string, status: string): void;
  /** Something about the input a person should hear once (plain records piped into Airbyte mode). */
  notice?(message: string): void;
}

const tooDeep = (lineNumber: number): Rejection => ({
  code: "NESTING_TOO_DEEP",
  message: `Input line ${lineNumber} holds data nested deeper than ${MAX_NESTING} levels, which no HubSpot value needs; its raw line is kept.`,
});

export function createIntake(input: PipelineInput, handlers: IntakeHandlers): (line: InputLine) => void {
  let toldPlainRecords = false;
  const plainRecord = (lineNumber: number) => {
    if (toldPlainRecords) return;
    toldPlainRecords = true;
    handlers.notice?.(plainRecordsNotice(lineNumber));
  };
  return (line) => {
    if ("tooLong" in line) {
      handlers.badLine({
        lineNumber: line.lineNumber,
        rawLine: line.head,
        stream: "_unparsed",
        bytes: line.head.length,
        rejection: {
          code: "LINE_TOO_LONG",
          message: `Input line ${line.lineNumber} is ${line.bytes} bytes, over the line limit; only its start is kept.`,
        },
      });
    } else if (input.kind === "raw") {
      rawLine(line.text, line.lineNumber, input.route, handlers);
    } else {
      messageLine(line.text, line.lineNumber, input.routes, handlers, plainRecord);
    }
  };
}

const plainRecordsNotice = (lineNumber: number) =>
  `Input line ${lineNumber} is a plain JSON object, not an Airbyte message: with --catalog each line must be a ` +
  'message such as {"type":"RECORD","record":{"stream":"…","data":{…},"emitted_at":0}}, and lines like it are ' +
  "rejected as INVALID_MESSAGE. To write plain records, one JSON object a line, use raw pipe mode: " +
  "write --config … --object CONTACT (or another object) without --catalog.";

function rawLine(text: string, lineNumber: number, route: StreamRoute, handlers: IntakeHandlers): void {
  const bytes = text.length;
  let data: unknown;
  try {
    data = parseJson(text);
  } catch {
    const rejection = { code: "INVALID_JSON", message: `Input line ${lineNumber} is not valid JSON.` };
    handlers.badLine({ lineNumber, rawLine: text, stream: route.target.streamName, rejection, bytes });
    return;
  }
  if (nestsDeeperThan(data)) {
    const rejection = tooDeep(lineNumber);
    handlers.badLine({ lineNumber, rawLine: text, stream: route.target.streamName, rejection, bytes });
    return;
  }
  handlers.record(route, data, undefined, lineNumber, bytes);
}

function messageLine(
  text: string,
  lineNumber: number,
  routes: ReadonlyMap<string, StreamRoute>,
  handlers: IntakeHandlers,
  plainRecord: (lineNumber: number) => void,
): void {
  const bytes = text.length;
  const parsed = parseMessageLine(text);
  if (!parsed.ok) {
    if (parsed.plainRecord) plainRecord(lineNumber);
    const rejection = {
      code: "INVALID_MESSAGE",
      message: `Input line ${lineNumber} is not an Airbyte message: ${parsed.reason}`,
    };
    handlers.badLine({ lineNumber, rawLine: text, stream: "_unparsed", rejection, bytes });
    return;
  }
  const message = parsed.message as { type: string; record?: unknown; state?: unknown; trace?: unknown };
  if (message.type === "RECORD")
    recordLine(message.record as RecordLine, { text, lineNumber, routes, handlers });
  else if (message.type === "STATE") handlers.state(message.state as StateMessage);
  else if (message.type === "TRACE") traceLine(message.trace as TraceLine, handlers);
}

interface RecordLine {
  stream: string;
  namespace?: string | null;
  data: unknown;
  emitted_at?: number;
}

/** A RECORD goes to its stream's route, or is rejected when its stream is unknown or its data too deep. */
function recordLine(
  record: RecordLine,
  line: {
    text: string;
    lineNumber: number;
    routes: ReadonlyMap<string, StreamRoute>;
    handlers: IntakeHandlers;
  },
): void {
  const { text, lineNumber, handlers } = line;
  const bytes = text.length;
  const key = streamKey(record.stream, record.namespace);
  const route = line.routes.get(key);
  if (!route) {
    const rejection = { code: "UNKNOWN_STREAM", message: `Stream ${key} is not in the configured catalog.` };
    handlers.badLine({
      lineNumber,
      rawLine: text,
      stream: record.stream,
      rejection,
      data: record.data,
      bytes,
    });
    return;
  }
  if (nestsDeeperThan(record.data)) {
    handlers.badLine({
      lineNumber,
      rawLine: text,
      stream: record.stream,
      rejection: tooDeep(lineNumber),
      bytes,
    });
    return;
  }
  handlers.record(route, record.data, record.emitted_at, lineNumber, bytes);
}

interface TraceLine {
  type?: string;
  stream_status?: { stream_descriptor?: { name?: string }; status?: string };
}

/** A stream status the source reported; other traces are not the destination's business. */
function traceLine(trace: TraceLine, handlers: IntakeHandlers): void {
  if (trace.type === "STREAM_STATUS" && trace.stream_status) {
    handlers.streamStatus(
      trace.stream_status.stream_descriptor?.name ?? "?",
      trace.stream_status.status ?? "?",
    );
  }
}
