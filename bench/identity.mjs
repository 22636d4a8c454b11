// Benchmark: the dirty case with contacts' secondary addresses. 2 % of the records address a contact by a secondary
// address while its primary address is another record of the same batch: HubSpot refuses each such batch until
// the two are merged (docs/crm.md "Secondary addresses and collisions").
import { round } from "./lib.mjs";
import { measuredWrite, pairedContacts, PROFESSIONAL, THEORETICAL } from "./workloads.mjs";

const SLOW = { rateLimit: PROFESSIONAL, latencyMs: 300, latencyJitterMs: 100 };

/** The dirty data (2 % of addresses refused) with `pairShare` of the records the second address of a pair. */
export async function dirtyPairs(records = 8_000, pairShare = 0.02) {
  const input = pairedContacts(records, { pairShare });
  const state = (sandbox) => sandbox.store.resolve("contacts");
  const run = await measuredWrite(input, {
    sandbox: SLOW,
    setup: (sandbox) => {
      for (const properties of input.existing) sandbox.store.create(state(sandbox), properties);
    },
  });
  // Records written, by the STATE messages: a pair's two records write one contact.
  const recordsPerSecond = round(run.stateStats.written / run.seconds);
  return {
    ...run,
    pairs: input.pairs,
    recordsPerSecond,
    shareOfMax: round(recordsPerSecond / THEORETICAL, 3),
    requestsOverBatches: round(run.upsertRequests / run.batchesOfInput, 2),
  };
}
