/**
 * What the connector hands a kind of target (contract.ts `TargetKind`): `KindSetup` to offer its discover
 * operations, `KindRun` to build a write's or a plan's routes. The run (src/run/) makes them; a kind uses only what
 * is here, so adding a kind touches its own folder and one line of the registry (index.ts).
 */
import type { Config } from "../config/schema.js";
import type { BatchSender, PlanContext, TargetKind } from "../contract.js";
import type { PropertyPlan } from "../dry-run/planner.js";
import type { Projection } from "../dry-run/projection.js";
import type { HubSpotClient, HubSpotLog } from "../hubspot/client.js";
import type { RequestGate } from "../hubspot/http-types.js";
import type { IsolationOptions } from "../hubspot/isolate.js";
import type { ObjectCatalog } from "../hubspot/objects.js";
import type { RunStats } from "../load/run-stats.js";
import type { ObjectDescription } from "../mapping/json-schema.js";

export type Log = HubSpotLog;

/** One object discover could read: its type id (for the lists that hold it) and its description. */
export interface DiscoveredObject {
  objectName: string;
  objectTypeId: string | undefined;
  description: ObjectDescription;
}

/** What `discover` hands each kind, in the registry's order. */
export interface KindSetup {
  config: Config;
  client: HubSpotClient;
  log: Log;
  /** The CRM objects discover read so far (the crm-object kind's), which the lists discover offers hold. */
  objects: DiscoveredObject[];
}

/** What a plan (`write --plan`) puts in place of writing: its context, and what its verdicts would leave. */
export interface KindPlan {
  context: PlanContext & PropertyPlan;
  projection: Projection;
}

/** What a write or a plan hands each kind to build its routes. */
export interface KindRun {
  config: Config;
  client: HubSpotClient;
  log: Log;
  /** Says what the run is doing now, for the message of a failure. */
  step(operation: string): void;
  /** Property definitions of the objects the run touches, each read once (shared with the associations stage). */
  objects: ObjectCatalog;
  /** What isolating refused batches costs, counted for the receipt. */
  isolation: IsolationOptions;
  /**
   * A gate of its own, paced at `perSecond` and halted with the run, for sends HubSpot exempts from the burst
   * limit (custom events); its waits count in the receipt's rate-limit wait.
   */
  separateGate(perSecond: number): RequestGate;
  /** The guards' caps around a sender a kind calls inside its own (a list's upserts of missing members). */
  wrapSender(send: BatchSender): BatchSender;
  /** `guards.max_list_removals`, with all of an overwrite sweep's removals, before the first. */
  beforeListRemovals(count: number): Promise<void>;
  /** The gate of the clean-up at the end (`release`), which must pass a guard's halt: the governor alone. */
  releaseGate: RequestGate | undefined;
  /** The run's totals, where a kind counts effects apart from records' own (records created for list members). */
  stats: RunStats;
  /** A plan: build over stand-ins that send no write, and report to its context. */
  plan: KindPlan | undefined;
}

/** A kind of target as the connector registers it. */
export type Kind = TargetKind<KindSetup, KindRun>;
