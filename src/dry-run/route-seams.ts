/**
 * What a plan puts into the write's route builders (commands/write-routes.ts), so that the associations stage and
 * the list streams' routes, sender, stage and sweep run as in a write over stand-ins that send no write
 * (links-planner.ts, lists-planner.ts), and the CRM records a list would create are planned by the CRM planner.
 */
import type { AssociationSeams } from "../associations/index.js";
import type { PlanContext, TargetPlanner, WriteTarget } from "../contract.js";
import type { ApiPaths } from "../hubspot/api-paths.js";
import type { JsonTransport } from "../hubspot/transport.js";
import type { ListSeams } from "../targets/list/routes.js";
import { planningLinkCalls } from "../associations/planning.js";
import { countingTransport, PlanningLists } from "../targets/list/planning.js";

/** What the route builders need of a plan: its context, and the CRM planner (one projection for the whole plan). */
export interface PlanSeams {
  context: PlanContext;
  crm: TargetPlanner;
}

interface Client extends JsonTransport {
  paths: Pick<ApiPaths, "crmBatch">;
}

/** The associations stage's stand-ins (see links-planner.ts). */
export function planningLinks(
  plan: PlanSeams,
  targets: ReadonlyMap<string, WriteTarget>,
  client: JsonTransport,
): NonNullable<AssociationSeams["planning"]> {
  return (specs, api) => planningLinkCalls({ context: plan.context, targets, transport: client }, specs, api);
}

/** The list routes' stand-ins (see lists-planner.ts); a sweep's removals count toward `max_list_removals`. */
export function planningLists(plan: PlanSeams, client: Client): ListSeams {
  const { context } = plan;
  return {
    api: (real, runs) => new PlanningLists(real, runs, { context, transport: client, paths: client.paths }),
    transportFor: (target) => countingTransport(client, context, target),
    // A missing member's upsert is a request of the list stream's batch, not a batch of its own.
    crmSender: (target, inputs) =>
      plan.crm.plan(target, inputs, {
        ...context,
        wouldSend: (of, count) => context.wouldRequest(of, count),
      }),
    beforeListRemovals: async (count) => context.wouldRemoveListMembers(count),
  };
}

/** A log whose lines are what the write would report: the plan's summary notes them. */
export const planNotes =
  (context: PlanContext) =>
  (_level: "INFO" | "WARN", message: string): void =>
    context.note(`A write would report: ${message}`);
