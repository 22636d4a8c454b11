// `node bench/table.mjs [FILE]`: prints the README's benchmark table from bench/results/latest.json (or FILE), so
// the figures quoted there are the ones a run wrote, never typed by hand.
import { readFile } from "node:fs/promises";

const file = process.argv[2] ?? new URL("./results/latest.json", import.meta.url);
const r = JSON.parse(await readFile(file, "utf8"));
const n = (value) => Math.round(value).toLocaleString("en-US");
const pct = (share) => `${(share * 100).toFixed(1)} %`;
const rows = [];
const row = (what, result) => rows.push([what, result]);

const budgetRun = (run) =>
  `${n(run.goodRecordsPerSecond)} good/s (${run.seconds} s), ${n(run.upsertRequests)} upsert requests for ` +
  `${n(run.batchesOfInput)} batches, ${run.refused} refused, ${run.http429} 429`;
/** What a run's receipt says it spent waiting (older results have no receipt figures). */
const waits = (run) =>
  run.retries === undefined
    ? ""
    : `; ${run.answered429} answered 429 in all, ${run.retries} retries (${run.retryWaitSeconds} request-s of backoff), ${run.rateLimitWaitSeconds} request-s waiting for the rate governor`;

if (r.throughput) {
  const t = r.throughput;
  row(
    `${n(t.records)} contacts upserted by email`,
    `**${n(t.connector.recordsPerSecond)} records/s** (${t.connector.seconds} s), ${pct(t.shareOfTheoreticalMax)} of the theoretical 1,900/s, ${t.connector.http429} HTTP 429`,
  );
  row(
    "the same through `@hubspot/api-client` (sequential `batchApi.upsert` of 100)",
    `${n(t.baseline.recordsPerSecond)} records/s (${t.baseline.seconds} s): the connector is **${t.ratio}×** faster`,
  );
}
if (r.dirty) {
  row(`clean: ${n(r.dirty.clean.written)} contacts`, budgetRun(r.dirty.clean));
  row(
    "dirty: the same with 2 % of addresses HubSpot refuses (half by its syntax rules, half typos of 4 domains such as `gmail.con`)",
    budgetRun(r.dirty.dirty),
  );
  row("dirty, worst case: each domain typo a domain of its own", budgetRun(r.dirty.dirtyUniqueTypos));
  row("1 in 50 addresses plainly malformed (refused locally)", budgetRun(r.dirty.malformed));
}
if (r.dirtyStores) {
  const data = {
    refusedLocally: "every bad address breaking HubSpot's stated syntax rules (refused locally)",
    refusedByHubSpot: "the dirty data above (half refused by HubSpot)",
  };
  const ways = { none: "no rejects store", file: "`--rejects` file", s3: "S3 (s3rver)" };
  for (const [name, runs] of Object.entries(r.dirtyStores)) {
    for (const [way, run] of Object.entries(runs)) {
      const stored = run.rejectsStored === undefined ? "" : `, ${run.rejectsStored} rows stored`;
      row(
        `${n(run.written + run.refused)} contacts, 2 % bad, ${data[name]}: ${ways[way]}`,
        `${budgetRun(run)}${stored}; **${run.requestsPerBatchOfInput} requests per batch, ${pct(run.shareOfMax)} of 1,900/s**`,
      );
    }
  }
}
if (r.shared) {
  for (const [size, pair] of Object.entries(r.shared)) {
    row(`${n(Number(size))} contacts alone`, budgetRun(pair.alone));
    row(
      `${n(Number(size))} contacts beside a client using 9.5 req/s of the same token`,
      `${budgetRun(pair.shared)}; **${pct(pair.shared.shareOfWhatIsLeft)} of what the neighbour leaves**; neighbour: ${pair.shared.neighbour.sent} requests, ${pair.shared.neighbour.http429} 429`,
    );
    if (pair.bursty) {
      const { bursty } = pair;
      row(
        `${n(Number(size))} contacts beside a client bursting a whole window (190 requests in 1 s) every ${bursty.neighbour.burstEverySeconds} s`,
        `${budgetRun(bursty)}; **${pct(bursty.shareOfWhatIsLeft)} of what the neighbour leaves** (${bursty.leftPerSecond} req/s); neighbour: ${bursty.neighbour.admittedDuringRun} admitted, ${bursty.neighbour.http429} 429`,
      );
    }
  }
}
if (r.faults) {
  const pairs = [["100", r.faults]];
  if (r.faults.batchesOf25) pairs.push(["25", r.faults.batchesOf25]);
  for (const [size, pair] of pairs) {
    row(
      `fault mix at 10 ms, clean: ${n(pair.clean.written)} records in batches of ${size}`,
      budgetRun(pair.clean),
    );
    row(
      `the same with 10 % 5xx (half after commit), 5 % 429, 2 % resets, 1 % whole-batch 409`,
      `${budgetRun(pair.faults)}${waits(pair.faults)}; accounting intact: ${pair.faults.accountingIntact}`,
    );
  }
}
if (r.cpu)
  row(
    `${n(r.cpu.records)} contacts, sandbox without limit or latency`,
    `**${n(r.cpu.recordsPerSecond)} records/s**, ${r.cpu.cpuMicrosecondsPerRecord} µs CPU per record, peak RSS ${r.cpu.peakRssMb} MB`,
  );
