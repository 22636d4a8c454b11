/** Seam types of the stages: work after a record's own write before it counts as written (associations, lists). */
import type { InlineLink, PlanDetail, Rejection, WriteEffect, WriteTarget } from "./records.js";

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

/** A mapped record a stage holds before it is batched (a create whose link targets are being found). */
export interface PendingInput {
  target: WriteTarget;
  /** The record's data as read. */
  data: unknown;
  id: string;
  properties: Record<string, string>;
  lineNumber: number;
}

/**
 * Work before a record's own write (the targets of a create's links, found so the create carries them). The
 * pipeline hands it mapped records and batches what it lets go; like a RecordStage it learns every written
 * record's id (`observe`), is told when reading waits on it alone (`relieve`), and finishes at end of input.
 */
export interface InputStage {
  start?(hooks: { fail: (error: unknown) => void; stop?: AbortSignal | undefined }): void;
  /** Whether records of this target go through this stage before they are batched. */
  wants(target: WriteTarget): boolean;
  /** Takes a mapped record: exactly one of `proceed` (batch it, with its links) or `reject` is called, once. */
  take(
    input: PendingInput,
    proceed: (links: readonly InlineLink[]) => void,
    reject: (rejection: Rejection) => void,
  ): void;
  observe?(target: WriteTarget, key: string, recordId: string): void;
  relieve?(): void;
  /** The input ended and every earlier write is answered: let every record go; resolves once all have. */
  finish(): Promise<void>;
  readonly pending: number;
}
