/**
 * The seam types that cross layers: what a mapper makes of a record, what the write pipeline hands a sender, and
 * what a sender answers per input. Every layer imports them from here, downward; no layer imports another's file
 * for a type (protocol → load → mapping / hubspot / rejects all meet here).
 */

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

/**
 * upsert, update and archive are for CRM objects; send is for custom events; add, remove and replace are for list
 * memberships (replace: add, then remove the members the input did not have).
 */
export const WRITE_MODES = ["upsert", "update", "archive", "send", "add", "remove", "replace"] as const;
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
  /** CRM records, custom event occurrences, or list memberships: they go to different endpoints. */
  kind: "crm" | "event" | "list";
  /** Inputs per request and linger time, when they differ from the CRM defaults (events: 500). */
  batchSize?: number;
  lingerMs?: number;
  /** The stream's Airbyte sync and generation ids, stored with its rejected records. */
  syncId?: number | undefined;
  generationId?: number | undefined;
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
 * What a read-only planner found in place of writing (`write --plan`, see src/dry-run/planner.ts): HubSpot's current
 * values of what the input would set, and verdicts of a stage's own (links, memberships). It travels from the
 * planner's outcome to the stage that writes the plan line, untouched by the pipeline.
 */
export interface PlanDetail {
  /**
   * The record's current values of the properties the input sets (null: no value), as HubSpot answered a read by
   * key; undefined when no record has the key (the write would create it) or nothing was read (events).
   */
  current?: Readonly<Record<string, string | null>> | undefined;
  /** Verdicts beyond the record's own, in the order they were decided: a link, an unlink, a list add or remove. */
  verdicts?: readonly PlannedAction[] | undefined;
}

/** One verdict a stage's planner adds for a record (`link`, `unlink`, `add`, `remove`, …). */
export interface PlannedAction {
  verdict: string;
  /** What it concerns, for people: `COMPANY c-1 (Employer)`, `list Newsletter`. */
  about?: string | undefined;
}

/**
 * A sender's verdict on one input. `unaccounted`: HubSpot's answer named neither a result nor an error for it (a
 * 2xx that carried errors it could not attribute), so the caller must not count it as written.
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
  | { status: "unaccounted"; reason: string };

/**
 * Rejects an input before it is sent again, when its value is one HubSpot already refused in this run; undefined
 * lets it go. Senders apply it to the inputs they re-send while isolating a refused batch, and tell it at once of
 * each input a refusal blames (`refused`), so the batches still waiting are screened for that value before they
 * go out, not only once the isolating batch is done.
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

/**
 * How a stage settles a record it took: written (with what the write did) or rejected with a reason. A stage's
 * planner (`write --plan`) returns the record's detail with its own verdicts added.
 */
export type StageVerdict =
  | { status: "written"; effect?: WriteEffect | undefined; detail?: PlanDetail | undefined }
  /** A plan's rejection after the record's own write keeps its detail: the links made before it was refused. */
  | { status: "rejected"; rejection: Rejection; detail?: PlanDetail | undefined };

/**
 * Work that follows a record's own write before the record counts as written (associations), or that a run does
 * once its input has ended (a list's overwrite sweep). The pipeline calls it; it never reaches back into the
 * pipeline but through `settle`.
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
   * Reading is paused for backpressure and nothing but the stages holds records: anything a stage waits for that
   * only later input could bring (a link's target) will not come until it lets some records go. Called again each
   * time reading is woken and still held up. It must not settle a record before it returns (the pipeline starts
   * waiting for settles once it has).
   */
  relieve?(): void;
  /** The input ended without a fatal error or a stop: do what is left; resolves once every record taken is settled. */
  finish(): Promise<void>;
  /** Records taken and not yet settled, for backpressure. */
  readonly pending: number;
}

/**
 * What a plan's planners report besides each input's outcome (see src/dry-run/planner.ts): the requests a real write
 * would make, and lines for changes no input record stands for (a list sweep's removals).
 */
export interface PlanContext {
  /** A real write of one batch of `target` would make `requests` HubSpot requests. */
  wouldSend(target: WriteTarget, requests: number): void;
  /**
   * A real write would make `requests` more HubSpot requests for `target`'s records outside its batches (a stage's
   * links, a list's key reads and membership changes), or before any record when `target` is undefined (creating a
   * list). Reads the plan passes through to HubSpot count too: the write makes them as well.
   */
  wouldRequest(target: WriteTarget | undefined, requests: number): void;
  /** The write would ask to remove `count` list members (what `guards.max_list_removals` counts). */
  wouldRemoveListMembers(count: number): void;
  /** A plan line of its own: a change the write would make that no input record stands for. */
  addLine(line: PlanLine): void;
  /** A fact for the summary's notes (what the write would create before any record, what it would report). */
  note(text: string): void;
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
 * A target kind's read-only stand-in for its BatchSender, used by `write --plan`: same inputs, same outcome shape,
 * but it only reads (through the same client and governor). Each input's outcome is the one a write would settle
 * it with: `written` with the effect the write would have and a PlanDetail (`current` values where it read them),
 * or `rejected` with the reason a read gives (an update of a key that matches nothing: OBJECT_NOT_FOUND).
 */
export interface TargetPlanner {
  plan(
    target: WriteTarget,
    inputs: readonly WireInput[],
    context: PlanContext,
  ): Promise<Map<string, InputOutcome>>;
}
