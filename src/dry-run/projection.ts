/**
 * What the plan has decided so far, per record: the values its earlier verdicts would have written, so a key that
 * comes again (a later batch, another stream) is judged against the record as the write would have left it, not
 * against HubSpot as it is now. Bounded: past PLAN_MEMORY_KEYS keys the oldest are forgotten (and counted), and a
 * forgotten key is judged against HubSpot again.
 */
import type { WriteTarget } from "../contract.js";

/** Keys the plan remembers. @default 100,000 */
export const PLAN_MEMORY_KEYS = 100_000;

/** A record as the plan's verdicts would leave it. */
export interface Projected {
  /** False once an archive was planned for it. */
  exists: boolean;
  /** The values known: HubSpot's (as read) overlaid with those the plan's verdicts would write. */
  values: Record<string, string | null>;
  /** HubSpot's id of the record, or the plan's stand-in for one it would create (planned-ids.ts). */
  id?: string | undefined;
}

export class Projection {
  private readonly records = new Map<string, Projected>();
  /** Keys forgotten to keep within the bound. */
  forgotten = 0;

  constructor(private readonly maxKeys = PLAN_MEMORY_KEYS) {}

  get(target: WriteTarget, key: string): Projected | undefined {
    return this.records.get(keyOf(target, key));
  }

  set(target: WriteTarget, key: string, record: Projected): void {
    const id = keyOf(target, key);
    this.records.delete(id);
    this.records.set(id, record);
    if (this.records.size > this.maxKeys) {
      const oldest = this.records.keys().next().value as string;
      this.records.delete(oldest);
      this.forgotten += 1;
    }
  }
}

/** Keys compare as HubSpot stores them (emails in lower case), per object whatever the stream. */
const keyOf = (target: WriteTarget, key: string) => `${target.objectType}\u0000${key.trim().toLowerCase()}`;
