// Benchmark: 10,000 notes, each created linked to a contact, at HubSpot's Professional burst limit (190 requests
// per 10 s) and 300 ± 100 ms per request. The 2,000 contacts are written first in the same run (ids from their
// upsert answers), then the notes stream creates notes with the link inside each batch/create input. Reports
// records/s against the 1,900 records/s the limit allows at 100 records a request, and the requests the notes cost
// per 100 notes (creates, association writes, lookups), counted from what the sandbox received.
import { startSandbox } from "../dist/sandbox/server.js";
import { contactStream, round, runCli, tempJson, TOKEN } from "./lib.mjs";

const SLOW = {
  rateLimit: { max: 190, intervalMs: 10_000, daily: 1_000_000 },
  latencyMs: 300,
  latencyJitterMs: 100,
};
const BUDGET_RECORDS_PER_SECOND = (190 / 10) * 100;

const noteStream = {
  stream: { name: "notes", json_schema: {}, supported_sync_modes: ["full_refresh"] },
  sync_mode: "full_refresh",
  destination_sync_mode: "append",
  destination_object_name: "NOTE",
};
const LINKS = [{ stream: "notes", field: "contact", to_object: "CONTACT", to_key: "email" }];
const record = (stream, data) =>
  `${JSON.stringify({ type: "RECORD", record: { stream, emitted_at: 1, data } })}\n`;
const state = (stream, upTo) =>
  `${JSON.stringify({ type: "STATE", state: { type: "STREAM", stream: { stream_descriptor: { name: stream }, stream_state: { upTo } } } })}\n`;
const email = (i) => `person${i}@example.com`;

function* lines(notes, contacts) {
  for (let i = 0; i < contacts; i += 1) yield record("people", { email: email(i), firstname: "P" });
  yield state("people", contacts);
  for (let i = 0; i < notes; i += 1) {
    const data = {
      hs_timestamp: "2026-03-02T10:00:00Z",
      hs_note_body: `Note ${i}`,
      contact: email(i % contacts),
    };
    yield record("notes", data);
    if ((i + 1) % 1_000 === 0) yield state("notes", i + 1);
  }
}

function requestCounter() {
  const counts = { noteCreates: 0, contactUpserts: 0, lookups: 0, linkWrites: 0, other: 0 };
  const logger = (line) => {
    if (/\/0-46\/batch\/create /.test(line)) counts.noteCreates += 1;
    else if (line.includes("/batch/upsert")) counts.contactUpserts += 1;
    else if (/\/associations\/.*\/batch\//.test(line)) counts.linkWrites += 1;
    else if (/\/0-1\/batch\/read /.test(line)) counts.lookups += 1;
    else counts.other += 1;
  };
  return { counts, logger };
}

export async function engagements(notes = 10_000) {
  const contacts = Math.max(1, notes / 5);
  const counter = requestCounter();
  const sandbox = await startSandbox({ ...SLOW, logger: counter.logger });
  try {
    const config = await tempJson({
      credentials: { type: "Private App", access_token: TOKEN },
      api_base_url: sandbox.url,
      associations: LINKS,
    });
    const catalog = await tempJson({ streams: [contactStream("people"), noteStream] });
    const run = await runCli(["write", "--config", config, "--catalog", catalog], lines(notes, contacts));
    if (run.code !== 0) throw new Error(`engagements run failed: ${run.stderr.slice(-2000)}`);
    let linked = 0;
    for (const note of sandbox.store.listRecords("notes"))
      if (sandbox.store.associations.linksOf("notes", note.id, "contacts").length === 1) linked += 1;
    const { counts } = counter;
    const records = notes + contacts;
    const recordsPerSecond = records / run.seconds;
    return {
      notes,
      contacts,
      seconds: round(run.seconds, 1),
      recordsPerSecond: round(recordsPerSecond),
      shareOfBudget: round(recordsPerSecond / BUDGET_RECORDS_PER_SECOND, 3),
      notesCreated: sandbox.store.listRecords("notes").length,
      notesLinked: linked,
      requests: counts,
      requestsPer100Notes: round(
        ((counts.noteCreates + counts.linkWrites + counts.lookups) * 100) / notes,
        3,
      ),
      http429: sandbox.stats.rateLimited,
      statesEchoed: run.counts.STATE,
    };
  } finally {
    await sandbox.close();
  }
}
