/** Seam types of `write --plan`: what a kind's read-only stand-in for its sender reports. */
import type { InputOutcome, WireInput, WriteTarget } from "./records.js";

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
