// The README's demo: start the sandbox on loopback, then run the built CLI against it as a user would (a separate
// process for each command) and print what happened. Run with `npm run demo` (it builds first).
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandbox } from "../dist/sandbox/server.js";
import { demoLinks } from "./demo-links.mjs";
import { describeOperations } from "./demo-operations.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const say = (text = "") => process.stdout.write(`${text}\n`);

function run(args, stdinText) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "dist/main.js"), ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const messages = stdout
        .split("\n")
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line));
      resolve({ code, messages, stderr });
    });
    child.stdin.end(stdinText ?? "");
  });
}

function sampleRecords(count) {
  const lines = [];
  const stages = ["subscriber", "lead", "marketingqualifiedlead", "customer"];
  for (let i = 1; i <= count; i += 1) {
    const data = {
      email: `Person${i}@Example.com`,
      firstname: `Person`,
      lastname: `Number ${i}`,
      lifecyclestage: stages[i % stages.length],
      date_of_birth: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    };
    if (i % 50 === 0) data.email = `not-an-email-${i}`;
    if (i % 70 === 0) data.lifecyclestage = "astronaut";
    lines.push(
      JSON.stringify({ type: "RECORD", record: { stream: "people", data, emitted_at: Date.now() } }),
    );
    if (i % 100 === 0) {
      lines.push(
        JSON.stringify({
          type: "STATE",
          state: {
            type: "STREAM",
            stream: { stream_descriptor: { name: "people" }, stream_state: { upTo: i } },
          },
        }),
      );
    }
  }
  for (let i = 1; i <= 20; i += 1) {
    const data = {
      company_external_id: `ACME-${i}`,
      name: `Acme ${i}`,
      domain: `acme${i}.example`,
      numberofemployees: i * 10,
    };
    lines.push(
      JSON.stringify({ type: "RECORD", record: { stream: "accounts", data, emitted_at: Date.now() } }),
    );
  }
  lines.push(
    JSON.stringify({
      type: "STATE",
      state: { type: "STREAM", stream: { stream_descriptor: { name: "accounts" } } },
    }),
  );
  return `${lines.join("\n")}\n`;
}