if (r.memory) {
  const growth = r.memory.growth.map((g) => g.peakRssMb).join(" / ");
  row(
    `peak RSS of \`write\` at ${r.memory.growth.map((g) => `${n(g.records / 1000)}k`).join(" / ")} records`,
    `**${growth} MB**`,
  );
  for (const [launch, run] of Object.entries(r.memory.launches))
    row(
      `peak RSS at ${n(run.records)} records, started as \`${launch}\``,
      `${run.peakRssMb} MB, ${n(run.recordsPerSecond)} records/s`,
    );
  const big = r.memory.records250kB;
  row(
    `${n(big.records)} records of 250 kB each`,
    `peak RSS **${big.peakRssMb} MB**, ${n(big.recordsPerSecond)} records/s`,
  );
}
if (r.events) {
  const { latency, bulk } = r.events;
  row(
    `events at a steady 200/s (${n(latency.events)} events), stdin → sandbox acknowledged`,
    `p50 **${latency.p50Ms} ms**, p95 **${latency.p95Ms} ms**, max ${latency.maxMs} ms`,
  );
  row(
    `${n(bulk.events)} events arriving at once`,
    `**${n(bulk.eventsPerSecond)} events/s**, peak RSS ${bulk.peakRssMb} MB`,
  );
}
if (r.associations) {
  const a = r.associations;
  const linkRun = (run) =>
    `${n(run.recordsPerSecond)} records/s, **${n(run.linksPerSecond)} links/s** (${run.seconds} s), ${run.requestsPerLink} requests per link (${run.requestsPerLinkWithLookups} with lookups), ${run.http429} 429`;
  row(
    `${n(a.deals)} deals each linked to a company and two contacts, all written in the same run`,
    linkRun(a.sameRun),
  );
  row("the same deals, targets already in HubSpot (looked up in batches)", linkRun(a.inHubSpot));
  row("the same run with every target later in the input than its deals", linkRun(a.laterInInput));
}
if (r.lists) {
  const l = r.lists;
  row(
    `a ${n(l.members)}-member audience written to a new static list`,
    `${l.newList.seconds} s, **${n(l.newList.membersPerSecond)} members/s**, ${n(l.newList.requests)} requests, ${l.newList.http429} 429`,
  );
  row(
    `then replaced by an overlapping ${n(l.members)} (${n(l.leaveAndJoin)} leave, ${n(l.leaveAndJoin)} join)`,
    `${l.replaced.seconds} s, ${n(l.replaced.membersPerSecond)} members/s, ${n(l.replaced.requests)} requests; list is exactly the second audience: ${l.replaced.exactlyTheSecondAudience}`,
  );
}

console.log("| benchmark | result |\n| --- | --- |");
for (const [what, result] of rows) console.log(`| ${what} | ${result} |`);
