/**
 * A least-recently-used map with a fixed number of entries: what a run remembers of HubSpot record ids, so memory
 * stays flat however many records it links. A `Map` keeps insertion order, so the first key is the least recently
 * used once every read moves its key to the end.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  /** @param capacity entries kept; the least recently used goes when one more is added. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error("A cache needs room for one entry");
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
