// Benchmark 4: custom events. Latency from stdin to the sandbox's 204 at a steady 200 events/s (after a warm-up
// second), and bulk events per second when the input arrives all at once.
import { startSandbox } from "../dist/sandbox/server.js";
import { eventStream, percentile, round, runCli, tempJson, TOKEN } from "./lib.mjs";

const line = (i) =>
  `{"type":"RECORD","record":{"stream":"clicks","emitted_at":1,"data":{"email":"u${i % 1000}@example.com","feature":"export","uuid":"ev-${i}"}}}\n`;

/** The `write` arguments both event benchmarks use: the sandbox's default token, one `event:feature_used` stream. */
async function writeArgs(sandbox) {
  const config = await tempJson({
    credentials: { type: "Private App", access_token: TOKEN },
    api_base_url: sandbox.url,
  });
  const catalog = await tempJson({ streams: [eventStream("clicks", "event:feature_used")] });
  return ["write", "--config", config, "--catalog", catalog];
}

export async function eventLatency(seconds = 15, rate = 200) {
  const sandbox = await startSandbox();
  try {
    const args = await writeArgs(sandbox);
    const writtenAt = new Map();
    const total = seconds * rate;
    async function* steady() {
      const tick = 20; // ms: 4 events per tick at 200/s
      const perTick = (rate * tick) / 1000;
      const start = performance.now();
      for (let i = 0; i < total; i += perTick) {
        let chunk = "";
        for (let j = i; j < i + perTick; j += 1) {
          chunk += line(j);
          writtenAt.set(`ev-${j}`, Date.now());
        }
        yield chunk;
        const next = start + ((i + perTick) / rate) * 1000;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
      }
    }
    const run = await runCli(args, steady());
    const delivered = sandbox.store.events.list("feature_used");
    const warm = delivered.filter((event) => Number(event.uuid.slice(3)) >= rate); // skip the first second
    const latencies = warm.map((event) => event.receivedAt - writtenAt.get(event.uuid)).sort((a, b) => a - b);
    return {
      events: total,
      delivered: delivered.length,
      exitCode: run.code,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      maxMs: latencies.at(-1),
    };
  } finally {
    await sandbox.close();
  }
}

export async function eventBulk(events = 200_000) {
  const sandbox = await startSandbox();
  try {
    const args = await writeArgs(sandbox);
    function* lines() {
      for (let i = 0; i < events; i += 1) yield line(i);
    }
    const run = await runCli(args, lines());
    return {
      events,
      delivered: sandbox.store.events.list("feature_used").length,
      exitCode: run.code,
      eventsPerSecond: round(events / run.seconds),
      peakRssMb: round((run.usage.maxRssKb ?? 0) / 1024, 1),
    };
  } finally {
    await sandbox.close();
  }
}
