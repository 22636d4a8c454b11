/** The write pipeline's own shapes (route → map → batch → send → settle); the seams it shares are in contract.ts. */
import type { PlanDetail, RecordMapper, WireInput, WriteEffect, WriteTarget } from "../contract.js";
import type { RecordTicket } from "./checkpoints.js";

/** What the pipeline keeps of an input record until it is settled. */
export interface RecordRef {
  ticket: RecordTicket;
  data: unknown;
  emittedAt: number | undefined;
  lineNumber: number;
  /** Size of the input line, for the in-flight byte bound. */
  bytes: number;
}

/** One part of a batch input: one input record with its own mapped properties. */
export interface InputPart {
  properties: Record<string, string>;
  record: RecordRef;
}

/**
 * One HubSpot batch input. Records with the same key in a batch are merged into one input (HubSpot refuses a batch
 * with duplicate ids); `properties` is the merge of the parts, oldest first, as HubSpot would apply them in order.
 */
export interface BatchInput extends WireInput {
  parts: InputPart[];
}

/** What the dispatcher calls when HubSpot confirmed an input part's write (stage-handoff.ts decides what follows). */
export type WrittenHandler = (
  target: WriteTarget,
  part: InputPart,
  effect: WriteEffect | undefined,
  key: string,
  recordId: string | undefined,
  detail?: PlanDetail,
) => void;

/** What the pipeline routes a stream's records by: its target and its mapper (a kind's route has more). */
export interface StreamRoute {
  target: WriteTarget;
  mapper: RecordMapper;
}

/** Airbyte messages routed by stream, or plain JSON records (raw pipe mode) all going to one route. */
export type PipelineInput =
  | { kind: "airbyte"; routes: ReadonlyMap<string, StreamRoute> }
  | { kind: "raw"; route: StreamRoute };
