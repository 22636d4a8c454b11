import { describe, expect, it } from "vitest";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, createRecords, useSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream } from "../support/messages.js";

const sandbox = useSandbox();

const config = async () => (await configFor(sandbox, { api_version: "legacy", linger_ms: 20 })).path;

async function raw(mode: string, records: unknown[]) {
  return runCli(["write", "--config", await config(), "--object", "CONTACT", "--mode", mode], {
    stdin: `${records.map((record) => JSON.stringify(record)).join("\n")}\n`,
  });
}

describe("the summary's counts", () => {
  it("counts --mode update writes as updates", async () => {
    createRecords(sandbox, "contacts", [{ email: "a@x.co" }, { email: "b@x.co" }]);
    const result = await raw("update", [
      { email: "a@x.co", firstname: "A" },
      { email: "b@x.co", firstname: "B" },
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("Read 2 records: written 2 (created 0, updated 2), rejected 0.");
  });

  it("counts --mode archive as archived and already absent", async () => {
    createRecords(sandbox, "contacts", [{ email: "a@x.co" }]);
    const result = await raw("archive", [{ email: "a@x.co" }, { email: "never@x.co" }]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("Read 2 records: written 2 (archived 1, already absent 1), rejected 0.");
    expect(result.stderr).not.toContain("created");
  });

  it("says the same in Airbyte mode's closing LOG", async () => {
    createRecords(sandbox, "contacts", [{ email: "a@x.co" }]);
    const catalog = await writeTempJson({ streams: [stream("people", "CONTACT", "email", "soft_delete")] });
    const result = await runCli(["write", "--config", await config(), "--catalog", catalog], {
      stdin: [
        recordLine("people", { email: "a@x.co" }),
        recordLine("people", { email: "gone@x.co" }),
        stateLine("people", 2),
      ].join("\n"),
    });
    const logs = result.messages.map((message) => message.log?.message ?? "");
    expect(logs).toContainEqual(
      expect.stringContaining("people: read 2, written 2 (archived 1, already absent 1)"),
    );
    expect(logs).toContainEqual(
      expect.stringMatching(/^Write finished: 2 written \(archived 1, already absent 1\)/),
    );
  });
});
