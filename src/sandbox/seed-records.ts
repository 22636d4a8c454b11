/**
 * Records and merges the portal starts with (the `seed` option), so that a test or a user's trial can begin from a
 * state HubSpot would be in — contacts with secondary addresses, records merged into others — without making it
 * over HTTP first:
 *
 * ```json
 * {"seed": {
 *   "records": [
 *     {"objectType": "contacts", "id": "501", "properties": {"email": "ada@example.com", "hs_additional_emails": "ada@work.example"}},
 *     {"objectType": "contacts", "id": "502", "properties": {"email": "augusta@example.com"}}
 *   ],
 *   "merges": [{"objectType": "contacts", "primaryObjectId": "501", "objectIdToMerge": "502"}]
 * }}
 * ```
 *
 * Each record is checked as a create is (values, required properties, unique values) and may take its own id (the
 * portal's own ids start at 1000001); each merge is made as `POST …/merge` makes it (merge.ts), in order, and its
 * survivor takes the next id. Seeds are not written to the ledger. A seed that HubSpot would refuse, or an object
 * whose records must be created with links (leads), stops the sandbox from starting, naming it.
 */
import * as z from "zod";
import { ConfigError } from "../errors.js";
import { collisionOf } from "./collisions.js";
import { inputError } from "./crm.js";
import { mergeRecords } from "./merge.js";
import type { SandboxStore } from "./store.js";
import { storedProperties } from "./values.js";

export const SeedOptionsSchema = z
  .object({
    records: z
      .array(
        z.object({
          objectType: z.string().min(1),
          id: z
            .string()
            .regex(/^[1-9]\d{0,14}$/, "a record id is digits")
            .optional(),
          properties: z.record(z.string(), z.string()).default({}),
        }),
      )
      .default([]),
    merges: z
      .array(
        z.object({
          objectType: z.string().min(1),
          primaryObjectId: z.string().min(1),
          objectIdToMerge: z.string().min(1),
        }),
      )
      .default([]),
  })
  .default({ records: [], merges: [] });
export type SeedOptions = z.output<typeof SeedOptionsSchema>;

/** Makes the seeded records, then the seeded merges; throws a ConfigError naming the first seed refused. */
export function seedRecords(store: SandboxStore, seed: SeedOptions): void {
  for (const [index, { objectType, id, properties }] of seed.records.entries()) {
    const where = `seed.records[${index}]`;
    const state = store.resolve(objectType);
    if (!state) throw new ConfigError(`${where}: the sandbox has no object ${objectType}.`);
    if (state.definition.policy.requiredLinks) {
      throw new ConfigError(
        `${where}: ${state.definition.name} are created with their links; create them over HTTP.`,
      );
    }
    if (id !== undefined && (state.records.has(id) || state.merged.has(id))) {
      throw new ConfigError(`${where}: ${objectType} ${id} already exists.`);
    }
    const context = { store, state, version: "legacy" as const, countInputs: () => undefined };
    const problem = inputError(context, properties, true);
    if (problem) throw new ConfigError(`${where}: ${String(problem(undefined).message)}`);
    const stored = storedProperties(state, properties);
    const collision = collisionOf(store, state, undefined, stored, where, new Map());
    if (collision) {
      const body = ("status" in collision ? collision.body : collision(undefined)) as { message?: string };
      throw new ConfigError(`${where}: ${body.message ?? "a unique value another record holds"}`);
    }
    store.create(state, stored, { ...(id === undefined ? {} : { id }), ledger: false });
  }
  for (const [index, { objectType, primaryObjectId, objectIdToMerge }] of seed.merges.entries()) {
    const state = store.resolve(objectType);
    if (!state) throw new ConfigError(`seed.merges[${index}]: the sandbox has no object ${objectType}.`);
    const merged = mergeRecords(store, state, primaryObjectId, objectIdToMerge);
    if (!("id" in merged)) {
      const body = merged.body as { message?: string } | undefined;
      throw new ConfigError(`seed.merges[${index}]: ${body?.message ?? `refused with ${merged.status}`}`);
    }
  }
}
