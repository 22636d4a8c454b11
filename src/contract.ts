/**
 * The seam types that cross layers: a stream resolved to its target, what a mapper makes of a record, what the
 * pipeline hands a sender and a sender answers per input, the stages and planners that plug into the pipeline, and
 * what a kind of target (src/targets/) must do. Every layer imports them from here, downward; this module imports
 * only types from the floor below it (config/, protocol/).
 */
import type { Config } from "./config/schema.js";
import type { ConfiguredStream } from "./protocol/catalog.js";
import type { DestinationOperation } from "./protocol/messages.js";

/** Why one record was not written: HubSpot's reason, or the connector's own. */
export interface Rejection {
  /** HubSpot's `error` or `category` (INVALID_EMAIL, VALIDATION_ERROR, …) or the connector's own (MISSING_MATCHING_KEY). */
  code: string;
  message: string;
  /** The record field concerned, where there is one. */
  field?: string;
  /** HTTP status of HubSpot's answer, when HubSpot rejected the record. */
  httpStatus?: number;
  /** HubSpot's error category, when it gave one. */
  category?: string;
}

/** upsert, update, archive: CRM records; send: custom events; add, remove, replace (an overwrite): list members. */
export const WRITE_MODES = ["upsert", "update", "archive", "send", "add", "remove", "replace"] as const;
export type WriteMode = (typeof WRITE_MODES)[number];

/** One configured stream (or raw pipe mode's `stdin`, or a replayed stream), resolved by its kind. */
export interface StreamSpec {
  /** Stream key (namespace.name), also the key the checkpoint tracker tallies by. */
  key: string;
  streamName: string;
  namespace: string | undefined;
  /** The name of the kind that claimed it (`crm-object`, `event`, `list`: its folder under src/targets/). */
  kind: string;
  /** The object name in the connector's spelling (CONTACT for `contacts`), `event:signed_up`, `list:Newsletter`. */
  objectName: string;
  mode: WriteMode;
  /** The matching key: a unique-value property (or `email` for contacts); `uuid` for events. */
  idProperty: string;
  /** The stream's Airbyte sync and generation ids, stored with its rejected records. */
  syncId?: number | undefined;
  generationId?: number | undefined;
  /** Plain JSON lines from `--object`: the end of the input is the end of the source. */
  raw?: boolean;
  /**
   * Rejected records of earlier runs sent again (`replay`): `generationId` is the one they were read in, which may
   * be long past, and the input is no source's whole (a replayed overwrite never sweeps).
   */
  replay?: boolean;
}

/** A stream resolved to the HubSpot object it writes, with what the pipeline and stages need of its kind. */
export interface WriteTarget extends StreamSpec {
  /** The path segment HubSpot's API takes: `contacts`, `0-3`, `2-1234567`. */
  objectType: string;
  /**
   * Each input names one HubSpot record by its key (CRM records; list members): a write holds that record's lock,
   * so two writes of one record, whatever their streams, never race and land in input order (load/batcher.ts).
   */
  locksRecord: boolean;
  /**
   * The inputs' properties are written as the record's values (CRM records): HubSpot judges each value, so one it
   * refused is refused again, and is screened from then on (load/refused-values.ts).
   */
  screensValues: boolean;
  /** Its written records may be linked to other records by the associations stage (CRM records). */
  linkable: boolean;
  /** Inputs per request and linger time, when they differ from the CRM defaults (events: 500). */
  batchSize?: number;
  lingerMs?: number;
}

/** One input of a HubSpot batch request as a sender sees it. */
export interface WireInput {
  /** Unique per request attempt: sent as `objectWriteTraceId` so HubSpot's answer can name the input. */
  traceId: string;
  /** The matching key's value (a uuid for events). */
  id: string;
  properties: Record<string, string>;
}

/**
 * What a written input did in HubSpot, as far as HubSpot's answer tells. For list memberships: `added` (joined),
 * `already-member`, `removed` (left), `not-member` (was not in the list, or its record does not exist).
 */
