// Benchmarks 2 and 3: CPU cost per record with a sandbox that has no limit and no latency, and peak RSS as the
// input grows (records generated on the fly into `write`).
import { startSandbox } from "../dist/sandbox/server.js";
import { contactLines, contactStream, round, runCli, tempJson, TOKEN } from "./lib.mjs";

async function unlimitedRun(records) {
  const sandbox = await startSandbox({
    rateLimit: { max: 1_000_000_000, intervalMs: 10_000, daily: 1_000_000_000 },
  });
  try {
    const config = await tempJson({
      credentials: { type: "Private App", access_token: TOKEN },
      api_base_url: sandbox.url,
      max_concurrent_requests: 8,
    });
    const catalog = await tempJson({ streams: [contactStream()] });
    const run = await runCli(["write", "--config", config, "--catalog", catalog], contactLines(records));
    if (run.code !== 0) throw new Error(`connector run failed: ${run.stderr.slice(-2000)}`);
    const cpuMs = (run.usage.userCpuMs ?? 0) + (run.usage.systemCpuMs ?? 0);
    return {
      records,
      recordsPerSecond: round(records / run.seconds),
      cpuMicrosecondsPerRecord: round((cpuMs * 1000) / records, 1),
      peakRssMb: round((run.usage.maxRssKb ?? 0) / 1024, 1),
      statesEchoed: run.counts.STATE,
    };
  } finally {
    await sandbox.close();
  }
}

export async function cpu(records = 200_000) {
  return unlimitedRun(records);
}

export async function memory(sizes = [100_000, 300_000, 1_000_000]) {
  const runs = [];
  for (const size of sizes) runs.push(await unlimitedRun(size));
  return runs.map(({ records, peakRssMb, recordsPerSecond }) => ({ records, peakRssMb, recordsPerSecond }));
}
