/**
 * The association batch calls the stage makes, each answering an outcome per input
 * (https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/guide):
 *
 * - `create` `{from, to, types}` (labelled links; the types given replace the pair's labels), `associate/default`
 *   `{from, to}` (the unlabeled type, labels kept), `archive` `{from, to: [..]}` (every type between the two) and
 *   `labels/archive` `{from, to, types}` (those labels only).
 * - `read` `{id, after?}`: a record's links to one object, a page per input.
 *
 * Statuses differ by version (create 201/207 on v4 and 2026-03, 200 with `errors` on 2026-09; archive 204 on v4,
 * 200 with a batch body on dated paths; §13.6), so answers are read by their body, never their status. An input is
 * done when a result names its pair, or when the answer carries no error at all; an error item rejects the inputs
 * it names (answers.ts). An input the answer leaves unaccounted is sent again alone, where every error is its own.
 * Whole-batch refusals are isolated by hubspot/isolate.ts; anything else (auth, scopes, retries exhausted) is thrown.
 */
import type { InputOutcome } from "../contract.js";
import type { ApiPaths, AssociationBatchAction } from "../hubspot/api-paths.js";
import { type IsolationOptions, type Outcomes, sendIsolating } from "../hubspot/isolate.js";
import type { JsonTransport } from "../hubspot/transport.js";
import {
  associationRejection,
  type ErrorItem,
  explainRefusal,
  names,
  namedInputs,
  type PairInput,
} from "./answers.js";
import type { AssociationTypeRef } from "./types.js";

/**
 * Inputs per request: batch create ≤ 2,000 and batch read ≤ 1,000 (D-ASSOC "Limits", the read cap enforced since
 * 2025-02-10); HubSpot documents no cap for associate/default, archive and labels/archive, so they keep to 2,000.
 * https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/guide
 */
export const ASSOCIATION_BATCH_LIMITS = { create: 2000, read: 1000, other: 2000 } as const;

export type LinkWriteAction = Exclude<AssociationBatchAction, "read">;

/** One link to write or remove; `types` for create and labels/archive. */
export interface LinkInput extends PairInput {
  toId: string;
  types?: readonly AssociationTypeRef[] | undefined;
}

/** One page of a read: the record's links to the object, and the cursor of the next page if there is one. */
export interface LinkPage {
  links: Array<{ toId: string; types: AssociationTypeRef[] }>;
  after?: string | undefined;
}

export type ReadOutcome = { status: "read"; page: LinkPage } | Extract<InputOutcome, { status: "rejected" }>;

interface Answer {
  results?: unknown[];
  errors?: ErrorItem[];
}

interface ReadResult {
  from?: { id?: unknown };
  to?: Array<{ toObjectId?: unknown; associationTypes?: Array<{ category?: unknown; typeId?: unknown }> }>;
  paging?: { next?: { after?: unknown } };
}

const pair = (from: unknown, to: unknown) => `${String(from)}>${String(to)}`;
const wireTypes = (types: readonly AssociationTypeRef[] = []) =>
  types.map((type) => ({ associationCategory: type.category, associationTypeId: type.typeId }));

function body(action: LinkWriteAction, inputs: readonly LinkInput[]) {
  return {
    inputs: inputs.map((input) => {
      const ends = { from: { id: input.fromId } };
      switch (action) {
        case "create":
        case "labels/archive":
          return { ...ends, to: { id: input.toId }, types: wireTypes(input.types) };
        case "associate/default":
          return { ...ends, to: { id: input.toId } };
        case "archive":
          return { ...ends, to: [{ id: input.toId }] };
      }
    }),
  };
}

/** The pairs an answer's results name: `fromObjectId`/`toObjectId` (create) or `from.id`/`to.id` (default). */
function resultPairs(results: unknown[]): Set<string> {
  const pairs = new Set<string>();
  for (const result of results as Array<Record<string, unknown> | null>) {
    if (!result) continue;
    if (result.fromObjectId !== undefined) pairs.add(pair(result.fromObjectId, result.toObjectId));
    const [from, to] = [
      result.from as { id?: unknown } | undefined,
      result.to as { id?: unknown } | undefined,
    ];
    if (from?.id !== undefined && to?.id !== undefined) pairs.add(pair(from.id, to.id));
  }
  return pairs;
}

/** Per-input outcomes of a write answer, as the file header says. */
function writeOutcomes(status: number, answer: Answer | undefined, inputs: readonly LinkInput[]): Outcomes {
  const outcomes: Outcomes = new Map();
  const errors = answer?.errors ?? [];
  for (const error of errors) {
    const rejection = associationRejection(error, status);
    for (const input of namedInputs(error, inputs))
      outcomes.set(input.traceId, { status: "rejected", rejection });
  }
  const done = resultPairs(answer?.results ?? []);
  for (const input of inputs) {
    if (outcomes.has(input.traceId)) continue;
    if (errors.length === 0 || done.has(pair(input.fromId, input.toId))) {
      outcomes.set(input.traceId, { status: "written" });
    } else {
      const reason = `a partial answer with ${errors.length} error(s) named neither this link nor a result for it`;
      outcomes.set(input.traceId, { status: "unaccounted", reason });
    }
  }
  return outcomes;
}

