// Benchmark 5: an audience synced to a list (segment) by email, at HubSpot's Professional/Enterprise burst limit
// (190 requests per 10 s) and 300 ± 100 ms per request. Run 1 overwrites a list that does not exist yet with
// `members` contacts (create_missing_lists); run 2 overwrites it with an overlapping audience: a fifth of the
// members leave, as many join. The contacts exist in HubSpot already (an audience of known people). Figures: wall
// time, requests made (by kind), members per second, and whether the list ended exactly as the second audience.
import { startSandbox } from "../dist/sandbox/server.js";
import { round, runCli, tempJson, TOKEN } from "./lib.mjs";

const LIMITS = {
  rateLimit: { max: 190, intervalMs: 10_000, daily: 1_000_000 },
  latencyMs: 300,
  latencyJitterMs: 100,
};
const LIST = "Audience";

const email = (i) => `person${i}@example.com`;

function* audience(from, count, stream = "audience") {
  for (let i = from; i < from + count; i += 1) {
    yield `{"type":"RECORD","record":{"stream":"${stream}","emitted_at":1,"data":{"email":"${email(i)}"}}}\n`;
    if ((i - from + 1) % 1_000 === 0 || i + 1 === from + count) {
      yield `{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"${stream}"},"stream_state":{"upTo":${i + 1}}}}}\n`;
    }
  }
  yield `{"type":"TRACE","trace":{"type":"STREAM_STATUS","emitted_at":1,"stream_status":{"stream_descriptor":{"name":"${stream}"},"status":"COMPLETE"}}}\n`;
}

const catalog = (generation) =>
  tempJson({
    streams: [
      {
        stream: { name: "audience", json_schema: {}, supported_sync_modes: ["full_refresh"] },
        sync_mode: "full_refresh",
        destination_sync_mode: "overwrite",
        destination_object_name: `list:${LIST}`,
        primary_key: [["email"]],
        generation_id: generation,
        minimum_generation_id: generation,
        sync_id: generation,
      },
    ],
  });

/** Requests the sandbox answered, by kind, since `before`. */
function requestsSince(sandbox, before) {
  const byKind = {};
  for (const [kind, count] of sandbox.stats.byRoute) {
    const made = count - (before.byRoute.get(kind) ?? 0);
    if (made > 0) byKind[kind] = made;
  }
  return { total: sandbox.stats.requests - before.requests, byKind };
}

const snapshot = (sandbox) => ({ requests: sandbox.stats.requests, byRoute: new Map(sandbox.stats.byRoute) });

async function overwrite(sandbox, config, generation, from, count) {
  const before = snapshot(sandbox);
  const limited = sandbox.stats.rateLimited;
  const run = await runCli(
    ["write", "--config", config, "--catalog", await catalog(generation)],
    audience(from, count),
  );
  if (run.code !== 0) throw new Error(`list run ${generation} failed: ${run.stderr.slice(-2000)}`);
  const requests = requestsSince(sandbox, before);
  return {
    seconds: round(run.seconds, 1),
    membersPerSecond: round(count / run.seconds),
    requests: requests.total,
    requestsByKind: requests.byKind,
    http429: sandbox.stats.rateLimited - limited,
  };
}

export async function listAudience(members = 50_000) {
  const churn = Math.round(members / 5);
  const sandbox = await startSandbox(LIMITS);
  try {
    const contacts = sandbox.store.resolve("contacts");
    for (let i = 0; i < members + churn; i += 1) sandbox.store.create(contacts, { email: email(i) });
    const config = await tempJson({
      credentials: { type: "Private App", access_token: TOKEN },
      api_base_url: sandbox.url,
      lists: { create_missing_lists: true },
    });
    const first = await overwrite(sandbox, config, 1, 0, members);
    const list = sandbox.store.lists.byName(LIST);
    const firstSize = sandbox.store.lists.membersOf(list.listId).length;
    // Start the second run on a fresh rate window, as a later sync would.
    await new Promise((resolve) => setTimeout(resolve, LIMITS.rateLimit.intervalMs));
    const second = await overwrite(sandbox, config, 2, churn, members);
    const expected = new Set(Array.from({ length: members }, (_, i) => email(churn + i)));
    const byId = (id) => sandbox.store.lookup(contacts, id, undefined)?.properties.email;
    const final = sandbox.store.lists.membersOf(list.listId).map(byId);
    return {
      members,
      leaveAndJoin: churn,
      newList: { ...first, listSize: firstSize },
      replaced: {
        ...second,
        listSize: final.length,
        exactlyTheSecondAudience: final.length === members && final.every((one) => expected.has(one)),
      },
    };
  } finally {
    await sandbox.close();
  }
}
