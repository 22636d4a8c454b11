/** Seam types of a kind of target (src/targets/): its routes, and what discover, the scope check and a run ask of it. */
import type { Config } from "../config/schema.js";
import type { ConfiguredStream } from "../protocol/catalog.js";
import type { DestinationOperation } from "../protocol/messages.js";
import type { TargetPlanner } from "./plans.js";
import type { BatchSender, RecordMapper, StreamSpec, WriteMode, WriteTarget } from "./records.js";
import type { RecordStage } from "./stages.js";

/** A scope requirement: any one of the listed scopes satisfies it (e.g. products accept `e-commerce`). */
export type ScopeRequirement = readonly string[];

/** A stream's route as its kind builds it: what the pipeline maps and batches its records by, and sends them with. */
export interface Route {
  target: WriteTarget;
  mapper: RecordMapper;
  /** Sends the stream's batches. */
  send: BatchSender;
  /** Stands in for `send` in a plan (`write --plan`); a route without one cannot be planned. */
  plan?: TargetPlanner | undefined;
  /** Its records are timed from stdin to HubSpot's acknowledgement, for the receipt (custom events). */
  timed?: boolean;
}

/** What a kind resolves a stream to: the object in the connector's spelling, the write mode and the matching key. */
export interface StreamWrite {
  objectName: string;
  mode: WriteMode;
  idProperty: string;
}

/** What a kind builds for its streams before any record is read. */
export interface KindRoutes {
  routes: Route[];
  /** Work after its records' own writes, or after the input (a list's sweep); in a plan, built over stand-ins. */
  stages?: RecordStage[];
  /** What it changes in HubSpot before the first record (a missing list created), once every stream is checked. */
  open?(): Promise<void>;
  /** Undoes what lasts only while the run runs (a raw list overwrite's marker): called once it ended, however. */
  release?(): Promise<void>;
  /** WARN lines for the end of the run (event properties left out of every event that had them). */
  closing?(): string[];
  /** Records one request slot may hold in flight, when more than HubSpot's CRM batch (events: their batch size). */
  slotRecords?: number;
}

/**
 * A kind of target: what varies between CRM records, custom events and list memberships (and the kinds to come).
 * One folder per kind under src/targets/, registered in one list (targets/index.ts) that discover, the scope check
 * and the write, plan and replay runs loop over. `Setup` (discover's) and `Run` (a write's or plan's) are bound in
 * targets/kind.ts: they name the HubSpot client, whose layer sits below this module.
 */
export interface TargetKind<Setup, Run> {
  /** Its folder's name, and every target it builds carries it (`WriteTarget.kind`, `StreamSpec.kind`). */
  readonly name: string;
  /** Whether a stream's destination_object_name (or raw `--object`) names one of its targets. */
  claims(objectName: string): boolean;
  /** It claims the names no other kind claims (CRM objects: a custom object may be called anything). */
  readonly fallback?: boolean;
  /** A catalog stream it claimed: its object, write mode and matching key; a ConfigError names what is wrong. */
  catalogStream(configured: ConfiguredStream, label: string): StreamWrite;
  /** Raw pipe mode's `--object` and `--key` (else the default key); a UsageError when it needs one. */
  rawStream(objectName: string, key: string | undefined): Omit<StreamWrite, "mode">;
  /** The mode and key a stream of this object takes when none is given (replayed rows stored without them). */
  defaults(objectName: string): { mode: WriteMode; key: string | undefined };
  /** The scopes a stream needs, checked before any record is read. */
  scopes(spec: StreamSpec, config: Config): ScopeRequirement[];
  /** The DESTINATION_CATALOG operations the portal offers for this kind, in catalog order. */
  discover?(setup: Setup): Promise<DestinationOperation[]>;
  /** Its streams' routes, stages and setup, before any record is read (a ConfigError when one cannot run). */
  build(specs: readonly StreamSpec[], run: Run): Promise<KindRoutes>;
}