export type WriteEffect =
  | "created"
  | "updated"
  | "archived"
  | "absent"
  | "sent"
  | "added"
  | "already-member"
  | "removed"
  | "not-member";

/**
 * What a read-only planner found in place of writing (`write --plan`): HubSpot's current values of what the input
 * would set, and a stage's own verdicts. It travels untouched by the pipeline to the stage that writes plan lines.
 */
export interface PlanDetail {
  /**
   * The record's current values of the properties the input sets (null: no value), as HubSpot answered a read by
   * key; undefined when no record has the key (the write would create it) or nothing was read (events).
   */
  current?: Readonly<Record<string, string | null>> | undefined;
  /** Verdicts beyond the record's own, in the order they were decided: a link, an unlink, a list add or remove. */
  verdicts?: readonly PlannedAction[] | undefined;
  /** The id of the record the input's record id was merged into, which the write would write instead. */
  mergedInto?: string | undefined;
}

/** One verdict a stage's planner adds for a record (`link`, `unlink`, `add`, `remove`, …). */
export interface PlannedAction {
  verdict: string;
  /** What it concerns, for people: `COMPANY c-1 (Employer)`, `list Newsletter`. */
  about?: string | undefined;
}

/**
 * A sender's verdict on one input. `unaccounted`: HubSpot's answer named neither a result nor an error for it, so
 * the caller must not count it as written. `deferred`: the verdict comes later.
 */
export type InputOutcome =
  | {
      status: "written";
      effect?: WriteEffect | undefined;
      recordId?: string | undefined;
      /** Set by a planner instead of writing (`write --plan`). */
      detail?: PlanDetail | undefined;
    }
  | { status: "rejected"; rejection: Rejection }
  | { status: "unaccounted"; reason: string }
  | {
      /**
       * Settled later, apart from its batch (a merged record id, followed together with other batches' ids:
       * targets/crm-object/by-id/): the batch's other inputs settle without waiting for it. A rejected promise is
       * a connector-level failure, as a sender's throw is.
       */
      status: "deferred";
      outcome: Promise<InputOutcome>;
    };

/**
 * Rejects an input before it is sent again when its value is one HubSpot refused in this run (undefined lets it
 * go). Senders apply it to what they re-send while isolating, and tell it at once of each input a refusal blames
 * (`refused`), so the batches still waiting are screened for that value before they go out.
 */
export interface InputScreen {
  (input: WireInput): Rejection | undefined;
  refused?: (input: WireInput, rejection: Rejection) => void;
}

/** Sends one batch for one target; answers an outcome per input trace id, or throws a connector-level failure. */
export type BatchSender = (
  target: WriteTarget,
  inputs: readonly WireInput[],
  screen?: InputScreen,
) => Promise<Map<string, InputOutcome>>;

/** What a mapper makes of one record: a HubSpot input, a rejection, or (events outside the allow-list) nothing. */
export type MappedRecord =
  | { ok: true; id: string; properties: Record<string, string>; skip?: undefined }
  | { ok: true; skip: true }
  | { ok: false; rejection: Rejection };

/** Maps one record's data to a HubSpot input or a rejection; compiled once per stream. */
export interface RecordMapper {
  map(data: unknown): MappedRecord;
  /**
   * Folds a later write of the same record into an earlier one, as HubSpot would apply the two in order (a
   * multi-checkbox value starting with `;` appends). Mutates and returns `into`. @default later values replace
   */
  merge?(into: Record<string, string>, later: Readonly<Record<string, string>>): Record<string, string>;
}

/** One record whose own write succeeded, handed to a stage that has more to do for it (its links, say). */
export interface StageRecord {
  target: WriteTarget;
  /** The matching key's value, as sent. */
  key: string;
  /** The record's data as read. */
  data: unknown;
  /** Its mapped properties. */
  properties: Readonly<Record<string, string>>;
  /** HubSpot's id of the record written, when HubSpot's answer gave it. */
  recordId?: string | undefined;
  effect?: WriteEffect | undefined;
  lineNumber: number;
  /** What a planner found instead of writing (`write --plan`); undefined in a real write. */
  detail?: PlanDetail | undefined;
}

