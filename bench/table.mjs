// `node bench/table.mjs [--write | --check] [FILE]`: the benchmark tables of docs/benchmarks.md, from
// bench/results/latest.json (or FILE), so the figures quoted there are the ones a run wrote, never typed by hand.
// Without a flag it prints them; --write puts them between the page's markers; --check exits 1 when the page
// holds other figures than the file (a unit test runs it). Tables stay narrow enough for a terminal: one table per
// group with short columns, and what does not fit a column as notes under it.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";

const PAGE = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
const START = "<!-- bench/table.mjs: start -->";
const END = "<!-- bench/table.mjs: end -->";

const n = (value) => Math.round(value).toLocaleString("en-US");
const pct = (share) => `${(share * 100).toFixed(1)} %`;

/** One markdown table with a heading, an optional line of context and notes under it. */
function table(heading, columns, rows, { intro, notes = [] } = {}) {
  const lines = [`### ${heading}`, ""];
  if (intro) lines.push(intro, "");
  lines.push(`| ${columns.join(" | ")} |`, `| ${columns.map(() => "---").join(" | ")} |`);
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  if (notes.length > 0) lines.push("", ...notes.map((note) => `- ${note}`));
  return lines.join("\n");
}

function throughput(t) {
  return table(
    "Throughput",
    ["run", "records/s", "time", "429"],
    [
      [
        `${n(t.records)} contacts upserted by email`,
        `**${n(t.connector.recordsPerSecond)}** (${pct(t.shareOfTheoreticalMax)} of 1,900/s)`,
        `${t.connector.seconds} s`,
        t.connector.http429,
      ],
      [
        "the same through `@hubspot/api-client`",
        `${n(t.baseline.recordsPerSecond)} (the connector **${t.ratio}×** faster)`,
        `${t.baseline.seconds} s`,
        t.baseline.http429,
      ],
    ],
    { notes: ["`@hubspot/api-client`: sequential `batchApi.upsert` calls of 100 records."] },
  );
}

/** A row of the rate-budget table: good records/s, time, upsert requests for the batches of input, refused, 429. */
const budgetRow = (what, run) => [
  what,
  n(run.goodRecordsPerSecond),
  `${run.seconds} s`,
  n(run.upsertRequests),
  n(run.batchesOfInput),
  n(run.refused),
  run.http429,
];

/** What a run's receipt says it spent waiting (older results have no receipt figures). */
const waits = (run) =>
  run.retries === undefined
    ? ""
    : `; ${run.answered429} answered 429 in all, ${run.retries} retries (${run.retryWaitSeconds} request-s of ` +
      `backoff), ${run.rateLimitWaitSeconds} request-s waiting for the rate governor`;

function dirtyRows(r, rows, notes) {
  rows.push(budgetRow(`clean: ${n(r.dirty.clean.written)} contacts`, r.dirty.clean));
  rows.push(budgetRow("dirty: 2 % refused by HubSpot", r.dirty.dirty));
  rows.push(budgetRow("dirty, each typo a domain of its own", r.dirty.dirtyUniqueTypos));
  rows.push(budgetRow("1 in 50 plainly malformed (refused locally)", r.dirty.malformed));
  notes.push(
    "dirty: 2 % of addresses HubSpot refuses, half by its syntax rules, half typos of 4 domains such as `gmail.con`.",
  );
}

function storeRows(stores, rows, notes) {
  const data = { refusedLocally: "refused locally", refusedByHubSpot: "half by HubSpot" };
  const ways = { none: "no store", file: "`--rejects` file", s3: "S3 (s3rver)" };
  for (const [name, runs] of Object.entries(stores)) {
    for (const [way, run] of Object.entries(runs)) {
      const what = `${n(run.written + run.refused)}, 2 % bad, ${data[name]}: ${ways[way]}`;
      rows.push(budgetRow(what, run));
      const stored = run.rejectsStored === undefined ? "" : `, ${run.rejectsStored} rows stored`;
      notes.push(
        `${what}: **${run.requestsPerBatchOfInput} request${run.requestsPerBatchOfInput === 1 ? "" : "s"} per batch, ` +
          `${pct(run.shareOfMax)} of 1,900/s**${stored}.`,
      );
    }
  }
}

