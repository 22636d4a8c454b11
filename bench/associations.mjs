// Benchmark: 10,000 deals, each linked to a company and to two contacts, at HubSpot's Professional burst limit
// (190 requests per 10 s) and 300 ± 100 ms per request. Three runs:
//   sameRun      the companies and contacts are written in the same run, before the deals (ids from the run)
//   inHubSpot    the targets are already in HubSpot and the run writes only the deals (batched lookups)
//   laterInInput each block of 1,000 deals comes before the companies and contacts it names (lookups miss, the
//                deals wait, the targets' own writes give their ids)
// Reports records/s, links/s and requests per link, counted from what the sandbox received.
import { startSandbox } from "../dist/sandbox/server.js";
import { round, runCli, tempJson, TOKEN } from "./lib.mjs";

const SLOW = {
  rateLimit: { max: 190, intervalMs: 10_000, daily: 1_000_000 },
  latencyMs: 300,
  latencyJitterMs: 100,
};
const LINKS_PER_DEAL = 3;

const streamOf = (name, objectName, key) => ({
  stream: { name, json_schema: {}, supported_sync_modes: ["full_refresh"] },
  sync_mode: "full_refresh",
  destination_sync_mode: "append_dedup",
  destination_object_name: objectName,
  primary_key: [[key]],
});
const ENTRIES = [
  { stream: "deals", field: "company", to_object: "COMPANY", to_key: "company_external_id" },
  { stream: "deals", field: "contacts", to_object: "CONTACT", to_key: "email" },
];
const record = (stream, data) =>
  `${JSON.stringify({ type: "RECORD", record: { stream, emitted_at: 1, data } })}\n`;
const state = (stream, upTo) =>
  `${JSON.stringify({ type: "STATE", state: { type: "STREAM", stream: { stream_descriptor: { name: stream }, stream_state: { upTo } } } })}\n`;

const companyKey = (i) => `co-${i}`;
const contactEmail = (i) => `person${i}@example.com`;
const companyLine = (i) => record("companies", { company_external_id: companyKey(i), name: `Company ${i}` });
const contactLine = (i) => record("people", { email: contactEmail(i), firstname: "P", lastname: `N${i}` });
function dealLine(i, companies, contacts) {
  return record("deals", {
    deal_external_id: `deal-${i}`,
    dealname: `Deal ${i}`,
    dealstage: "appointmentscheduled",
    pipeline: "default",
    company: companyKey(i % companies),
    contacts: [contactEmail((2 * i) % contacts), contactEmail((2 * i + 1) % contacts)],
  });
}

/** The inputs: deals and their targets in the order each run wants. */
function* sameRunLines(deals, companies, contacts) {
  for (let i = 0; i < companies; i += 1) yield companyLine(i);
  yield state("companies", companies);
  for (let i = 0; i < contacts; i += 1) yield contactLine(i);
  yield state("people", contacts);
  for (let i = 0; i < deals; i += 1) {
    yield dealLine(i, companies, contacts);
    if ((i + 1) % 1_000 === 0) yield state("deals", i + 1);
  }
}
function* dealsOnly(deals, companies, contacts) {
  for (let i = 0; i < deals; i += 1) {
    yield dealLine(i, companies, contacts);
    if ((i + 1) % 1_000 === 0) yield state("deals", i + 1);
  }
}
function* laterLines(deals, companies, contacts) {
  // Block b of 1,000 deals names companies and contacts that only its own block's tail writes.
  const blocks = Math.ceil(deals / 1_000);
  const [perCompanies, perContacts] = [companies / blocks, contacts / blocks];
  for (let b = 0; b < blocks; b += 1) {
    for (let j = 0; j < 1_000; j += 1) {
      const i = b * 1_000 + j;
      yield record("deals", {
        deal_external_id: `deal-${i}`,
        dealname: `Deal ${i}`,
        dealstage: "appointmentscheduled",
        pipeline: "default",
        company: companyKey(b * perCompanies + (j % perCompanies)),
        contacts: [
          contactEmail(b * perContacts + ((2 * j) % perContacts)),
          contactEmail(b * perContacts + ((2 * j + 1) % perContacts)),
        ],
      });
    }
    for (let k = 0; k < perCompanies; k += 1) yield companyLine(b * perCompanies + k);
    for (let k = 0; k < perContacts; k += 1) yield contactLine(b * perContacts + k);
    yield state("deals", (b + 1) * 1_000);
  }
}