/** How a stage settles a record it took; a stage's planner returns the record's detail with its verdicts added. */
export type StageVerdict =
  | { status: "written"; effect?: WriteEffect | undefined; detail?: PlanDetail | undefined }
  /** A plan's rejection after the record's own write keeps its detail: the links made before it was refused. */
  | { status: "rejected"; rejection: Rejection; detail?: PlanDetail | undefined };

/**
 * Work after a record's own write before it counts as written (associations), or once the input has ended (a
 * list's overwrite sweep). The pipeline calls it; it never reaches back into the pipeline but through `settle`.
 */
export interface RecordStage {
  /**
   * Called once before any record: `fail` ends the run on a connector-level failure of the stage's own work;
   * `stop` is the run's stop signal (a signal to the process): once it is aborted the stage sends nothing more.
   */
  start?(hooks: { fail: (error: unknown) => void; stop?: AbortSignal | undefined }): void;
  /** Whether records of this target need this stage after their write. */
  wants(target: WriteTarget): boolean;
  /** Takes over a written record: `settle` must be called exactly once, when the stage's work for it is done. */
  take(record: StageRecord, settle: (verdict: StageVerdict) => void): void;
  /** Every record the run wrote, whatever its stream: lets a stage learn HubSpot ids without asking for them. */
  observe?(target: WriteTarget, key: string, recordId: string): void;
  /**
   * A line of `stream` (its name; `_unparsed` when it named none) was rejected before any mapper read it, so what
   * it held is unknown: a list's overwrite cannot vouch for having seen every member.
   */
  lost?(stream: string): void;
  /** A stream's status as the source reported it (STARTED, COMPLETE, INCOMPLETE). */
  streamStatus?(stream: string, status: string): void;
  /**
   * Reading is paused and only the stages hold records: what a stage waits for from later input (a link's target)
   * cannot come until it lets some go. Called each time reading wakes still held up; it settles nothing before it
   * returns (the pipeline starts waiting for settles once it has).
   */
  relieve?(): void;
  /** The input ended without a fatal error or a stop: do what is left; resolves once every record taken is settled. */
  finish(): Promise<void>;
  /** Records taken and not yet settled, for backpressure. */
  readonly pending: number;
}

/** What a plan's planners report besides each outcome (dry-run/planner.ts): requests, lines of their own, notes. */
export interface PlanContext {
  /** A real write of one batch of `target` would make `requests` HubSpot requests. */
  wouldSend(target: WriteTarget, requests: number): void;
  /**
   * A real write would make `requests` more requests for `target`'s records outside its batches (links, a list's
   * key reads), or before any record when `target` is undefined (creating a list); reads passed through count too.
   */
  wouldRequest(target: WriteTarget | undefined, requests: number): void;
  /** The write would ask to remove `count` list members (what `guards.max_list_removals` counts). */
  wouldRemoveListMembers(count: number): void;
  /** A plan line of its own: a change the write would make that no input record stands for. */
  addLine(line: PlanLine): void;
  /** A fact for the summary's notes (what the write would create before any record, what it would report). */
  note(text: string): void;
  /** What the plan cannot know without writing, for the summary's `cannot_know` (said once each). */
  caveat(text: string): void;
}

/** One line of a plan file, as a planner or stage may add it (the plan writes each input record's line itself). */
export interface PlanLine {
  target: WriteTarget;
  /** The key of the record concerned, when there is one. */
  key?: string | undefined;
  verdict: string;
  about?: string | undefined;
}

/**
 * A kind's read-only stand-in for its BatchSender (`write --plan`): it only reads, through the same client and
 * governor, and answers each input the outcome a write would settle it with: `written` with the effect and a
 * PlanDetail, or `rejected` with the reason a read gives (an update of a key that matches nothing).
 */
export interface TargetPlanner {
  plan(
    target: WriteTarget,
    inputs: readonly WireInput[],
    context: PlanContext,
  ): Promise<Map<string, InputOutcome>>;
}

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
