/**
 * Where rejected records go. A sink returns nothing to the pipeline but a promise kept through `onDurable`: the
 * checkpoint tracker settles a rejected record only when its sink says it is stored.
 */
import type { RejectedRecord } from "./rejected-record.js";

export interface RejectsSink {
  /** Takes a rejected record; `onDurable` is called once it is stored for good (at once for the None store). */
  add(record: RejectedRecord, onDurable: () => void): void;
  /** Stores everything added so far. Rejects with a TransientError when the store stays unavailable. */
  flush(): Promise<void>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
  /** Where the records go, for people: `s3://bucket/prefix/` or a note that they are only counted. */
  readonly location: string;
  /** Rejected records by code, for the end-of-run summary. */
  readonly countsByCode: ReadonlyMap<string, number>;
}

export function countCode(counts: Map<string, number>, code: string): void {
  counts.set(code, (counts.get(code) ?? 0) + 1);
}
