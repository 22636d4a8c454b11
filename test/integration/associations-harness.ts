/**
 * Shared parts of the associations integration tests: streams and records of companies, contacts and deals, a
 * `write` run of the built CLI with an `associations` config (rejects kept in a local file), and
 * readers of what the sandbox holds: links by the targets' keys, and what its association endpoints received.
 */
import type { Sandbox } from "../../src/sandbox/server.js";
import { runCli, writeTempJson } from "../support/cli.js";
import { configFor, readRejectsFile, type StoredReject, TOKEN } from "../support/harness.js";
import { recordLine, stream } from "../support/messages.js";
import { tempPath } from "../support/process.js";

export { TOKEN, withSandbox } from "../support/harness.js";

export const companies = stream("companies", "COMPANY", "company_external_id");
export const people = stream("people", "CONTACT", "email");
export const deals = stream("deals", "DEAL", "deal_external_id");

export const company = (key: string, extra: Record<string, unknown> = {}) =>
  recordLine("companies", { company_external_id: key, name: `Company ${key}`, ...extra });
export const person = (email: string, extra: Record<string, unknown> = {}) =>
  recordLine("people", { email, firstname: email.split("@")[0], ...extra });
export const deal = (key: string, extra: Record<string, unknown> = {}) =>
  recordLine("deals", {
    deal_external_id: key,
    dealname: `Deal ${key}`,
    dealstage: "appointmentscheduled",
    pipeline: "default",
    ...extra,
  });

export const ALL = [companies, people, deals];

/** The entries most tests use: a deal to its company and its contacts, a contact to its employer. */
export const DEAL_LINKS = [
  { stream: "deals", field: "company", to_object: "COMPANY", to_key: "company_external_id" },
  { stream: "deals", field: "contacts", to_object: "CONTACT", to_key: "email" },
];
export const EMPLOYER = {
  stream: "people",
  field: "employer",
  to_object: "COMPANY",
  to_key: "company_external_id",
  label: "Employee",
};

export type Rejected = StoredReject;

/** A config for the sandbox with `associations` (and the other `extra` keys). */
export async function configFile(sandbox: Sandbox, extra: Record<string, unknown>) {
  return configFor(sandbox, { linger_ms: 50, ...extra });
}

/** A pause in the input: the lines after it reach the CLI this many milliseconds later. */
export const pause = (ms: number) => ({ pause: ms });

async function* paced(lines: Array<string | { pause: number }>) {
  for (const line of lines) {
    if (typeof line === "string") yield `${line}\n`;
    else await new Promise((resolve) => setTimeout(resolve, line.pause));
  }
}

/**
 * Runs `write` with a catalog of `streams` on `lines`; answers the CLI's result and the rejected records (kept
 * in a local `--rejects` file: where they are stored is not what these tests are about).
 */
export async function write(
  sandbox: Sandbox,
  options: {
    streams: unknown[];
    lines: Array<string | { pause: number }>;
    associations: unknown[];
    extra?: Record<string, unknown>;
  },
) {
  const config = await configFile(sandbox, { associations: options.associations, ...options.extra });
  const catalog = await writeTempJson({ streams: options.streams });
  const file = await tempPath("rejects.jsonl");
  const result = await runCli(["write", "--config", config.path, "--catalog", catalog, "--rejects", file], {
    stdin: paced(options.lines),
  });
  return { ...result, rejects: await readRejectsFile(file) };
}

const KEYS: Record<string, string> = {
  companies: "company_external_id",
  contacts: "email",
  deals: "deal_external_id",
};

/** The sandbox's id of a record by its key. */
export function idOf(sandbox: Sandbox, objectType: string, key: string): string {
  const record = sandbox.store.findRecord(objectType, KEYS[objectType] as string, key);
  if (!record) throw new Error(`No ${objectType} record ${key} in the sandbox`);
  return record.id;
}

/** What a record is linked to in `toType`: each target's key with the labels of the link (sorted). */
export function linksByKey(sandbox: Sandbox, fromType: string, fromKey: string, toType: string) {
  const fromId = idOf(sandbox, fromType, fromKey);
  const keyOf = (id: string) =>
    sandbox.store.listRecords(toType).find((record) => record.id === id)?.properties[KEYS[toType] as string];
  return Object.fromEntries(
    sandbox.store.associations.linksOf(fromType, fromId, toType).map((link) => [
      keyOf(link.toId),
      link.types
        .map((type) => type.label ?? "(unlabeled)")
        .sort()
        .join(", "),
    ]),
  );
}

/** The sandbox's request log (`POST /crm/objects/2026-09/0-2/batch/read 207 3ms`), to count requests by path. */
export function requestLog() {
  const lines: string[] = [];
  return {
    logger: (line: string) => lines.push(line),
    count: (pattern: RegExp) => lines.filter((line) => pattern.test(line)).length,
  };
}

/** CRM batch reads of contacts or companies: the lookups of link targets by key. */
export const TARGET_LOOKUP = /\/(0-1|0-2)\/batch\/read /;

/** Inputs each kind of association write has received so far. */
export const received = (sandbox: Sandbox) => ({ ...sandbox.store.associations.received });

/** Links a record to another with the given type ids through the sandbox's own API (test setup). */
export async function linkDirectly(
  sandbox: Sandbox,
  from: [string, string],
  to: [string, string],
  types: Array<{ associationCategory: string; associationTypeId: number }>,
) {
  const path = `/crm/v4/associations/${from[0]}/${to[0]}/batch/create`;
  const response = await fetch(`${sandbox.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ inputs: [{ from: { id: from[1] }, to: { id: to[1] }, types }] }),
  });
  if (response.status >= 300)
    throw new Error(`Setup link failed: ${response.status} ${await response.text()}`);
}

/** Creates a user label on a pair through the sandbox's labels API; answers its type on the from → to side. */
export async function createLabel(sandbox: Sandbox, from: string, to: string, name: string, label: string) {
  const path = `${sandbox.url}/crm/v4/associations/${from}/${to}/labels`;
  const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  const created = await fetch(path, { method: "POST", headers, body: JSON.stringify({ name, label }) });
  if (created.status !== 200)
    throw new Error(`Setup label failed: ${created.status} ${await created.text()}`);
  const listed = (await (await fetch(path, { headers })).json()) as {
    results: Array<{ category: string; typeId: number; label: string | null }>;
  };
  const type = listed.results.find((candidate) => candidate.label === label);
  if (!type) throw new Error(`Setup label ${label} is not listed`);
  return { associationCategory: type.category, associationTypeId: type.typeId };
}