function sharedRows(shared, rows, notes) {
  for (const [size, pair] of Object.entries(shared)) {
    const records = n(Number(size));
    rows.push(budgetRow(`${records} contacts alone`, pair.alone));
    rows.push(budgetRow(`${records} beside a steady neighbour`, pair.shared));
    notes.push(
      `${records} beside a steady neighbour (a client using 9.5 req/s of the same token): ` +
        `**${pct(pair.shared.shareOfWhatIsLeft)} of what the neighbour leaves**; neighbour: ` +
        `${pair.shared.neighbour.sent} requests, ${pair.shared.neighbour.http429} 429.`,
    );
    if (pair.bursty) {
      const { bursty } = pair;
      rows.push(budgetRow(`${records} beside a bursting neighbour`, bursty));
      notes.push(
        `${records} beside a bursting neighbour (a whole window, 190 requests, in 1 s every ` +
          `${bursty.neighbour.burstEverySeconds} s): **${pct(bursty.shareOfWhatIsLeft)} of what the neighbour ` +
          `leaves** (${bursty.leftPerSecond} req/s); neighbour: ${bursty.neighbour.admittedDuringRun} admitted, ` +
          `${bursty.neighbour.http429} 429.`,
      );
    }
  }
}

function faultRows(faults, rows, notes) {
  const pairs = [["100", faults]];
  if (faults.batchesOf25) pairs.push(["25", faults.batchesOf25]);
  for (const [size, pair] of pairs) {
    rows.push(budgetRow(`fault mix, clean: ${n(pair.clean.written)} in batches of ${size}`, pair.clean));
    rows.push(budgetRow(`the same with faults, batches of ${size}`, pair.faults));
    notes.push(
      `the same with faults, batches of ${size}: accounting intact: ${pair.faults.accountingIntact}` +
        `${waits(pair.faults)}.`,
    );
  }
  notes.push(
    "fault mix: at 10 ms latency; 10 % 5xx (half after the write was committed), 5 % 429, 2 % resets, " +
      "1 % whole-batch 409.",
  );
}

function budget(r) {
  const rows = [];
  const notes = [];
  if (r.dirty) dirtyRows(r, rows, notes);
  if (r.dirtyStores) storeRows(r.dirtyStores, rows, notes);
  if (r.shared) sharedRows(r.shared, rows, notes);
  if (r.faults) faultRows(r.faults, rows, notes);
  if (rows.length === 0) return undefined;
  return table("The rate budget", ["run", "good/s", "time", "upserts", "batches", "refused", "429"], rows, {
    intro:
      "Records written per second, the upsert requests made for the batches of input, the records refused, and " +
      "the 429s the connector met.",
    notes,
  });
}

function cpuAndMemory(r) {
  const rows = [];
  if (r.cpu) {
    rows.push([
      `${n(r.cpu.records)} contacts, sandbox without limit or latency`,
      `**${n(r.cpu.recordsPerSecond)}**`,
      `${r.cpu.cpuMicrosecondsPerRecord} µs`,
      `${r.cpu.peakRssMb} MB`,
    ]);
  }
  if (r.memory) {
    for (const g of r.memory.growth) {
      const rate = g.recordsPerSecond === undefined ? "" : n(g.recordsPerSecond);
      rows.push([`\`write\` of ${n(g.records)} records`, rate, "", `**${g.peakRssMb} MB**`]);
    }
    for (const [launch, run] of Object.entries(r.memory.launches)) {
      rows.push([
        `${n(run.records)} records, started as \`${launch}\``,
        n(run.recordsPerSecond),
        "",
        `${run.peakRssMb} MB`,
      ]);
    }
    const big = r.memory.records250kB;
    rows.push([
      `${n(big.records)} records of 250 kB each`,
      n(big.recordsPerSecond),
      "",
      `**${big.peakRssMb} MB**`,
    ]);
  }
  if (rows.length === 0) return undefined;
  return table("CPU and memory", ["run", "records/s", "CPU per record", "peak RSS"], rows);
}

function events(e) {
  const { latency, bulk } = e;
  return table(
    "Events",
    ["run", "events/s", "p50", "p95", "max", "peak RSS"],
    [
      [
        `${n(latency.events)} events at a steady 200/s, stdin → acknowledged`,
        "",
        `**${latency.p50Ms} ms**`,
        `**${latency.p95Ms} ms**`,
        `${latency.maxMs} ms`,
        "",
      ],
      [
        `${n(bulk.events)} events arriving at once`,
        `**${n(bulk.eventsPerSecond)}**`,
        "",
        "",
        "",
        `${bulk.peakRssMb} MB`,
      ],
    ],
  );
}

