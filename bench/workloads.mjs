// Realistic inputs for the rate-budget benchmarks: contacts with the addresses real data carries and HubSpot
// refuses, and a run wrapper that counts what the sandbox received.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { startSandbox } from "../dist/sandbox/server.js";
import { contactStream, round, runCli, tempJson, TOKEN } from "./lib.mjs";

export const PROFESSIONAL = { max: 190, intervalMs: 10_000, daily: 1_000_000 };
export const THEORETICAL = (190 * 100) / 10; // records per second at 100 per request

/** mulberry32, so every run of a benchmark sees the same records. */
export function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Addresses HubSpot refuses that a plain `x@y.z` check accepts, as dirty data has them: half break a syntax rule
 * HubSpot states (RFC 2822, no quoted local part), half are domain typos whose top-level domain does not exist,
 * clustered on a few popular domains as real typos are (`gmail.con`).
 */
const SYNTAX = [
  (i) => `dot..dot${i}@example.com`,
  (i) => `.lead${i}@example.com`,
  (i) => `"q${i}"@example.com`,
  (i) => `a,b${i}@example.com`,
];
const TYPO_DOMAINS = ["gmail.con", "yahoo.comm", "hotmail.cmo", "outlook.coom"];

/**
 * Airbyte RECORD lines for `count` contacts, `badShare` of them refused by HubSpot. `uniqueTypos`: every typo is a
 * fresh domain (the worst case, where nothing can be learned). `typos: false`: every bad address breaks a syntax
 * rule HubSpot states, so the connector refuses it as HubSpot would, without a request.
 */
export function dirtyContacts(
  count,
  { badShare = 0.02, uniqueTypos = false, typos = true, seed = 9, stateEvery = 1_000 } = {},
) {
  const random = seeded(seed);
  const lines = [];
  let bad = 0;
  for (let i = 0; i < count; i += 1) {
    let email = `person${i}@example.com`;
    if (random() < badShare) {
      bad += 1;
      email =
        random() < 0.5 || !typos
          ? SYNTAX[i % SYNTAX.length](i)
          : `person${i}@${uniqueTypos ? `typo${i}.c${i.toString(36)}x` : TYPO_DOMAINS[i % TYPO_DOMAINS.length]}`;
    }
    lines.push(
      `{"type":"RECORD","record":{"stream":"people","emitted_at":1,"data":{"email":${JSON.stringify(email)},"firstname":"P","lastname":"N${i}","lifecyclestage":"lead"}}}\n`,
    );
    if ((i + 1) % stateEvery === 0 || i + 1 === count) {
      lines.push(
        `{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"people"},"stream_state":{"upTo":${i + 1}}}}}\n`,
      );
    }
  }
  return { lines, bad, good: count - bad };
}

/**
 * The dirty contacts, and in each batch of 100 `pairShare` of the records addressed by a secondary address of a
 * contact whose primary address is another record a few lines earlier (so both are in one batch, and HubSpot
 * refuses it until they are merged). `existing`: the contacts HubSpot holds beforehand, with their secondary
 * addresses.
 */
export function pairedContacts(count, { pairShare = 0.02, seed = 21, ...dirty } = {}) {
  const records = dirtyContacts(count, dirty);
  const random = seeded(seed);
  const existing = [];
  let pairs = 0;
  for (let start = 0; start + 100 <= records.lines.length; start += 100) {
    const taken = new Set();
    for (let pair = 0; pair < Math.round(100 * pairShare); pair += 1) {
      const first = start + Math.floor(random() * 90);
      const second = first + 1 + Math.floor(random() * 5);
      const lines = [first, second].map((at) => records.lines[at]);
      if (
        taken.has(first) ||
        taken.has(second) ||
        lines.some((line) => !/"email":"person\d+@example\.com"/.test(line))
      )
        continue;
      taken.add(first).add(second);
      const primary = JSON.parse(lines[0]).record.data.email;
      const secondary = `alt-${primary}`;
      existing.push({ email: primary, hs_additional_emails: secondary });
      records.lines[second] = lines[1].replace(/"email":"[^"]*"/, `"email":"${secondary}"`);
      pairs += 1;
    }
  }
  return { ...records, existing, pairs };
}

