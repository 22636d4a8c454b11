/** What the write pipeline (pipeline.ts) is given and answers, and its bounds. */
import type { BatchSender, InputStage, RecordStage } from "../contract.js";
import type { RejectsSink } from "../rejects/sink.js";
import type { StateMessage } from "./checkpoints.js";
import type { RunStats } from "./run-stats.js";
import type { PipelineInput } from "./types.js";

export interface PipelineOptions {
  /** Airbyte messages, or plain JSON records all going to one route. */
  input: PipelineInput;
  send: BatchSender;
  sink: RejectsSink;
  batchSize: number;
  lingerMs: number;
  /**
   * Records allowed on their way to HubSpot (batched, queued, sending, held by a stage) before reading pauses; as
   * many rejected records may wait for the rejects store besides.
   */
  maxInFlightRecords: number;
  /** Bytes of input lines allowed unsettled before reading pauses. @default DEFAULT_MAX_IN_FLIGHT_BYTES */
  maxInFlightBytes?: number;
  emitState: (state: StateMessage) => void;
  log: (level: "INFO" | "WARN", message: string) => void;
  /** Masks secrets in text that reaches the rejects store (HubSpot's messages). @default identity */
  redact?: (text: string) => string;
  /** Aborted when the run must stop early (a signal): see step 7. */
  stop?: AbortSignal;
  /**
   * Aborted, with an error as its reason, when the run must end at once as after a fatal error (a guard fired):
   * see step 6. Unlike a stop, no STATE is echoed after it.
   */
  halt?: AbortSignal;
  /** Work after a record's own write (associations) or after the input (list sweeps): see step 5. */
  stages?: readonly RecordStage[];
  /** Work before a record is batched (the targets of a create's links found): see step 2. */
  inputStages?: readonly InputStage[];
  /** Where the run's totals are counted, for a caller that reads them while the run goes on (progress). */
  stats?: RunStats;
}

/**
 * @default 4 MiB of input lines unsettled at once: 16 records of 250 kB; records under ~2 kB meet the count bound
 * first. Each byte in flight costs some 12 bytes of RSS on its way (line, parsed record, properties, request body,
 * HubSpot's echo of it, all garbage until collected): measured 260 MB peak at 8 MiB, 210 MB at 4 MiB, 206 MB at 2 MiB
 * for 250 kB records, which at 4 MiB still fill 16 records per round trip.
 */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 4 * 1024 * 1024;

/** How much of an unparseable line is kept in the rejected store: enough to see what it was. */
export const MAX_KEPT_RAW_LINE = 1024 * 1024;

export interface PipelineResult extends RunStats {
  /** True when `stop` ended the run before the input did. */
  stopped: boolean;
  /** Records read but left unsettled by a stop (not written, no state covering them echoed). */
  unsettled: number;
}
