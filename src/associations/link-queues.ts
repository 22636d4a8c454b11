/**
 * The stage's association requests, batched: one queue per call and object pair, each batch within HubSpot's
 * input caps (links-api.ts). A record's current links are read page by page: each further page is queued like a
 * first one, so records with many links share requests with the others.
 */
import type { InputOutcome, Rejection } from "../contract.js";
import { BatchQueue } from "./batch-queue.js";
import {
  ASSOCIATION_BATCH_LIMITS,
  type LinkCalls,
  type LinkInput,
  type LinkWriteAction,
  type ReadOutcome,
} from "./links-api.js";
import type { CurrentLinks } from "./link-ops.js";
import type { AssociationTypeRef } from "./types.js";

interface WriteItem {
  input: LinkInput;
  done: (outcome: InputOutcome) => void;
}

interface ReadItem {
  input: { traceId: string; id: string; properties: Record<string, string>; fromId: string; after?: string };
  done: (outcome: ReadOutcome) => void;
}

export class LinkQueues {
  private readonly writes = new Map<string, BatchQueue<WriteItem>>();
  private readonly reads = new Map<string, BatchQueue<ReadItem>>();
  private nextTrace = 0;
  private stopped = false;

  constructor(
    private readonly api: LinkCalls,
    private lingerMs: number,
    private readonly fail: (error: unknown) => void,
  ) {}

  /** Requests queued or in flight. */
  get busy(): boolean {
    for (const queue of [...this.writes.values(), ...this.reads.values()]) {
      if (queue.queued > 0 || queue.inFlight > 0) return true;
    }
    return false;
  }

  /** Writes or removes one link; resolves with HubSpot's verdict on it. */
  write(
    action: LinkWriteAction,
    from: string,
    to: string,
    link: { fromId: string; toId: string; types?: readonly AssociationTypeRef[] | undefined },
  ): Promise<InputOutcome> {
    const name = `${action}\u0000${from}\u0000${to}`;
    let queue = this.writes.get(name);
    if (!queue) {
      queue = this.queue<WriteItem>(
        action === "create" ? ASSOCIATION_BATCH_LIMITS.create : ASSOCIATION_BATCH_LIMITS.other,
        async (items) => {
          const outcomes = await this.api.write(
            action,
            from,
            to,
            items.map((item) => item.input),
          );
          for (const item of items) item.done(outcomes.get(item.input.traceId) ?? unconfirmed);
        },
      );
      this.writes.set(name, queue);
    }
    const target = queue;
    return new Promise((done) => target.add({ input: { ...link, ...this.wire(link.fromId) }, done }));
  }

  /** Every link of one record from `from` to `to`: target id → types, or HubSpot's refusal to say. */
  async readAll(
    from: string,
    to: string,
    fromId: string,
  ): Promise<{ ok: true; links: CurrentLinks } | { ok: false; rejection: Rejection }> {
    const name = `${from}\u0000${to}`;
    let queue = this.reads.get(name);
    if (!queue) {
      queue = this.queue<ReadItem>(ASSOCIATION_BATCH_LIMITS.read, async (items) => {
        const outcomes = await this.api.read(
          from,
          to,
          items.map((item) => item.input),
        );
        for (const item of items) item.done(outcomes.get(item.input.traceId) ?? unreadable);
      });
      this.reads.set(name, queue);
    }
    const target = queue;
    const links = new Map<string, AssociationTypeRef[]>();
    let after: string | undefined;
    do {
      const page = await new Promise<ReadOutcome>((done) =>
        target.add({ input: { ...this.wire(fromId), fromId, ...(after ? { after } : {}) }, done }),
      );
      if (page.status === "rejected") return { ok: false, rejection: page.rejection };
      for (const link of page.page.links)
        links.set(link.toId, [...(links.get(link.toId) ?? []), ...link.types]);
      after = page.page.after;
    } while (after !== undefined && !this.stopped);
    return { ok: true, links };
  }

  flush(): void {
    for (const queue of [...this.writes.values(), ...this.reads.values()]) queue.flush();
  }

  setLinger(lingerMs: number): void {
    this.lingerMs = lingerMs;
    for (const queue of [...this.writes.values(), ...this.reads.values()]) queue.setLinger(lingerMs);
  }

  stop(): void {
    this.stopped = true;
    for (const queue of [...this.writes.values(), ...this.reads.values()]) queue.stop();
  }

  private queue<T>(maxItems: number, send: (items: T[]) => Promise<void>): BatchQueue<T> {
    const queue = new BatchQueue<T>({ maxItems, lingerMs: this.lingerMs, send, fail: this.fail });
    if (this.stopped) queue.stop();
    return queue;
  }

  /** The WireInput fields hubspot/isolate.ts needs: a unique trace id, and the from record as `id`. */
  private wire(fromId: string) {
    return { traceId: `a${(this.nextTrace++).toString(36)}`, id: fromId, properties: {} };
  }
}

const unconfirmed: InputOutcome = {
  status: "rejected",
  rejection: {
    code: "UNCONFIRMED_ASSOCIATION",
    message: "HubSpot's answer did not say whether this link was made.",
  },
};
const unreadable: ReadOutcome = {
  status: "rejected",
  rejection: {
    code: "UNCONFIRMED_ASSOCIATION",
    message: "HubSpot's answer did not include this record's links.",
  },
};