export class LinksApi {
  constructor(
    private readonly transport: JsonTransport,
    private readonly paths: Pick<ApiPaths, "associationsBatch">,
    private readonly isolation: IsolationOptions = {},
  ) {}

  /** Writes or removes links between `from` and `to` records: an outcome per input trace id. */
  async write(
    action: LinkWriteAction,
    from: string,
    to: string,
    inputs: readonly LinkInput[],
  ): Promise<Outcomes> {
    const path = this.paths.associationsBatch(from, to, action);
    const send = async (part: readonly LinkInput[]) => {
      try {
        const answer = await this.transport.postJson<Answer | undefined>(path, body(action, part));
        return writeOutcomes(answer.status, answer.body, part);
      } catch (error) {
        return explainRefusal(error, part);
      }
    };
    const outcomes = await sendIsolating(inputs, send, this.isolation);
    for (const input of inputs) {
      if (outcomes.get(input.traceId)?.status !== "unaccounted") continue;
      this.isolation.onExtraRequest?.();
      const alone = await sendIsolating([input], send, this.isolation);
      outcomes.set(input.traceId, alone.get(input.traceId) as InputOutcome);
    }
    return outcomes;
  }

  /** One page of each record's links from `from` to `to` (records without links answer an empty page). */
  async read(
    from: string,
    to: string,
    inputs: ReadonlyArray<PairInput & { after?: string | undefined }>,
  ): Promise<Map<string, ReadOutcome>> {
    const path = this.paths.associationsBatch(from, to, "read");
    const pages = new Map<string, LinkPage>();
    const send = async (part: typeof inputs) => {
      try {
        const request = {
          inputs: part.map(({ fromId, after }) => (after ? { id: fromId, after } : { id: fromId })),
        };
        const answer = await this.transport.postJson<Answer | undefined>(path, request);
        return readOutcomes(answer.status, answer.body, part, pages);
      } catch (error) {
        return explainRefusal(error, part);
      }
    };
    const outcomes = await sendIsolating(inputs, send, this.isolation);
    const read = new Map<string, ReadOutcome>();
    for (const input of inputs) {
      let outcome = outcomes.get(input.traceId);
      if (outcome?.status === "unaccounted") {
        this.isolation.onExtraRequest?.();
        outcome = (await sendIsolating([input], send, this.isolation)).get(input.traceId);
      }
      if (outcome?.status === "rejected") read.set(input.traceId, outcome);
      else read.set(input.traceId, { status: "read", page: pages.get(input.traceId) ?? { links: [] } });
    }
    return read;
  }
}

/**
 * The link calls the stage makes: `LinksApi` in a write; in a plan, a stand-in that passes reads through and sends
 * no write (planning.ts).
 */
export type LinkCalls = Pick<LinksApi, "write" | "read">;

/** A record without links is an error item with subCategory `…NO_ASSOCIATIONS_FOUND` (§13.5): an empty page. */
const isNoLinks = (error: ErrorItem) =>
  typeof error.subCategory === "string" && error.subCategory.endsWith("NO_ASSOCIATIONS_FOUND");

function readOutcomes(
  status: number,
  answer: Answer | undefined,
  inputs: readonly PairInput[],
  pages: Map<string, LinkPage>,
): Outcomes {
  const outcomes: Outcomes = new Map();
  const byFrom = new Map(inputs.map((input) => [input.fromId, input.traceId]));
  for (const result of (answer?.results ?? []) as ReadResult[]) {
    const trace = byFrom.get(String(result.from?.id));
    if (trace === undefined) continue;
    const links = (result.to ?? []).map((item) => ({
      toId: String(item.toObjectId),
      types: (item.associationTypes ?? []).map((type) => ({
        category: String(type.category),
        typeId: Number(type.typeId),
      })),
    }));
    const after = result.paging?.next?.after;
    pages.set(trace, { links, ...(typeof after === "string" ? { after } : {}) });
    outcomes.set(trace, { status: "written" });
  }
  const errors = answer?.errors ?? [];
  for (const error of errors) {
    for (const input of inputs.filter((candidate) => names(error, candidate) || inputs.length === 1)) {
      if (outcomes.has(input.traceId)) continue;
      outcomes.set(
        input.traceId,
        isNoLinks(error)
          ? { status: "written" }
          : { status: "rejected", rejection: associationRejection(error, status) },
      );
    }
  }
  for (const input of inputs) {
    if (outcomes.has(input.traceId)) continue;
    outcomes.set(
      input.traceId,
      errors.length === 0
        ? { status: "written" }
        : { status: "unaccounted", reason: "a partial answer left it out" },
    );
  }
  return outcomes;
}