/** Requests the sandbox received, by kind. */
function requestCounter() {
  const counts = { upserts: 0, lookups: 0, linkReads: 0, linkWrites: 0, labels: 0, other: 0 };
  const logger = (line) => {
    if (line.includes("/batch/upsert")) counts.upserts += 1;
    else if (/\/crm\/(v4\/)?associations\/.*\/batch\/read /.test(line)) counts.linkReads += 1;
    else if (/\/crm\/(v4\/)?associations\/.*\/batch\//.test(line)) counts.linkWrites += 1;
    else if (line.includes("/labels")) counts.labels += 1;
    else if (line.includes("/batch/read")) counts.lookups += 1;
    else counts.other += 1;
  };
  return { counts, logger };
}

function countLinks(sandbox, deals) {
  let links = 0;
  for (const deal of sandbox.store.listRecords("deals")) {
    links += sandbox.store.associations.linksOf("deals", deal.id, "companies").length;
    links += sandbox.store.associations.linksOf("deals", deal.id, "contacts").length;
  }
  return { links, expected: deals * LINKS_PER_DEAL };
}

async function measure(name, { deals, companies, contacts }) {
  const counter = requestCounter();
  const sandbox = await startSandbox({ ...SLOW, logger: counter.logger });
  try {
    if (name === "inHubSpot") {
      const [companyState, contactState] = [
        sandbox.store.resolve("companies"),
        sandbox.store.resolve("contacts"),
      ];
      for (let i = 0; i < companies; i += 1)
        sandbox.store.create(companyState, { company_external_id: companyKey(i) });
      for (let i = 0; i < contacts; i += 1) sandbox.store.create(contactState, { email: contactEmail(i) });
    }
    const config = await tempJson({
      credentials: { type: "Private App", access_token: TOKEN },
      api_base_url: sandbox.url,
      associations: ENTRIES,
    });
    const streams = [
      streamOf("companies", "COMPANY", "company_external_id"),
      streamOf("people", "CONTACT", "email"),
      streamOf("deals", "DEAL", "deal_external_id"),
    ];
    const catalog = await tempJson({ streams: name === "inHubSpot" ? [streams[2]] : streams });
    const lines =
      name === "sameRun"
        ? sameRunLines(deals, companies, contacts)
        : name === "inHubSpot"
          ? dealsOnly(deals, companies, contacts)
          : laterLines(deals, companies, contacts);
    const run = await runCli(["write", "--config", config, "--catalog", catalog], lines);
    if (run.code !== 0) throw new Error(`${name} run failed: ${run.stderr.slice(-2000)}`);
    const records = deals + (name === "inHubSpot" ? 0 : companies + contacts);
    const { links, expected } = countLinks(sandbox, deals);
    const { counts } = counter;
    const linkRequests = counts.linkWrites + counts.linkReads;
    return {
      seconds: round(run.seconds, 1),
      records,
      recordsPerSecond: round(records / run.seconds),
      dealsPerSecond: round(deals / run.seconds),
      links,
      linksExpected: expected,
      linksPerSecond: round(links / run.seconds),
      requests: counts,
      requestsPerLink: round(linkRequests / links, 4),
      requestsPerLinkWithLookups: round((linkRequests + counts.lookups) / links, 4),
      http429: sandbox.stats.rateLimited,
      statesEchoed: run.counts.STATE,
    };
  } finally {
    await sandbox.close();
  }
}

/** `deals` deals over companies and contacts a fifth and two fifths as many. */
export async function associations(deals = 10_000) {
  const sizes = { deals, companies: Math.max(1, deals / 5), contacts: Math.max(2, (2 * deals) / 5) };
  return {
    ...sizes,
    linksPerDeal: LINKS_PER_DEAL,
    sameRun: await measure("sameRun", sizes),
    inHubSpot: await measure("inHubSpot", sizes),
    laterInInput: await measure("laterInInput", sizes),
  };
}
