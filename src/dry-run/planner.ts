/**
 * How `write --plan` decides what a write would do, without writing: the write's own pipeline (mapping, local
 * checks, batching, one record lock per key) runs with planners in place of the senders and stages.
 *
 * - A **target kind** gives each route a `TargetPlanner` (contract.ts): given a batch, it reads what it needs
 *   through the same client and governor and answers each input's outcome as the write would settle it — `written`
 *   with the effect the write would have (created, updated, archived, absent, sent, added, …), the record's id
 *   (HubSpot's, or a planned one for a record the write would create: planned-ids.ts) and a `PlanDetail`, or
 *   `rejected` with the reason a read already gives. It calls `context.wouldSend` for each batch with the requests
 *   a real write of it would make (targets/crm-object/planner.ts; targets/event/planner.ts; list memberships by the
 *   lists' own sender over stand-ins, targets/list/planning.ts).
 * - A **stage** (associations, a list's sweep) is planned by the stage itself, built over stand-ins for its
 *   HubSpot calls (associations/planning.ts, targets/list/planning.ts): reads pass through, writes are
 *   answered as HubSpot answers success and remembered, each counted with `context.wouldRequest`. A stage settles
 *   a record `written` with `detail: { ...record.detail, verdicts: [...] }` (`link`, `unlink`, `create`), or
 *   `rejected` with the reason the write would give; changes no input record stands for (a sweep's removals) go to
 *   `context.addLine`, and what the write would report to `context.note`.
 * The plan file gets each record's line once every planner and stage has settled it (recorder.ts).
 */
import type { BatchSender, PlanContext, TargetPlanner, WriteTarget } from "../contract.js";
import { ConfigError } from "../errors.js";

/** The routes' planners as the pipeline's sender: each target goes to the planner its kind gave its route. */
export function plannerSender(
  plannerOf: (target: WriteTarget) => TargetPlanner | undefined,
  context: PlanContext,
): BatchSender {
  return (target, inputs) => {
    const planner = plannerOf(target);
    if (!planner) throw new ConfigError(`write --plan cannot plan stream ${target.key}: it has no planner.`);
    return planner.plan(target, inputs, context);
  };
}

/** A log whose lines are what the write would report: the plan's summary notes them. */
export const planNotes =
  (context: PlanContext) =>
  (_level: "INFO" | "WARN", message: string): void =>
    context.note(`A write would report: ${message}`);

/** What a plan counts of the requests a write would make, per stream. */
export interface WriteRequests {
  target: WriteTarget;
  /** Batches the write would send (each one request at least). */
  batches: number;
  /** Requests those batches and the stream's stage work would make, at least (an archive batch reads first). */
  requests: number;
}

/** A HubSpot property a write would create, as the plan's summary lists it (`properties_to_create`). */
export interface PlannedProperty {
  /** The object in the connector's spelling (CONTACT, a custom object's name). */
  object: string;
  name: string;
  type: string;
  fieldType: string;
}

/** Where `create_missing_properties` tells a plan what a write would create before any record (targets/crm-object/properties/). */
export interface PropertyPlan {
  wouldCreateProperty(property: PlannedProperty): void;
}

/** Notes a plan keeps for its summary; they are said once each, and a plan makes few. @default 100 */
export const MAX_NOTES = 100;

/** What a plan's context has gathered besides the lines: requests, list removals asked, notes. */
export interface PlanCounts {
  readonly requests: ReadonlyMap<string, WriteRequests>;
  /** Requests the write would make before any record that the plan did not make (creating a list). */
  readonly setupWrites: number;
  readonly listRemovalsAsked: number;
  readonly notes: readonly string[];
  /** What the plan cannot know without writing, as the kinds said it (`caveat`). */
  readonly caveats: readonly string[];
  /** The properties the write would create before any record (`create_missing_properties`). */
  readonly propertiesToCreate: readonly PlannedProperty[];
}

/** Counts the write's requests per stream; extra lines go to `addLine`. */
export function createPlanContext(addLine: PlanContext["addLine"]): PlanContext & PlanCounts & PropertyPlan {
  const requests = new Map<string, WriteRequests>();
  const notes: string[] = [];
  const caveats: string[] = [];
  const propertiesToCreate: PlannedProperty[] = [];
  const entryOf = (target: WriteTarget) => {
    const entry = requests.get(target.key) ?? { target, batches: 0, requests: 0 };
    requests.set(target.key, entry);
    return entry;
  };
  const context = {
    requests,
    setupWrites: 0,
    listRemovalsAsked: 0,
    notes,
    caveats,
    propertiesToCreate,
    addLine,
    wouldSend(target: WriteTarget, count: number) {
      const entry = entryOf(target);
      entry.batches += 1;
      entry.requests += count;
    },
    wouldRequest(target: WriteTarget | undefined, count: number) {
      if (target) entryOf(target).requests += count;
      else context.setupWrites += count;
    },
    wouldRemoveListMembers(count: number) {
      context.listRemovalsAsked += count;
    },
    note(text: string) {
      if (notes.length < MAX_NOTES && !notes.includes(text)) notes.push(text);
    },
    caveat(text: string) {
      if (!caveats.includes(text)) caveats.push(text);
    },
    wouldCreateProperty(property: PlannedProperty) {
      propertiesToCreate.push(property);
    },
  };
  return context;
}
