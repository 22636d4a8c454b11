/**
 * Stand-in HubSpot ids for what a plan decides a write would create: a record (`create`) or a list. HubSpot gives a
 * write the real id in its answer; a plan gives `planned:…` in its place, so the stages that need an id (links, list
 * members) work as in the write. The planning stand-ins for HubSpot's calls (associations/planning.ts, targets/list/planning.ts)
 * answer for these ids themselves and never send them to HubSpot.
 */

const PREFIX = "planned:";

/** The id a record the plan would create stands in with; one per object and key, as HubSpot keeps one record. */
export const plannedRecordId = (objectType: string, key: string) =>
  `${PREFIX}${objectType}:${key.trim().toLowerCase()}`;

/** The id of a list the plan would create. */
export const plannedListId = (name: string) => `${PREFIX}list:${name.toLowerCase()}`;

/** Whether an id stands for something the plan would create, which HubSpot does not have. */
export const isPlannedId = (id: string) => id.startsWith(PREFIX);
