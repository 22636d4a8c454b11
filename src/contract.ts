/**
 * The seam types that cross layers, one file a seam under contract/: a record's way through a write (records.ts),
 * the stages after a record's own write (stages.ts), a plan's stand-ins for the senders (plans.ts), and what a kind
 * of target (src/targets/) must do (kinds.ts). Every layer imports them from here, downward; contract/ imports only
 * types from the floor below it (config/, protocol/).
 */
export * from "./contract/kinds.js";
export * from "./contract/plans.js";
export * from "./contract/records.js";
export * from "./contract/stages.js";