const sandbox = await startSandbox({ port: 0 });
const dir = await mkdtemp(join(tmpdir(), "hubspot-demo-"));
try {
  say(`HubSpot sandbox listening on ${sandbox.url} (portal ${sandbox.portalId})`);
  const config = join(dir, "config.json");
  await writeFile(
    config,
    JSON.stringify({
      credentials: { type: "Private App", access_token: "sandbox-private-app-token" },
      api_base_url: sandbox.url,
      linger_ms: 200,
    }),
  );

  say("\n$ destination-hubspot spec");
  const spec = await run(["spec"]);
  const fields = Object.keys(spec.messages[0].spec.connectionSpecification.properties);
  say(`SPEC with ${fields.length} config fields: ${fields.join(", ")}`);

  say("\n$ destination-hubspot check --config config.json");
  const check = await run(["check", "--config", config]);
  const status = check.messages.find((m) => m.type === "CONNECTION_STATUS").connectionStatus;
  say(`CONNECTION_STATUS ${status.status}: ${status.message}`);

  say("\n$ destination-hubspot discover --config config.json");
  const discover = await run(["discover", "--config", config]);
  const operations = discover.messages.find((m) => m.type === "DESTINATION_CATALOG").destination_catalog
    .operations;
  for (const line of describeOperations(operations)) say(line);

  const catalog = join(dir, "catalog.json");
  const stream = (name, object, key) => ({
    stream: { name, json_schema: {}, supported_sync_modes: ["full_refresh"] },
    sync_mode: "full_refresh",
    destination_sync_mode: "append_dedup",
    destination_object_name: object,
    primary_key: [[key]],
  });
  await writeFile(
    catalog,
    JSON.stringify({
      streams: [stream("people", "CONTACT", "email"), stream("accounts", "COMPANY", "company_external_id")],
    }),
  );
  say(
    "\n$ destination-hubspot write --config config.json --catalog catalog.json < 500 contacts and 20 companies",
  );
  const started = Date.now();
  const write = await run(["write", "--config", config, "--catalog", catalog], sampleRecords(500));
  const seconds = (Date.now() - started) / 1000;
  for (const message of write.messages) {
    if (message.type === "STATE") {
      const s = message.state;
      say(
        `  STATE ${s.stream.stream_descriptor.name} ${JSON.stringify(s.stream.stream_state ?? {})} → ${JSON.stringify(s.destinationStats)}`,
      );
    } else if (message.type === "LOG" && message.log.level !== "DEBUG") {
      say(`  LOG ${message.log.level} ${message.log.message}`);
    } else if (message.type === "TRACE" && message.trace.type === "ERROR") {
      say(`  TRACE ERROR ${message.trace.error.failure_type}: ${message.trace.error.message}`);
    }
  }
  say(`  exit ${write.code} after ${seconds.toFixed(1)} s`);
  const contacts = sandbox.store.listRecords("contacts");
  say(`\nThe sandbox now holds ${contacts.length} contacts, for example:`);
  say(`  ${JSON.stringify(contacts[0]?.properties ?? {})}`);
  say("\nRejected records were only counted (object_storage_config is None); configure S3 to keep them.");

  // Events: product-analytics records in Amplitude's shape, mapped to a HubSpot custom event the connector creates.
  const eventConfig = join(dir, "events-config.json");
  await writeFile(
    eventConfig,
    JSON.stringify({
      credentials: { type: "Private App", access_token: "sandbox-private-app-token" },
      api_base_url: sandbox.url,
      events: {
        create_definitions: true,
        linger_ms: 100,
        mappings: [
          {
            source_event: "Feature Used",
            event_name: "product_feature_used",
            label: "Product feature used",
            event_properties: [
              { source: "feature" },
              { source: "duration ms", name: "duration_ms", type: "number" },
            ],
            user_properties: [{ source: "plan" }],
          },
        ],
      },
    }),
  );
  const eventCatalog = join(dir, "events-catalog.json");
  await writeFile(
    eventCatalog,
    JSON.stringify({
      streams: [
        {
          stream: { name: "amplitude_events", json_schema: {}, supported_sync_modes: ["incremental"] },
          sync_mode: "incremental",
          destination_sync_mode: "append",
          destination_object_name: "EVENTS",
        },
      ],
    }),
  );
  const features = ["export", "share", "search", "dashboard"];
  const eventLines = [];
  for (let i = 1; i <= 300; i += 1) {
    const data = {
      event_type: i % 10 === 0 ? "Page Viewed" : "Feature Used",
      email: `person${1 + (i % 480)}@example.com`,
      time: Date.UTC(2026, 10, 1) + i * 60_000,
      insert_id: `demo-${i}`,
      event_properties: { feature: features[i % features.length], "duration ms": i * 7, internal_flag: true },
      user_properties: { plan: i % 3 === 0 ? "pro" : "free", country: "FR" },
    };
    eventLines.push(
      JSON.stringify({
        type: "RECORD",
        record: { stream: "amplitude_events", data, emitted_at: Date.now() },
      }),
    );
  }
  eventLines.push(
    JSON.stringify({
      type: "STATE",
      state: { type: "STREAM", stream: { stream_descriptor: { name: "amplitude_events" } } },
    }),
  );
  say(
    "\n$ destination-hubspot write --config events-config.json --catalog events-catalog.json < 300 product events",
  );
  const eventsStarted = Date.now();
  const events = await run(
    ["write", "--config", eventConfig, "--catalog", eventCatalog],
    `${eventLines.join("\n")}\n`,
  );
  for (const message of events.messages) {
    if (message.type === "LOG") say(`  LOG ${message.log.level} ${message.log.message}`);
    if (message.type === "STATE")
      say(`  STATE amplitude_events → ${JSON.stringify(message.state.destinationStats)}`);
    if (message.type === "TRACE" && message.trace.type === "ERROR")
      say(`  TRACE ERROR ${message.trace.error.message}`);
  }
  say(`  exit ${events.code} after ${((Date.now() - eventsStarted) / 1000).toFixed(1)} s`);
  const sent = sandbox.store.events.list("product_feature_used");
  say(
    `\nThe sandbox received ${sent.length} occurrences of pe${sandbox.portalId}_product_feature_used, for example:`,
  );
  say(`  ${JSON.stringify(sent[0] ?? {})}`);

  const credentials = { type: "Private App", access_token: "sandbox-private-app-token" };
  const linked = await demoLinks({ run, say, sandbox, dir, credentials });

  if (write.code !== 0 || events.code !== 0 || status.status !== "SUCCEEDED" || !linked) process.exitCode = 1;
} finally {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
}
