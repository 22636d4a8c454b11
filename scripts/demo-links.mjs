// The demo's third part: deals linked to the companies and contacts written before, and an audience written to
// the static list Newsletter, first as a plan (`write --plan`, which writes nothing), then for real.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const record = (stream, data) => JSON.stringify({ type: "RECORD", record: { stream, data, emitted_at: 1 } });
const state = (stream) =>
  JSON.stringify({
    type: "STATE",
    state: { type: "STREAM", stream: { stream_descriptor: { name: stream } } },
  });

function input() {
  const lines = [];
  for (let i = 1; i <= 30; i += 1) {
    lines.push(
      record("deals", {
        deal_external_id: `D-${i}`,
        dealname: `Renewal ${i}`,
        dealstage: "appointmentscheduled",
        pipeline: "default",
        // Deal 30's company was never written: its link is refused with ASSOCIATION_TARGET_NOT_FOUND.
        company: i === 30 ? "ACME-404" : `ACME-${1 + (i % 20)}`,
        contacts: [`person${i}@example.com`, `person${i + 100}@example.com`],
      }),
    );
  }
  lines.push(state("deals"));
  for (let i = 1; i <= 40; i += 1) lines.push(record("audience", { email: `person${i * 3}@example.com` }));
  lines.push(state("audience"));
  return `${lines.join("\n")}\n`;
}

const catalog = {
  streams: [
    {
      stream: { name: "deals", json_schema: {}, supported_sync_modes: ["full_refresh"] },
      sync_mode: "full_refresh",
      destination_sync_mode: "append_dedup",
      destination_object_name: "DEAL",
      primary_key: [["deal_external_id"]],
    },
    {
      stream: { name: "audience", json_schema: {}, supported_sync_modes: ["full_refresh"] },
      sync_mode: "full_refresh",
      destination_sync_mode: "append",
      destination_object_name: "list:Newsletter",
      primary_key: [["email"]],
    },
  ],
};

/** Runs the plan and then the write; answers whether both ended as they should. */
export async function demoLinks({ run, say, sandbox, dir, credentials }) {
  const config = join(dir, "links-config.json");
  const catalogFile = join(dir, "links-catalog.json");
  const planFile = join(dir, "plan.jsonl");
  await writeFile(
    config,
    JSON.stringify({
      credentials,
      api_base_url: sandbox.url,
      linger_ms: 100,
      associations: [
        { stream: "deals", field: "company", to_object: "COMPANY", to_key: "company_external_id" },
        { stream: "deals", field: "contacts", to_object: "CONTACT", to_key: "email" },
      ],
    }),
  );
  await writeFile(catalogFile, JSON.stringify(catalog));
  const args = ["write", "--config", config, "--catalog", catalogFile];

  say(
    "\n$ destination-hubspot write --plan plan.jsonl --config links-config.json --catalog links-catalog.json",
  );
  say("  < 30 deals, each linked to a company and two contacts, and 40 members for the list Newsletter");
  const plan = await run([...args, "--plan", planFile], input());
  const lines = (await readFile(planFile, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  say(`  ${lines.length - 1} plan lines and a summary; for example:`);
  say(`    ${JSON.stringify(lines.find((line) => line.stream === "deals"))}`);
  say(`    ${JSON.stringify(lines.find((line) => line.stream === "audience"))}`);
  for (const message of plan.messages) {
    if (message.type === "LOG" && message.log.level !== "DEBUG")
      say(`  LOG ${message.log.level} ${message.log.message}`);
  }
  say(
    `  exit ${plan.code}; deals in the sandbox after the plan: ${sandbox.store.listRecords("deals").length}`,
  );

  say(
    "\n$ destination-hubspot write --config links-config.json --catalog links-catalog.json < the same input",
  );
  const write = await run(args, input());
  for (const message of write.messages) {
    if (message.type === "STATE")
      say(
        `  STATE ${message.state.stream.stream_descriptor.name} → ${JSON.stringify(message.state.destinationStats)}`,
      );
    if (message.type === "LOG" && message.log.level !== "DEBUG")
      say(`  LOG ${message.log.level} ${message.log.message}`);
  }
  say(`  exit ${write.code}`);
  const deal = sandbox.store.findRecord("deals", "deal_external_id", "D-1");
  const companies = deal ? sandbox.store.associations.linksOf("deals", deal.id, "companies") : [];
  const contacts = deal ? sandbox.store.associations.linksOf("deals", deal.id, "contacts") : [];
  const list = sandbox.store.lists.byName("Newsletter");
  const members = list ? sandbox.store.lists.membersOf(list.listId) : [];
  say(
    `\nDeal D-1 is now linked to ${companies.length} company and ${contacts.length} contacts; ` +
      `Newsletter has ${members.length} members.`,
  );
  return plan.code === 0 && write.code === 0 && companies.length === 1 && contacts.length === 2;
}
