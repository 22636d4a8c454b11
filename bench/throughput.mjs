// Benchmark 1: 50,000 contacts upserted by email against HubSpot's Professional/Enterprise burst limit (190 per
// 10 s) and 300 ± 100 ms per batch request, by this connector and by a baseline written with the official
// @hubspot/api-client the straightforward way (sequential batchApi.upsert of 100, default retry settings).
import { Client } from "@hubspot/api-client";
import { startSandbox } from "../dist/sandbox/server.js";
import { contactLines, contactStream, round, runCli, tempJson, TOKEN } from "./lib.mjs";

const LIMITS = {
  rateLimit: { max: 190, intervalMs: 10_000, daily: 1_000_000 },
  latencyMs: 300,
  latencyJitterMs: 100,
};
const THEORETICAL = (190 * 100) / 10; // records per second

export async function throughput(records = 50_000) {
  const ours = await startSandbox(LIMITS);
  let connector;
  try {
    const config = await tempJson({
      credentials: { type: "Private App", access_token: TOKEN },
      api_base_url: ours.url,
    });
    const catalog = await tempJson({ streams: [contactStream()] });
    // Wait out the window the properties read opened, so that both runs start from a fresh budget.
    const run = await runCli(["write", "--config", config, "--catalog", catalog], contactLines(records));
    if (run.code !== 0) throw new Error(`connector run failed: ${run.stderr.slice(-2000)}`);
    connector = {
      recordsPerSecond: round(records / run.seconds),
      seconds: round(run.seconds, 1),
      http429: ours.stats.rateLimited,
      written: ours.store.listRecords("contacts").length,
    };
  } finally {
    await ours.close();
  }

  const theirs = await startSandbox(LIMITS);
  let baseline;
  try {
    const client = new Client({ accessToken: TOKEN, basePath: theirs.url });
    const started = performance.now();
    let batch = [];
    for (let i = 0; i < records; i += 1) {
      batch.push({
        id: `person${i}@example.com`,
        idProperty: "email",
        properties: { firstname: "Person", lastname: `Number ${i}`, lifecyclestage: "lead" },
      });
      if (batch.length === 100 || i + 1 === records) {
        await client.crm.contacts.batchApi.upsert({ inputs: batch });
        batch = [];
      }
    }
    const seconds = (performance.now() - started) / 1000;
    baseline = {
      recordsPerSecond: round(records / seconds),
      seconds: round(seconds, 1),
      http429: theirs.stats.rateLimited,
      written: theirs.store.listRecords("contacts").length,
    };
  } finally {
    await theirs.close();
  }
  return {
    records,
    connector,
    baseline,
    ratio: round(connector.recordsPerSecond / baseline.recordsPerSecond, 2),
    shareOfTheoreticalMax: round(connector.recordsPerSecond / THEORETICAL, 3),
  };
}