function associations(a) {
  const row = (what, run) => [
    what,
    n(run.recordsPerSecond),
    `**${n(run.linksPerSecond)}**`,
    `${run.seconds} s`,
    run.requestsPerLink,
    run.requestsPerLinkWithLookups,
    run.http429,
  ];
  return table(
    "Associations",
    ["run", "records/s", "links/s", "time", "req./link", "with lookups", "429"],
    [
      row("targets written in the same run", a.sameRun),
      row("targets already in HubSpot", a.inHubSpot),
      row("every target later in the input", a.laterInInput),
    ],
    {
      intro:
        `${n(a.deals)} deals, each linked to a company and two contacts. Requests per link count association ` +
        "writes, and with lookups also the batched lookups of targets the run did not write.",
    },
  );
}

function lists(l) {
  return table(
    "Lists",
    ["run", "time", "members/s", "requests", "429"],
    [
      [
        `a ${n(l.members)}-member audience into a new static list`,
        `${l.newList.seconds} s`,
        `**${n(l.newList.membersPerSecond)}**`,
        n(l.newList.requests),
        l.newList.http429,
      ],
      [
        `replaced by an overlapping ${n(l.members)}`,
        `${l.replaced.seconds} s`,
        n(l.replaced.membersPerSecond),
        n(l.replaced.requests),
        l.replaced.http429,
      ],
    ],
    {
      notes: [
        `The replacement: ${n(l.leaveAndJoin)} leave and ${n(l.leaveAndJoin)} join; the list is then exactly the ` +
          `second audience: ${l.replaced.exactlyTheSecondAudience}.`,
      ],
    },
  );
}

function byId(b) {
  return table(
    "Updates by record id",
    ["run", "records/s", "of budget", "time", "req./batch", "reads", "updates", "429"],
    [
      [
        `${n(b.records)} companies, ${n(b.merged)} merged, ${n(b.missing)} missing`,
        `**${n(b.recordsPerSecond)}**`,
        pct(b.shareOfBudget),
        `${b.seconds} s`,
        `**${b.requestsPerBatchOfInput}**`,
        b.requests.read,
        b.requests.update,
        b.http429,
      ],
    ],
    {
      intro:
        "Updates of companies keyed by `hs_object_id`, some ids merged away, some missing. Requests per batch " +
        "count every request the sandbox received (setup included) per 100 input records; the budget is 1,900 " +
        "records/s (190 requests per 10 s, 100 records each).",
    },
  );
}

/** The tables, formatted as the repository's prettier formats the page. */
async function benchmarkTables(r) {
  const m = r.machine;
  const sections = [
    `Latest full run: ${r.date.slice(0, 10)} on a ${m.cpus}-core ${m.model}, ${m.memoryGb} GiB Linux machine, ` +
      `Node ${m.node.replace(/^v/, "")} (\`bench/results/latest.json\`).`,
    r.throughput && throughput(r.throughput),
    budget(r),
    cpuAndMemory(r),
    r.events && events(r.events),
    r.associations && associations(r.associations),
    r.lists && lists(r.lists),
    r.byId && byId(r.byId),
  ].filter(Boolean);
  const options = (await prettier.resolveConfig(PAGE)) ?? {};
  return prettier.format(sections.join("\n\n"), { ...options, parser: "markdown", proseWrap: "always" });
}

const args = process.argv.slice(2);
const mode = args.find((arg) => arg === "--write" || arg === "--check");
const file =
  args.find((arg) => !arg.startsWith("--")) ??
  fileURLToPath(new URL("./results/latest.json", import.meta.url));
const tables = await benchmarkTables(JSON.parse(await readFile(file, "utf8")));
if (mode === undefined) {
  process.stdout.write(tables);
} else {
  const page = await readFile(PAGE, "utf8");
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${PAGE} has no ${START} … ${END} markers.`);
  const updated = `${page.slice(0, start + START.length)}\n\n${tables}\n${page.slice(end)}`;
  if (mode === "--write") {
    await writeFile(PAGE, updated);
  } else if (updated !== page) {
    process.stderr.write(
      `docs/benchmarks.md does not hold the figures of ${file}: run node bench/table.mjs --write and commit it.\n`,
    );
    process.exitCode = 1;
  }
}
