// `npm run bench`: runs the benchmarks against the sandbox on loopback and prints a table; the figures are also
// written to bench/results/latest.json (a full run) or partial.json for comparison between commits. `--only NAME`
// runs one of throughput, dirty, pairs, shared, faults, cpu, memory, events, associations, lists, engagements,
// by-id; `--quick` scales every input down by 10.
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, totalmem } from "node:os";
import { associations } from "./associations.mjs";
import { updatesById } from "./by-id.mjs";
import { dirtyData, faultMix, sharedBudget } from "./budget.mjs";
import { engagements } from "./engagements.mjs";
import { cpu, memory } from "./cpu-memory.mjs";
import { dirtyStores } from "./stores.mjs";
import { eventBulk, eventLatency } from "./events.mjs";
import { dirtyPairs } from "./identity.mjs";
import { contactLines } from "./lib.mjs";
import { listAudience } from "./lists.mjs";
import { throughput } from "./throughput.mjs";
import { measuredWrite } from "./workloads.mjs";

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const scale = args.includes("--quick") ? 0.1 : 1;
const wants = (name) => only === undefined || only === name;
const n = (value) => Math.round(value * scale);

const results = {
  date: new Date().toISOString(),
  machine: {
    cpus: availableParallelism(),
    model: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
};
const show = (title, value) => console.log(`\n${title}\n${JSON.stringify(value, null, 2)}`);

// The sandbox answers from this process: one unmeasured write first compiles its code, so the first benchmark
// does not pay for the stand-in HubSpot warming up (measured: the first 8,000-record run took 5.0 s, the next
// two 4.1 s and 3.8 s).
await measuredWrite({ lines: [...contactLines(3_000)], bad: 0, good: 3_000 });

if (wants("throughput"))
  show(
    "1. Throughput vs the official SDK (190 req/10 s, 300 ± 100 ms)",
    (results.throughput = await throughput(n(50_000))),
  );
if (wants("dirty"))
  show(
    "1a. Dirty data: 2 % of addresses refused, beside clean data (190 req/10 s, 300 ± 100 ms)",
    (results.dirty = await dirtyData(n(8_000))),
  );
if (wants("dirty"))
  show(
    "1a. The dirty case three ways: no rejects store, a --rejects file, S3 on s3rver (190 req/10 s, 300 ± 100 ms)",
    (results.dirtyStores = await dirtyStores(n(8_000))),
  );
if (wants("pairs"))
  show(
    "1a. Dirty data with 2 % of records a contact's secondary address beside its primary one in the batch (190 req/10 s, 300 ± 100 ms)",
    (results.pairs = await dirtyPairs(n(8_000))),
  );
if (wants("shared"))
  show(
    "1b. Another client using 9.5 req/s of the same budget, and one that bursts a whole window every 20 s",
    (results.shared = await sharedBudget([n(12_000), n(60_000)])),
  );
if (wants("faults"))
  show(
    "1c. Fault mix at 10 ms, beside a clean run, in batches of 100 and of 25",
    (results.faults = await faultMix(n(3_000))),
  );
if (wants("cpu")) show("2. CPU cost (no limit, no latency)", (results.cpu = await cpu(n(200_000))));
if (wants("memory"))
  show("3. Peak RSS as input grows", (results.memory = await memory([n(100_000), n(300_000), n(1_000_000)])));
if (wants("events")) {
  results.events = { latency: await eventLatency(scale < 1 ? 5 : 15), bulk: await eventBulk(n(200_000)) };
  show("4. Events: latency at 200 events/s and bulk throughput", results.events);
}
if (wants("lists"))
  show(
    "5. Lists: a 50,000-member audience to a new list, then replaced by an overlapping one (190 req/10 s, 300 ± 100 ms)",
    (results.lists = await listAudience(n(50_000))),
  );

if (wants("associations"))
  show(
    "5. Associations: 10,000 deals, each to a company and two contacts (190 req/10 s, 300 ± 100 ms)",
    (results.associations = await associations(n(10_000))),
  );

if (wants("engagements"))
  show(
    "6. Engagements: 10,000 notes created each linked to a contact (190 req/10 s, 300 ± 100 ms)",
    (results.engagements = await engagements(n(10_000))),
  );

if (wants("by-id"))
  show(
    "7. Updates by record id: 5 % merged ids, 1 % missing (190 req/10 s, 300 ± 100 ms)",
    (results.byId = await updatesById(n(20_000))),
  );

await mkdir(new URL("./results/", import.meta.url), { recursive: true });
// Only a full run replaces the figures docs/benchmarks.md quotes (`node bench/table.mjs --write` puts them there);
// partial or quick runs go beside them.
const file = only === undefined && scale === 1 ? "latest.json" : "partial.json";
await writeFile(new URL(`./results/${file}`, import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten to bench/results/${file}`);
if (file === "latest.json")
  console.log("node bench/table.mjs --write puts its figures into docs/benchmarks.md");
