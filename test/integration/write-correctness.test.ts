/**
 * "Nothing lost, last write wins" in the corners: booby-trapped values, merged records HubSpot refuses, two
 * streams on one key, checkbox appends, STATEs that contain a secret's text, per-stream generation ids, scopes and
 * API versions. Each scenario counts what HubSpot received (the sandbox's ledger), not what its index makes true.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { REJECTS_DEADLINE_ENV } from "../../src/run/rejects-deadline.js";
import { READ_ONLY_PRIVATE_APP_TOKEN, type Sandbox } from "../../src/sandbox/server.js";
import { runCli, writeTempJson } from "../support/cli.js";
import { createRecords, readRejectsFile, runWrite, TOKEN, useS3, withSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream, streamStates } from "../support/messages.js";
import { tempPath } from "../support/process.js";
import { s3StorageConfig } from "../support/s3.js";

const s3 = useS3();

async function write(
  sandbox: Sandbox,
  streams: unknown[],
  lines: (string | Buffer)[],
  extra: Record<string, unknown> = {},
  token = TOKEN,
) {
  // Rejects go to a local file: only the silent-store test below is about S3.
  const file = await tempPath("rejects.jsonl");
  const result = await runWrite(sandbox, {
    streams,
    stdin: Buffer.concat(lines.flatMap((line) => [Buffer.from(line), Buffer.from("\n")])),
    extra: { linger_ms: 200, ...extra },
    args: ["--rejects", file],
    token,
  });
  const storedText = () => readFile(file, "utf8");
  return { ...result, rejects: await readRejectsFile(file), storedText };
}

const people = stream("people", "CONTACT", "email");
const eventStreamFor = (name: string, objectName: string) => ({
  stream: { name, json_schema: {}, supported_sync_modes: ["incremental"] },
  sync_mode: "incremental",
  destination_sync_mode: "append",
  destination_object_name: objectName,
});

describe("write: correctness corners", () => {
  it("rejects a value whose text conversion throws, and writes the records around it", async () => {
    await withSandbox({}, async (sandbox) => {
      const result = await write(
        sandbox,
        [people],
        [
          recordLine("people", { email: "before@x.co" }),
          '{"type":"RECORD","record":{"stream":"people","emitted_at":1,"data":{"email":{"toString":1}}}}',
          '{"type":"RECORD","record":{"stream":"people","emitted_at":1,"data":{"email":"a@x.co","firstname":{"valueOf":{},"toString":1}}}}',
          recordLine("people", { email: "after@x.co" }),
          stateLine("people", 1),
        ],
      );
      expect(result.exitCode).toBe(0);
      expect(result.rejects.map((row) => row._rejection.code)).toEqual(["INVALID_EMAIL"]);
      expect(sandbox.store.findRecord("contacts", "email", "a@x.co")?.properties.firstname).toBe(
        '{"valueOf":{},"toString":1}',
      );
      expect(sandbox.ledger.totals("contacts").creates).toBe(3);
      expect(streamStates(result.messages)).toEqual([
        { name: "people", recordCount: 3, rejectedRecordCount: 1 },
      ]);
    });
  });

  it("keeps the later value when a merged input HubSpot refuses is isolated behind a newer batch", async () => {
    const rules = [{ object: "contacts", property: "phone", pattern: "^\\+[0-9]+$", message: "Use +digits" }];
    await withSandbox({ validationRules: rules, ledgerHistory: true, latencyMs: 30 }, async (sandbox) => {
      const result = await write(
        sandbox,
        [people],
        [
          recordLine("people", { email: "a@x.co", firstname: "old" }),
          recordLine("people", { email: "a@x.co", phone: "not a phone" }),
          recordLine("people", { email: "b@x.co" }),
          recordLine("people", { email: "a@x.co", firstname: "new" }),
          stateLine("people", 1),
        ],
        { batch_size: 2 },
      );
      expect(result.exitCode).toBe(0);
      expect(sandbox.store.findRecord("contacts", "email", "a@x.co")?.properties.firstname).toBe("new");
      const history = sandbox.ledger.get("contacts", "email=a@x.co")?.history ?? [];
      expect(history.at(-1)?.firstname).toBe("new");
      expect(result.rejects.map((row) => row._airbyte_data.phone)).toEqual(["not a phone"]);
      expect(streamStates(result.messages)).toEqual([
        { name: "people", recordCount: 3, rejectedRecordCount: 1 },
      ]);
    });
  });

  it("rejects only the record an admin rule refuses, though the rule's message quotes good records' values", async () => {
    const rules = [
      {
        object: "contacts",
        property: "jobtitle",
        pattern: "^[A-Z]{2}$",
        message: "Use a two-letter country code such as US or DE",
      },
    ];
    await withSandbox({ validationRules: rules }, async (sandbox) => {
      const codes = ["US", "DE", "FR", "US", "DE", "FR", "US", "DE", "FR", "US", "DE", "FR"];
      const lines = codes.map((jobtitle, i) => recordLine("people", { email: `p${i}@x.co`, jobtitle }));
      lines.splice(5, 0, recordLine("people", { email: "bad@x.co", jobtitle: "Germany" }));
      // Later records carrying the values the message quotes must still be sent, not screened as refused.
      for (let i = 0; i < 20; i += 1)
        lines.push(recordLine("people", { email: `later${i}@x.co`, jobtitle: "US" }));
      lines.push(stateLine("people", 1));
      const result = await write(sandbox, [people], lines, { batch_size: 100, linger_ms: 2000 });
      expect(result.exitCode).toBe(0);
      expect(result.rejects.map((row) => row._airbyte_data.email)).toEqual(["bad@x.co"]);
      expect(result.rejects[0]?._rejection?.code).toBe("INVALID_REGEX");
      const written = sandbox.store.listRecords("contacts").map((record) => record.properties.email);
      expect(written).toHaveLength(32);
      expect(written).not.toContain("bad@x.co");
      expect(streamStates(result.messages)).toEqual([
        { name: "people", recordCount: 32, rejectedRecordCount: 1 },
      ]);
    });
  });

  it("lands the last write of a key last when two streams write the same contacts", async () => {
    await withSandbox({ latencyMs: 20, latencyJitterMs: 20 }, async (sandbox) => {
      const lines: string[] = [];
      for (let round = 0; round < 6; round += 1) {
        for (let key = 0; key < 40; key += 1) {
          lines.push(
            recordLine(round % 2 === 0 ? "web" : "crm", { email: `k${key}@x.co`, firstname: `r${round}` }),
          );
        }
      }
      lines.push(stateLine("web", 1), stateLine("crm", 1));
      const streams = [stream("web", "CONTACT", "email"), stream("crm", "CONTACT", "email")];
      const result = await write(sandbox, streams, lines, { batch_size: 7, linger_ms: 5 });
      expect(result.exitCode).toBe(0);
      const values = sandbox.store.listRecords("contacts").map((record) => record.properties.firstname);
      expect(values).toHaveLength(40);
      expect(new Set(values)).toEqual(new Set(["r5"]));
    });
  });

  it("sends one stream's older write of a key before another stream's newer batch holding that key", async () => {
    await withSandbox({ ledgerHistory: true }, async (sandbox) => {
      const lines = [recordLine("web", { email: "k0@x.co", firstname: "old" })];
      for (let key = 0; key < 7; key += 1)
        lines.push(recordLine("crm", { email: `k${key}@x.co`, firstname: "new" }));
      lines.push(stateLine("web", 1), stateLine("crm", 1));
      const streams = [stream("web", "CONTACT", "email"), stream("crm", "CONTACT", "email")];
      const result = await write(sandbox, streams, lines, { batch_size: 7, linger_ms: 60_000 });
      expect(result.exitCode).toBe(0);
      const history = sandbox.ledger.get("contacts", "email=k0@x.co")?.history ?? [];
      expect(history.map((written) => written.firstname)).toEqual(["old", "new"]);
    });
  });

  it("appends both multi-checkbox values when two records of one contact merge in a batch", async () => {
    await withSandbox({}, async (sandbox) => {
      createRecords(sandbox, "contacts", [{ email: "a@x.co", hs_buying_role: "CHAMPION" }]);
      const result = await write(
        sandbox,
        [people],
        [
          recordLine("people", { email: "a@x.co", hs_buying_role: ";BUDGET_HOLDER" }),
          recordLine("people", { email: "a@x.co", hs_buying_role: ";END_USER" }),
          stateLine("people", 1),
        ],
      );
      expect(result.exitCode).toBe(0);
      const stored = sandbox.store.findRecord("contacts", "email", "a@x.co")?.properties.hs_buying_role;
      expect(stored?.split(";").sort()).toEqual(["BUDGET_HOLDER", "CHAMPION", "END_USER"]);
    });
  });

  it("echoes a STATE whose cursor contains the token's text unaltered, while masking it everywhere else", async () => {
    await withSandbox({}, async (sandbox) => {
      const result = await write(
        sandbox,
        [people],
        [recordLine("people", { email: "a@x.co" }), stateLine("people", `after-${TOKEN}`)],
      );
      const state = result.messages.find((message) => message.type === "STATE");
      expect(JSON.stringify(state)).toContain(`after-${TOKEN}`);
      const others = result.messages.filter((message) => message.type !== "STATE");
      expect(JSON.stringify(others) + result.stderr).not.toContain(TOKEN);
    });
  });

  it("rejects what it would otherwise write changed, naming the field, and stores and echoes what was sent", async () => {
    await withSandbox({}, async (sandbox) => {
      const data = (text: string | Buffer) =>
        Buffer.concat([
          Buffer.from('{"type":"RECORD","record":{"stream":"people","emitted_at":1,"data":'),
          Buffer.from(text),
          Buffer.from("}}"),
        ]);
      const result = await write(
        sandbox,
        [people],
        [
          data(
            Buffer.concat([
              Buffer.from('{"email":"bytes@x.co","firstname":"A'),
              Buffer.from([0xff, 0xfe]),
              Buffer.from('B"}'),
            ]),
          ),
          data('{"email":"zero@x.co","annualrevenue":1e-400}'),
          data('{"email":"huge@x.co","annualrevenue":1e400}'),
          data(Buffer.from('{"email":"genuine@x.co","firstname":"A\uFFFDB"}', "utf8")),
          '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"people"},"stream_state":{"cursor":12345678901234567890,"tiny":1e-400}}}}',
        ],
      );
      expect(result.exitCode).toBe(0);
      expect(result.rejects.map((row) => [row._rejection.code, row._rejection.field])).toEqual([
        ["INVALID_STRING", "firstname"],
        ["INVALID_NUMBER", "annualrevenue"],
        ["INVALID_NUMBER", "annualrevenue"],
      ]);
      // What HubSpot received: only the record whose U+FFFD the source sent as valid UTF-8, unchanged.
      expect(sandbox.ledger.totals("contacts").creates).toBe(1);
      expect(sandbox.store.findRecord("contacts", "email", "genuine@x.co")?.properties.firstname).toBe(
        "A\uFFFDB",
      );
      // The store keeps the bad bytes (as \udcXX escapes) and the number literals as the source sent them.
      const stored = await result.storedText();
      expect(stored).toContain('"firstname":"A\\udcff\\udcfeB"');
      expect(stored).toContain('"annualrevenue":1e-400');
      expect(stored).toContain('"annualrevenue":1e400');
      expect(result.stdout).toContain('"stream_state":{"cursor":12345678901234567890,"tiny":1e-400}');
      expect(streamStates(result.messages)).toEqual([
        { name: "people", recordCount: 1, rejectedRecordCount: 3 },
      ]);
    });
  });

  it("sends decimals with more digits than a double holds with every digit, to number and text properties", async () => {
    await withSandbox({}, async (sandbox) => {
      const data = (text: string) =>
        `{"type":"RECORD","record":{"stream":"people","emitted_at":1,"data":${text}}}`;
      const result = await write(
        sandbox,
        [people],
        [
          data(
            '{"email":"s3@example.com","firstname":1.00000000000000001,"annualrevenue":123456789.98765432101}',
          ),
          data('{"email":"nested@example.com","company":{"x":1e400,"y":1.00000000000000001}}'),
          data('{"email":"not-an-email","company":{"x":1e400,"y":1.00000000000000001}}'),
        ],
      );
      expect(result.exitCode).toBe(0);
      const stored = (email: string) => sandbox.store.findRecord("contacts", "email", email)?.properties;
      expect(stored("s3@example.com")).toMatchObject({
        firstname: "1.00000000000000001",
        annualrevenue: "123456789.98765432101",
      });
      expect(stored("nested@example.com")?.company).toBe('{"x":1e400,"y":1.00000000000000001}');
      expect(result.rejects.map((row) => row._rejection.code)).toEqual(["INVALID_EMAIL"]);
      expect(await result.storedText()).toContain('"company":{"x":1e400,"y":1.00000000000000001}');
    });
  });

  it("stores each stream's rejected records with that stream's own generation id", async () => {
    await withSandbox({}, async (sandbox) => {
      const first = { ...stream("one", "CONTACT", "email"), generation_id: 5 };
      const second = { ...stream("two", "CONTACT", "email"), generation_id: 9 };
      const result = await write(
        sandbox,
        [first, second],
        [
          recordLine("one", { email: "bad-one" }),
          recordLine("two", { email: "bad-two" }),
          stateLine("one", 1),
          stateLine("two", 1),
        ],
      );
      const byStream = Object.fromEntries(
        result.rejects.map((row) => [row._rejection.stream, row._airbyte_generation_id]),
      );
      expect(byStream).toEqual({ one: 5, two: 9 });
    });
  });

  it("refuses to write before reading anything when the token lacks the stream's write scope", async () => {
    await withSandbox({}, async (sandbox) => {
      const result = await write(
        sandbox,
        [people],
        [recordLine("people", { email: "a@x.co" })],
        {},
        READ_ONLY_PRIVATE_APP_TOKEN,
      );
      expect(result.exitCode).toBe(1);
      const error = result.messages.find((message) => message.trace?.type === "ERROR")?.trace?.error;
      expect(error?.failure_type).toBe("config_error");
      expect(error?.message).toContain("crm.objects.contacts.write");
      expect(sandbox.ledger.get("contacts", "email=a@x.co")).toBeUndefined();
      expect(sandbox.stats.byRoute.get("upsert") ?? 0).toBe(0);
    });
  });

  it.each(["2026-09", "2026-03", "legacy"])("calls only the %s paths of HubSpot's API", async (version) => {
    const paths: string[] = [];
    await withSandbox({ logger: (line) => paths.push(line.split(" ")[1] ?? "") }, async (sandbox) => {
      const extra = version === "2026-09" ? {} : { api_version: version };
      const streams = [people, eventStreamFor("clicks", "event:signed_up")];
      const lines = [
        recordLine("people", { email: "a@x.co" }),
        recordLine("clicks", { email: "a@x.co", uuid: "e-1" }),
        stateLine("people", 1),
      ];
      const result = await write(sandbox, streams, lines, extra);
      expect(result.exitCode).toBe(0);
    });
    // HubSpot has no dated twin of the private-app token info endpoint
    // (https://developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview).
    const called = [...new Set(paths)].filter(
      (path) => path !== "/oauth/v2/private-apps/get/access-token-info",
    );
    expect(called.some((path) => path.includes("/batch/upsert"))).toBe(true);
    expect(called.some((path) => path.includes("/send/batch"))).toBe(true);
    const numbered = /\/v[1-4]\//;
    const wrong =
      version === "legacy"
        ? called.filter((path) => !numbered.test(path))
        : called.filter((path) => !path.includes(`/${version}/`));
    expect(wrong).toEqual([]);
  });

  it("ends in a transient_error within its upload deadline, memory bounded, when the rejects store accepts but never answers", async () => {
    const silent: Server = createServer(() => {}); // accepts connections, never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    // The documented minute, shortened for the test: the run must fail within the deadline it is given.
    const deadlineSeconds = 4;
    try {
      await withSandbox({}, async (sandbox) => {
        const config = await writeTempJson({
          credentials: { type: "Private App", access_token: TOKEN },
          api_base_url: sandbox.url,
          object_storage_config: { ...s3StorageConfig(s3), s3_endpoint: `http://127.0.0.1:${port}` },
        });
        const lines = Array.from({ length: 60_000 }, (_, i) => `{"email":"not-an-email-${i}"}\n`).join("");
        const started = Date.now();
        const result = await runCli(["write", "--config", config, "--object", "CONTACT"], {
          stdin: lines,
          env: { DESTINATION_HUBSPOT_REPORT_USAGE: "1", [REJECTS_DEADLINE_ENV]: String(deadlineSeconds) },
        });
        const seconds = (Date.now() - started) / 1000;
        expect(result.exitCode).toBe(1);
        expect(result.stdout + result.stderr).toContain("transient_error");
        // The deadline for the rejects, at most as long again for the receipt (stored in the same store), and the
        // 15 s of room for start-up and input that the minute had.
        expect(seconds).toBeLessThan(2 * deadlineSeconds + 15);
        const usage = JSON.parse(/usage (\{.*\})/.exec(result.stderr)?.[1] ?? "{}") as { maxRssKb?: number };
        expect(usage.maxRssKb ?? 0).toBeLessThan(400 * 1024);
      });
    } finally {
      silent.close();
    }
  });
});
