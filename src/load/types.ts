/** The shapes that flow through the write pipeline: route → map → batch → send → settle. */
import type { Rejection } from "../rejects/rejected-record.js";
import type { RecordTicket } from "./checkpoints.js";

/** upsert, update and archive are for CRM objects; send is for custom events. */
export const WRITE_MODES = ["upsert", "update", "archive", "send"] as const;
export type WriteMode = (typeof WRITE_MODES)[number];

/** One configured stream, resolved to the HubSpot object it writes. */
export interface WriteTarget {
  /** Stream key (namespace.name), also the key the checkpoint tracker tallies by. */
  key: string;
  streamName: string;
  namespace: string | undefined;
  /** The object name as the user wrote it: CONTACT, COMPANY, DEAL, PRODUCT or a custom object's name. */
  objectName: string;
  /** The path segment HubSpot's API takes: `contacts`, `0-3`, `2-1234567`. */
  objectType: string;
  mode: WriteMode;
  /** The matching key: a unique-value property (or `email` for contacts); `uuid` for events. */
  idProperty: string;
  /** CRM records or custom event occurrences: they go to different endpoints. */
  kind: "crm" | "event";
  /** Inputs per request and linger time, when they differ from the CRM defaults (events: 500). */
  batchSize?: number;
  lingerMs?: number;
}

/** What the pipeline keeps of an input record until it is settled. */
export interface RecordRef {
  ticket: RecordTicket;
  data: unknown;
  emittedAt: number | undefined;
  lineNumber: number;
}

/** One HubSpot batch input; records with the same key in a batch are merged into one input. */
export interface BatchInput {
  traceId: string;
  id: string;
  properties: Record<string, string>;
  /** The records merged into this input, oldest first, with their own mapped properties. */
  parts: { properties: Record<string, string>; record: RecordRef }[];
}

export type InputOutcome = { ok: true; created?: boolean } | { ok: false; rejection: Rejection };

/** Sends one batch for one target; answers an outcome per input trace id, or throws a connector-level failure. */
export type BatchSender = (
  target: WriteTarget,
  inputs: readonly Pick<BatchInput, "traceId" | "id" | "properties">[],
) => Promise<Map<string, InputOutcome>>;
