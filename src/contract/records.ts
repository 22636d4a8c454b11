/**
 * Seam types of one record's way through a write: a stream resolved to its target, what a mapper makes of a record,
 * what the pipeline hands a sender and what a sender answers per input (src/contract.ts re-exports them).
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
 * The codes of a unique value that collides (src/hubspot/collisions.ts): a value of a unique-value property that
 * another record holds (the rejection names the property), and a contact's email that another contact owns. A
 * collision is about who holds a value now, not about the value itself: it is never screened out of later records.
 */
export const COLLISION_CODES = {
  UNIQUE_VALUE_TAKEN: "UNIQUE_VALUE_TAKEN",
  EMAIL_TAKEN: "EMAIL_TAKEN",
} as const;

export const isCollisionCode = (code: string) => code === "UNIQUE_VALUE_TAKEN" || code === "EMAIL_TAKEN";

/**
 * upsert, update, archive, create (a new record each, no key): CRM records; send: custom events; add, remove,
 * replace (an overwrite): list members.
 */
export const WRITE_MODES = [
  "upsert",
  "update",
  "archive",
  "create",
  "send",
  "add",
  "remove",
  "replace",
] as const;
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
  /** The catalog's `json_schema` (raw mode: `--schema`): types the fields `create_missing_properties` creates. */
  jsonSchema?: Readonly<Record<string, unknown>> | undefined;
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

/** A link a create carries inside its input: the target's HubSpot id and the association types to give the pair. */
export interface InlineLink {
  toId: string;
  types: ReadonlyArray<{ category: string; typeId: number }>;
  /** The target for people (`CONTACT email "ann@x.co"`), for a plan's lines; never sent. */
  about?: string | undefined;
}

/** One input of a HubSpot batch request as a sender sees it. */
export interface WireInput {
  /** Unique per request attempt: sent as `objectWriteTraceId` so HubSpot's answer can name the input. */
  traceId: string;
  /** The matching key's value (a uuid for events; the record's place in its stream for a create). */
  id: string;
  properties: Record<string, string>;
  /** A create's links, made by HubSpot with the record (`associations` of a batch/create input). */
  links?: readonly InlineLink[] | undefined;
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