/** `count` raw-mode lines where every `every`-th address is plainly malformed (`x-not-an-email`). */
export function malformedContacts(count, every = 50) {
  const lines = [];
  for (let i = 0; i < count; i += 1) {
    lines.push(
      i % every === every - 1
        ? `{"email":"x-not-an-email-${i}"}\n`
        : `{"email":"m${i}@example.com","firstname":"M"}\n`,
    );
  }
  return { lines, bad: Math.floor(count / every), good: count - Math.floor(count / every) };
}

/** What the run's receipt says it spent waiting: retries and their backoff, 429s and the rate governor's waits. */
async function readReceipt(path) {
  try {
    const receipt = JSON.parse(await readFile(path, "utf8"));
    return {
      retries: receipt.retries.count,
      retryWaitSeconds: round(receipt.retries.waited_ms / 1000, 1),
      answered429: receipt.rate_limit.answers_429,
      rateLimitWaitSeconds: round(receipt.rate_limit.waited_ms / 1000, 1),
    };
  } catch {
    return {};
  }
}

/**
 * Runs `write` against a fresh sandbox with `options`, counting the upsert requests that reached it (injected faults
 * included), and answers the figures docs/benchmarks.md quotes.
 */
export async function measuredWrite(
  records,
  { sandbox: sandboxOptions = {}, config: extra = {}, raw = false, during, setup, args: more = [] } = {},
) {
  let upsertRequests = 0;
  let upsertsRefused429 = 0;
  const sandbox = await startSandbox({
    ...sandboxOptions,
    logger: (line) => {
      if (!line.includes("/batch/upsert")) return;
      upsertRequests += 1;
      if (line.split(" ")[2] === "429") upsertsRefused429 += 1;
    },
  });
  try {
    setup?.(sandbox);
    const config = await tempJson({
      credentials: { type: "Private App", access_token: TOKEN },
      api_base_url: sandbox.url,
      ...extra,
    });
    const catalog = await tempJson({ streams: [contactStream()] });
    const receipt = join(dirname(catalog), "receipt.json");
    const args = [
      ...(raw
        ? ["write", "--config", config, "--object", "CONTACT"]
        : ["write", "--config", config, "--catalog", catalog]),
      "--receipt",
      receipt,
      ...more,
    ];
    const neighbour = during?.(sandbox);
    // A steady neighbour is already using its share when the run starts: give it one window first.
    if (neighbour)
      await new Promise((resolve) => setTimeout(resolve, sandboxOptions.rateLimit?.intervalMs ?? 10_000));
    const stated = { written: 0, rejected: 0 };
    const started = performance.now();
    const run = await runCli(args, records.lines, {
      onLine: (line) => {
        if (!line.startsWith('{"type":"STATE"')) return;
        stated.written += Number(/"recordCount":([0-9.]+)/.exec(line)?.[1] ?? 0);
        stated.rejected += Number(/"rejectedRecordCount":([0-9.]+)/.exec(line)?.[1] ?? 0);
      },
    });
    const other = await neighbour?.stop({ from: started, to: performance.now() });
    const written = sandbox.store.listRecords("contacts").length;
    const batchesOfInput = Math.ceil(records.good / (extra.batch_size ?? 100)) || 1;
    const spent = await readReceipt(receipt);
    return {
      exitCode: run.code,
      seconds: round(run.seconds, 1),
      goodRecordsPerSecond: round(written / run.seconds),
      written,
      refused: records.bad,
      upsertRequests,
      upsertsRefused429,
      ...(raw ? {} : { stateStats: stated }),
      batchesOfInput,
      requestsPerBatchOfInput: round(upsertRequests / batchesOfInput, 2),
      http429: sandbox.stats.rateLimited - (other?.http429 ?? 0),
      ...spent,
      ...(other ? { neighbour: other } : {}),
      ...(run.code === 0 ? {} : { stderr: run.stderr.slice(-800) }),
    };
  } finally {
    await sandbox.close();
  }
}
