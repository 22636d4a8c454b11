// Benchmarks 2 and 3: CPU cost per record with a sandbox that has no limit and no latency, and peak RSS as the
// input grows (records generated on the fly into `write`), for each way of starting the CLI and for large records.
import { startSandbox } from "../dist/sandbox/server.js";
import { contactLines, contactStream, ROOT, round, runCli, tempJson, TOKEN } from "./lib.mjs";

/**
 * How a user starts the CLI: as the Docker image does (`node --max-semi-space-size=16 --max-old-space-size=256
 * dist/main.js` under tini; no Docker engine runs on this machine), the installed bin (`destination-hubspot`, also
 * what `npx` runs: the same file through its `#!/usr/bin/env -S node …` line, the same flags), and `node
 * dist/main.js` without flags, where the CLI bounds its heap in a worker thread.
 */
export const LAUNCHES = {
  "node <heap flags> dist/main.js": undefined,
  "the bin, by its #! line": [],
  "node dist/main.js (a worker)": [process.execPath],
};

/** Contacts of about `bytes` each: four text properties share the size (each under HubSpot's 65,536 characters). */
function* bigContactLines(count, bytes) {
  const part = "x".repeat(Math.floor(bytes / 4));
  for (let i = 0; i < count; i += 1) {
    yield `{"type":"RECORD","record":{"stream":"people","emitted_at":1,"data":{"email":"big${i}@example.com","firstname":"${part}","lastname":"${part}","company":"${part}","jobtitle":"${part}"}}}\n`;
  }
  yield `{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"people"},"stream_state":{"upTo":${count}}}}}\n`;
}

async function unlimitedRun(records, { launch, lines = contactLines(records) } = {}) {
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
    const run = await runCli(["write", "--config", config, "--catalog", catalog], lines, {
      launcher: launch,
      cwd: ROOT,
    });
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
  const growth = [];
  for (const size of sizes) growth.push(await unlimitedRun(size));
  const launches = {};
  const largest = sizes.at(-1);
  for (const [name, launch] of Object.entries(LAUNCHES)) {
    launches[name] = launch === undefined ? growth.at(-1) : await unlimitedRun(largest, { launch });
  }
  const bigRecords = Math.max(200, Math.round(largest / 500));
  const big = await unlimitedRun(bigRecords, { lines: bigContactLines(bigRecords, 250_000) });
  return {
    growth: growth.map(({ records, peakRssMb, recordsPerSecond }) => ({
      records,
      peakRssMb,
      recordsPerSecond,
    })),
    launches: Object.fromEntries(
      Object.entries(launches).map(([name, run]) => [
        name,
        { records: run.records, peakRssMb: run.peakRssMb, recordsPerSecond: run.recordsPerSecond },
      ]),
    ),
    records250kB: { records: big.records, peakRssMb: big.peakRssMb, recordsPerSecond: big.recordsPerSecond },
  };
}
