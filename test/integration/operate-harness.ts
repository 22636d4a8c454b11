/**
 * What the operate-* tests share: a config for the sandbox (and an S3 prefix of their own), running write and
 * replay through the built CLI, and reading back plan files and receipts.
 */
import { readFile } from "node:fs/promises";
import type { Sandbox } from "../../src/sandbox/server.js";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, TOKEN } from "../support/harness.js";
import { tempPath } from "../support/process.js";
import type { TestS3 } from "../support/s3.js";

export { freshPrefix, TOKEN } from "../support/harness.js";

/** A config file for the sandbox (linger 20 ms), with rejects in `s3` under `prefix` when given. */
export async function configFile(
  sandbox: Sandbox,
  extra: Record<string, unknown> = {},
  s3?: TestS3,
  prefix?: string,
): Promise<string> {
  const options = s3 ? { s3, ...(prefix ? { prefix } : {}) } : {};
  return (await configFor(sandbox, { linger_ms: 20, ...extra }, options)).path;
}

/** Runs `replay` with these arguments and nothing on stdin. */
export const replay = (args: string[]) => runCli(["replay", ...args], { stdin: "" });

/** What an operator does to fix an UNKNOWN_PROPERTY: create the (number) contact property in HubSpot. */
export async function createContactProperty(sandbox: Sandbox, name: string): Promise<void> {
  const answer = await fetch(`${sandbox.url}/crm/v3/properties/contacts`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({
      name,
      label: name === "shoe_size" ? "Shoe size" : name,
      type: "number",
      fieldType: "number",
      groupName: "contactinformation",
    }),
  });
  if (answer.status !== 201)
    throw new Error(`Setup property failed: ${answer.status} ${await answer.text()}`);
}

/** Runs `write --catalog` on the lines with the extra options. */
export async function writeCatalog(
  config: string,
  streams: unknown[],
  lines: string[],
  options: string[] = [],
) {
  const catalog = await writeTempJson({ streams });
  return runCli(["write", "--config", config, "--catalog", catalog, ...options], {
    stdin: `${lines.join("\n")}\n`,
  });
}

export interface PlanLineOut {
  line: number | null;
  stream: string;
  key?: string;
  verdict: string;
  code?: string;
  field?: string | null;
  message?: string;
  changes?: Record<string, { from: string | null; to: string }>;
  merged_into?: string;
}

export interface PlanSummaryOut {
  records: { read: number; verdicts: Record<string, number>; rejected_by_code: Record<string, number> };
  streams: Array<{
    stream: string | null;
    verdicts: Record<string, number>;
    rejected_by_code: Record<string, number>;
    write_requests: { batches: number; requests: number };
  }>;
  write_requests: { total: number; setup: number; batches: number };
  guards: string[];
  cannot_know: string[];
  states: { read: number; echoed: number };
  properties_to_create: Array<{ object: string; name: string; type: string; fieldType: string }>;
}

/** The plan file: its record lines, and the summary that must be its last line. */
export async function readPlan(path: string): Promise<{ lines: PlanLineOut[]; summary: PlanSummaryOut }> {
  const parsed = (await readFile(path, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as PlanLineOut & { summary?: PlanSummaryOut });
  const last = parsed.pop();
  if (!last?.summary)
    throw new Error(`the plan file's last line is not its summary: ${JSON.stringify(last)}`);
  if (parsed.some((line) => line.summary))
    throw new Error("the plan file has a summary before its last line");
  return { lines: parsed, summary: last.summary };
}

export interface StreamCounts {
  stream: string | null;
  read: number;
  written: number;
  created: number;
  updated: number;
  unchanged: number | null;
  archived: number;
  already_absent: number;
  rejected: number;
  rejected_by_code: Record<string, number>;
}

export interface ReceiptOut {
  command: string;
  plan: boolean;
  outcome: { status: string; failure_type?: string; message?: string; by?: string };
  totals: StreamCounts;
  streams: StreamCounts[];
  states_echoed: number;
  unsettled: number;
  requests: {
    sent: number;
    by_status: Record<string, number>;
    by_endpoint: Record<string, Record<string, number>>;
    latency_ms: { count: number; p50: number | null; p95: number | null; max: number | null };
  };
  retries: { count: number; waited_ms: number };
  rate_limit: { answers_429: number; waited_ms: number };
  isolation: { records_isolated: number; extra_requests: number };
  event_latency_ms: { count: number; p50: number; p95: number; max: number } | null;
  config_digest: string;
  connector: { version: string };
  duration_ms: number;
  guards: { set: Record<string, unknown>; fired: string | null };
}

export async function readReceipt(path: string): Promise<ReceiptOut> {
  return JSON.parse(await readFile(path, "utf8")) as ReceiptOut;
}

export { tempPath };
