/**
 * The `_airbyte_raw_id`s a replay has already sent, so that copies of one rejected row are replayed once: a row is
 * stored again each time it is rejected again (by a replay, or when the platform retries a sync's window), with
 * the same id (derived from its stream, data and emitted_at), so a store can hold it many times.
 *
 * Memory stays bounded: each id is kept as a 64-bit hash (the first 8 bytes of its SHA-256) in an open-addressing
 * table of two Uint32Arrays, at most half full, that grows by doubling up to MAX_REMEMBERED_IDS ids (16 MiB).
 * Past that, ids already kept are still recognised, and new ones are not kept: their later copies are replayed
 * again, and the run says so. Two different ids share a hash with a chance below 3 in 100 million at a million ids.
 */
import { createHash } from "node:crypto";

/** Distinct raw ids a replay remembers. @default 1,000,000 (a 2^21-slot table of 8 bytes: 16 MiB) */
export const MAX_REMEMBERED_IDS = 1_000_000;

const FIRST_SLOTS = 1 << 12;

export class SeenIds {
  private high = new Uint32Array(FIRST_SLOTS);
  private low = new Uint32Array(FIRST_SLOTS);
  private count = 0;
  /** Whether an id went unremembered because the table was full. */
  full = false;

  constructor(private readonly maxIds = MAX_REMEMBERED_IDS) {}

  /** True the first time an id is seen (it is then remembered, while there is room), false for a copy. */
  firstSight(id: string): boolean {
    const digest = createHash("sha256").update(id, "utf8").digest();
    // 0/0 marks an empty slot, so a hash of 0/0 is stored as 0/1.
    const high = digest.readUInt32BE(0);
    const low = digest.readUInt32BE(4) || (high === 0 ? 1 : 0);
    const slot = this.find(high, low);
    if (this.high[slot] === high && this.low[slot] === low) return false;
    if (this.count >= this.maxIds) {
      this.full = true;
      return true;
    }
    this.high[slot] = high;
    this.low[slot] = low;
    this.count += 1;
    if (this.count * 2 > this.high.length) this.grow();
    return true;
  }

  /** The slot holding this hash, or the empty slot where it would go (linear probing). */
  private find(high: number, low: number): number {
    const mask = this.high.length - 1;
    let slot = (low ^ high) & mask;
    while (this.high[slot] !== 0 || this.low[slot] !== 0) {
      if (this.high[slot] === high && this.low[slot] === low) return slot;
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private grow(): void {
    const oldHigh = this.high;
    const oldLow = this.low;
    this.high = new Uint32Array(oldHigh.length * 2);
    this.low = new Uint32Array(oldLow.length * 2);
    for (let index = 0; index < oldHigh.length; index += 1) {
      const high = oldHigh[index] as number;
      const low = oldLow[index] as number;
      if (high === 0 && low === 0) continue;
      const slot = this.find(high, low);
      this.high[slot] = high;
      this.low[slot] = low;
    }
  }
}
