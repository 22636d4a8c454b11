/**
 * A STATE is a promise: it is echoed only when every record read before it is settled, that is written to HubSpot
 * or durably stored as rejected. The tracker models that and nothing else.
 *
 * 1. Input is cut into windows by STATE messages: window w holds the records between state w-1 and state w.
 * 2. Each admitted record increments its window's pending count; settling it decrements the count and adds to the
 *    window's per-stream written/rejected tally.
 * 3. States are released strictly in arrival order: the oldest waiting state goes out as soon as its window has
 *    nothing pending (earlier windows were released before it, so they are empty too).
 * 4. A released state carries `destinationStats` for what it covers: a STREAM state the tally of its stream since
 *    that stream's previous state; a GLOBAL or LEGACY state the tally of everything since the previous release.
 *    `recordCount` counts records written, `rejectedRecordCount` records rejected; events the allow-list leaves
 *    out are settled but in neither count (the protocol has no "skipped" stat; the run summary reports them).
 * 5. Rejected records become settled only once the rejects store has them durably; when the oldest state waits on
 *    nothing but such records, the tracker asks the store to flush.
 * 6. After `halt()` (a fatal error) nothing more is released, so the platform replays from the last echoed state.
 */

import { streamKey } from "../protocol/stream-key.js";

export type StateMessage = Record<string, unknown>;

export interface RecordTicket {
  readonly window: number;
  readonly stream: string;
}

interface Tally {
  written: number;
  rejected: number;
  skipped: number;
}

interface Window {
  pending: number;
  /** Records known rejected and waiting for the rejects store to make them durable. */
  awaitingStore: number;
  tallies: Map<string, Tally>;
}

export interface CheckpointTrackerOptions {
  release: (state: StateMessage) => void;
  /** Called when the oldest waiting state could go out if the rejects store flushed. */
  requestStoreFlush?: () => void;
}

export class CheckpointTracker {
  private readonly windows = new Map<number, Window>();
  private readonly waiting: { window: number; state: StateMessage }[] = [];
  /** Tallies of released windows not yet reported, because their state belonged to another stream. */
  private readonly carry = new Map<string, Tally>();
  private current = 0;
  private halted = false;
  released = 0;

  constructor(private readonly options: CheckpointTrackerOptions) {}

  admit(stream: string): RecordTicket {
    this.windowAt(this.current).pending += 1;
    return { window: this.current, stream };
  }

  /** A record was written to HubSpot. */
  settleWritten(ticket: RecordTicket): void {
    this.settle(ticket, "written");
  }

  /** A record needs no write by design (an event the allow-list leaves out). */
  settleSkipped(ticket: RecordTicket): void {
    this.settle(ticket, "skipped");
  }

  /** A record was rejected and the store does not hold it durably yet. */
  markAwaitingStore(ticket: RecordTicket): void {
    this.windowAt(ticket.window).awaitingStore += 1;
    this.maybeRequestFlush();
  }

  /** A rejected record is now durable in the store (or counted, with no store configured). */
  settleRejected(ticket: RecordTicket, wasAwaitingStore = true): void {
    if (wasAwaitingStore) this.windowAt(ticket.window).awaitingStore -= 1;
    this.settle(ticket, "rejected");
  }

  addState(state: StateMessage): void {
    this.waiting.push({ window: this.current, state });
    this.current += 1;
    this.releaseReady();
    this.maybeRequestFlush();
  }

  /** Records admitted and not yet settled, across all windows. */
  get pendingRecords(): number {
    let total = 0;
    for (const window of this.windows.values()) total += window.pending;
    return total;
  }

  get waitingStates(): number {
    return this.waiting.length;
  }

  halt(): void {
    this.halted = true;
  }

  private settle(ticket: RecordTicket, outcome: keyof Tally): void {
    const window = this.windowAt(ticket.window);
    window.pending -= 1;
    let tally = window.tallies.get(ticket.stream);
    if (!tally) {
      tally = { written: 0, rejected: 0, skipped: 0 };
      window.tallies.set(ticket.stream, tally);
    }
    tally[outcome] += 1;
    this.releaseReady();
    this.maybeRequestFlush();
  }

  private releaseReady(): void {
    while (!this.halted) {
      const head = this.waiting[0];
      if (!head) return;
      const window = this.windows.get(head.window);
      if (window && window.pending > 0) return;
      this.waiting.shift();
      this.windows.delete(head.window);
      if (window) addTallies(this.carry, window.tallies);
      this.released += 1;
      this.options.release(this.withStats(head.state));
    }
  }

  private maybeRequestFlush(): void {
    const head = this.waiting[0];
    if (!head || !this.options.requestStoreFlush) return;
    const window = this.windows.get(head.window);
    if (window && window.pending > 0 && window.pending === window.awaitingStore)
      this.options.requestStoreFlush();
  }

  private withStats(state: StateMessage): StateMessage {
    const tally = { written: 0, rejected: 0 };
    const stream = stateStream(state);
    if (stream !== undefined) {
      const own = this.carry.get(stream);
      if (own) {
        tally.written = own.written;
        tally.rejected = own.rejected;
        this.carry.delete(stream);
      }
    } else {
      for (const own of this.carry.values()) {
        tally.written += own.written;
        tally.rejected += own.rejected;
      }
      this.carry.clear();
    }
    const destinationStats: Record<string, number> = { recordCount: tally.written };
    if (tally.rejected > 0) destinationStats.rejectedRecordCount = tally.rejected;
    return { ...state, destinationStats };
  }

  private windowAt(index: number): Window {
    let window = this.windows.get(index);
    if (!window) {
      window = { pending: 0, awaitingStore: 0, tallies: new Map() };
      this.windows.set(index, window);
    }
    return window;
  }
}

function addTallies(into: Map<string, Tally>, from: Map<string, Tally>): void {
  for (const [stream, tally] of from) {
    const total = into.get(stream);
    if (total) {
      total.written += tally.written;
      total.rejected += tally.rejected;
      total.skipped += tally.skipped;
    } else {
      into.set(stream, { ...tally });
    }
  }
}

/** The stream a STREAM state covers; undefined for GLOBAL and LEGACY states, which cover everything. */
function stateStream(state: StateMessage): string | undefined {
  if (state.type !== "STREAM") return undefined;
  const descriptor = (
    state.stream as { stream_descriptor?: { name?: unknown; namespace?: unknown } } | undefined
  )?.stream_descriptor;
  if (!descriptor || typeof descriptor.name !== "string") return undefined;
  return streamKey(
    descriptor.name,
    typeof descriptor.namespace === "string" ? descriptor.namespace : undefined,
  );
}
