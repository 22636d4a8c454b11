/**
 * The Airbyte messages this connector reads and writes, as zod schemas (wire names kept). Input schemas are lenient
 * where the protocol allows extra fields (`additionalProperties: true`) and strict where the connector relies on a
 * field. https://docs.airbyte.com/understanding-airbyte/airbyte-protocol
 */
import * as z from "zod";
import type { DestinationSyncMode } from "./catalog.js";

export const StreamDescriptorSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().nullish(),
});

/** A RECORD's `data` is checked by the mapper (a non-object is a rejected record, not a broken message). */
export const RecordMessageSchema = z.looseObject({
  stream: z.string().min(1),
  namespace: z.string().nullish(),
  data: z.unknown().refine((data) => data !== undefined, "data is missing"),
  emitted_at: z.number().optional(),
  meta: z.unknown().optional(),
});
export type RecordMessage = z.output<typeof RecordMessageSchema>;

export const StateStatsSchema = z.looseObject({
  recordCount: z.number().optional(),
  rejectedRecordCount: z.number().optional(),
});

const StreamStateSchema = z.looseObject({
  stream_descriptor: StreamDescriptorSchema,
  stream_state: z.unknown().optional(),
});

/** STREAM, GLOBAL or LEGACY (`type` absent means LEGACY, per the protocol). */
export const StateMessageSchema = z.union([
  z.looseObject({ type: z.literal("STREAM"), stream: StreamStateSchema }),
  z.looseObject({
    type: z.literal("GLOBAL"),
    global: z.looseObject({
      shared_state: z.unknown().optional(),
      stream_states: z.array(StreamStateSchema),
    }),
  }),
  z.looseObject({ type: z.literal("LEGACY").optional(), data: z.unknown() }),
]);
export type StateMessage = z.output<typeof StateMessageSchema>;

export const TraceMessageSchema = z.looseObject({
  type: z.enum(["ERROR", "ESTIMATE", "STREAM_STATUS", "ANALYTICS"]),
  emitted_at: z.number(),
  error: z.looseObject({ message: z.string() }).optional(),
  stream_status: z
    .looseObject({
      stream_descriptor: StreamDescriptorSchema,
      status: z.enum(["STARTED", "RUNNING", "COMPLETE", "INCOMPLETE"]),
    })
    .optional(),
});

export const LOG_LEVELS = ["FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LogMessageSchema = z.looseObject({ level: z.enum(LOG_LEVELS), message: z.string() });

/** A message read from stdin. Types a destination does not act on (LOG, CONTROL, …) are accepted and ignored. */
export const InputMessageSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("RECORD"), record: RecordMessageSchema }),
  z.looseObject({ type: z.literal("STATE"), state: StateMessageSchema }),
  z.looseObject({ type: z.literal("TRACE"), trace: TraceMessageSchema }),
  z.looseObject({ type: z.literal("LOG"), log: LogMessageSchema }),
  z.looseObject({ type: z.enum(["SPEC", "CONNECTION_STATUS", "CATALOG", "CONTROL", "DESTINATION_CATALOG"]) }),
]);
export type InputMessage = z.output<typeof InputMessageSchema>;

/** One operation of the DESTINATION_CATALOG `discover` emits. */
export interface DestinationOperation {
  object_name: string;
  sync_mode: DestinationSyncMode;
  json_schema: object;
  matching_keys?: string[][];
}

export type ConnectionStatus = "SUCCEEDED" | "FAILED";
