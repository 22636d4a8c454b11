// Benchmark: 20,000 updates of companies by record id (`hs_object_id`) at HubSpot's Professional burst limit
// (190 requests per 10 s) and 300 ± 100 ms per request, as an enrichment job sends them back: 5 % of the ids were
// merged away since the warehouse read them (half of them in pairs merged into one record, both old ids in the
// input; half merged into a record the input does not hold) and 1 % name no record. Reports records written per
// second against the budget's 1,900 and every request the sandbox received per batch of 100 input records.
import { mergeRecords, startSandbox } from "../dist/sandbox/server.js";
import { round, runCli, tempJson, TOKEN } from "./lib.mjs";
import { PROFESSIONAL, seeded, THEORETICAL } from "./workloads.mjs";

const SLOW = { rateLimit: PROFESSIONAL, latencyMs: 300, latencyJitterMs: 100 };

const stream = {
  stream: { name: "enrich", json_schema: {}, supported_sync_modes: ["full_refresh"] },
  sync_mode: "full_refresh",
  destination_sync_mode: "update",
  destination_object_name: "COMPANY",
  primary_key: [["hs_object_id"]],
};

/** The portal's companies and the input's ids, shuffled with a seeded generator: existing, merged, missing. */
export function seedPortal(sandbox, records, { mergedShare = 0.05, missingShare = 0.01 } = {}) {
  const state = sandbox.store.resolve("companies");
  const create = (name) => sandbox.store.create(state, { name }, { ledger: false }).id;
  const merged = Math.round(records * mergedShare);
  const missing = Math.round(records * missingShare);
  const ids = [];
  for (let i = 0; i < records - merged - missing; i += 1) ids.push(create(`Company ${i}`));
  // Half the merged ids in pairs (both old ids in the input), half merged with a record outside the input.
  const pairs = Math.floor(merged / 4);
  for (let i = 0; i < pairs; i += 1) {
    const [a, b] = [create(`Pair ${i} a`), create(`Pair ${i} b`)];
    mergeRecords(sandbox.store, state, a, b);
    ids.push(a, b);
  }
  for (let i = 0; i < merged - 2 * pairs; i += 1) {
    const [old, other] = [create(`Merged ${i}`), create(`Outside ${i}`)];
    mergeRecords(sandbox.store, state, other, old);
    ids.push(old);
  }
  for (let i = 0; i < missing; i += 1) ids.push(String(900_000_000 + i));
  const random = seeded(21);
  for (let i = ids.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return { ids, merged, missing };
}

export function* lines(ids) {
  for (const [i, id] of ids.entries()) {
    yield `{"type":"RECORD","record":{"stream":"enrich","emitted_at":1,"data":{"hs_object_id":"${id}","description":"score ${i % 97}"}}}\n`;
    if ((i + 1) % 1_000 === 0 || i + 1 === ids.length) {
      yield `{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"enrich"},"stream_state":{"upTo":${i + 1}}}}}\n`;
    }
  }
}

export async function updatesById(records = 20_000) {
  const byRoute = { update: 0, read: 0, other: 0 };
  const sandbox = await startSandbox({
    ...SLOW,
    logger: (line) => {
      const route = line.includes("/batch/update")
        ? "update"
        : line.includes("/batch/read")
          ? "read"
          : "other";
      byRoute[route] += 1;
    },
  });
  try {
    const { ids, merged, missing } = seedPortal(sandbox, records);
    const config = await tempJson({
      credentials: { type: "Private App", access_token: TOKEN },
      api_base_url: sandbox.url,
    });
    const catalog = await tempJson({ streams: [stream] });
    const stated = { written: 0, rejected: 0 };
    const run = await runCli(["write", "--config", config, "--catalog", catalog], lines(ids), {
      onLine: (line) => {
        if (!line.startsWith('{"type":"STATE"')) return;
        stated.written += Number(/"recordCount":([0-9.]+)/.exec(line)?.[1] ?? 0);
        stated.rejected += Number(/"rejectedRecordCount":([0-9.]+)/.exec(line)?.[1] ?? 0);
      },
    });
    const updates = sandbox.ledger.totals("companies").updates;
    const batchesOfInput = Math.ceil(records / 100);
    const requests = byRoute.update + byRoute.read + byRoute.other;
    return {
      records,
      merged,
      missing,
      exitCode: run.code,
      seconds: round(run.seconds, 1),
      written: stated.written,
      rejected: stated.rejected,
      updatesApplied: updates,
      recordsPerSecond: round(stated.written / run.seconds),
      shareOfBudget: round(stated.written / run.seconds / THEORETICAL, 3),
      requests: { ...byRoute, total: requests },
      requestsPerBatchOfInput: round(requests / batchesOfInput, 3),
      http429: sandbox.stats.rateLimited,
      ...(run.code === 0 ? {} : { stderr: run.stderr.slice(-800) }),
    };
  } finally {
    await sandbox.close();
  }
}
