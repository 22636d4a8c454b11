/** Per-stream totals of a run, for the closing LOG lines and the raw-mode summary on stderr. */
import type { WriteEffect } from "../contract.js";

export interface StreamTotals {
  read: number;
  written: number;
  created: number;
  updated: number;
  /** Archived by this run, and already absent when the run asked to archive them (both count as written). */
  archived: number;
  absent: number;
  /** List memberships: members added, already members, removed, and asked out while not members. */
  added: number;
  alreadyMembers: number;
  removed: number;
  notMembers: number;
  /**
   * Associations: links HubSpot confirmed made for the stream's records (one per target, create or default), and
   * links or labels it confirmed removed (`replace`), whatever became of the records.
   */
  linked: number;
  unlinked: number;
  rejected: number;
  /**
   * Records keyed by record id written to the record their id was merged into (HubSpot gave the merged record a
   * new id); they count as written (updated, archived) too.
   */
  mergedIdsFollowed: number;
  /** Events left out by the allow-list or its filters (settled, not sent). */
  skipped: number;
  rejectedByCode: Map<string, number>;
  status: string | undefined;
}

const emptyTotals = (): StreamTotals => ({
  read: 0,
  written: 0,
  created: 0,
  updated: 0,
  archived: 0,
  absent: 0,
  added: 0,
  alreadyMembers: 0,
  removed: 0,
  notMembers: 0,
  linked: 0,
  unlinked: 0,
  rejected: 0,
  mergedIdsFollowed: 0,
  skipped: 0,
  rejectedByCode: new Map(),
  status: undefined,
});

/** The totals a list membership's effect counts in. */
const MEMBERSHIP_TOTALS: Partial<Record<WriteEffect, "added" | "alreadyMembers" | "removed" | "notMembers">> =
  {
    added: "added",
    "already-member": "alreadyMembers",
    removed: "removed",
    "not-member": "notMembers",
  };

export class RunStats {
  readonly streams = new Map<string, StreamTotals>();
  statesEmitted = 0;

  private totals(stream: string): StreamTotals {
    let totals = this.streams.get(stream);
    if (!totals) {
      totals = emptyTotals();
      this.streams.set(stream, totals);
    }
    return totals;
  }

  read(stream: string): void {
    this.totals(stream).read += 1;
  }

  written(stream: string, effect: WriteEffect | undefined): void {
    const totals = this.totals(stream);
    totals.written += 1;
    if (effect === "created") totals.created += 1;
    else if (effect === "updated") totals.updated += 1;
    else if (effect === "archived") totals.archived += 1;
    else if (effect === "absent") totals.absent += 1;
    const membership = effect === undefined ? undefined : MEMBERSHIP_TOTALS[effect];
    if (membership) totals[membership] += 1;
  }

  /**
   * What HubSpot did for the stream beyond its written records' own effects, counted apart so that written +
   * rejected stays read: records created for list members (lists.create_missing_records), a record created and
   * then rejected (a link's target not found), members an overwrite's sweep removed.
   */
  effectApart(stream: string, effect: "created" | "removed", count = 1): void {
    this.totals(stream)[effect] += count;
  }

  /** Links confirmed made and removed for one of the stream's records. */
  links(stream: string, linked: number, unlinked: number): void {
    const totals = this.totals(stream);
    totals.linked += linked;
    totals.unlinked += unlinked;
  }

  /** A record keyed by a merged id was written to the record it was merged into. */
  followedMergedId(stream: string): void {
    this.totals(stream).mergedIdsFollowed += 1;
  }

  skipped(stream: string): void {
    this.totals(stream).skipped += 1;
  }

  rejected(stream: string, code: string): void {
    const totals = this.totals(stream);
    totals.rejected += 1;
    totals.rejectedByCode.set(code, (totals.rejectedByCode.get(code) ?? 0) + 1);
  }

  streamStatus(stream: string, status: string): void {
    this.totals(stream).status = status;
  }

  get all(): StreamTotals {
    const sum = emptyTotals();
    for (const totals of this.streams.values()) {
      sum.read += totals.read;
      sum.written += totals.written;
      sum.created += totals.created;
      sum.updated += totals.updated;
      sum.archived += totals.archived;
      sum.absent += totals.absent;
      for (const name of Object.values(MEMBERSHIP_TOTALS)) sum[name] += totals[name];
      sum.linked += totals.linked;
      sum.unlinked += totals.unlinked;
      sum.rejected += totals.rejected;
      sum.mergedIdsFollowed += totals.mergedIdsFollowed;
      sum.skipped += totals.skipped;
      for (const [code, count] of totals.rejectedByCode) {
        sum.rejectedByCode.set(code, (sum.rejectedByCode.get(code) ?? 0) + count);
      }
    }
    return sum;
  }
}

/**
 * What the written records did: "created 3, updated 2", "archived 4, already absent 1", "added 5, already members
 * 2", "removed 1, not members 0", "linked 6, unlinked 1", or "" when unknown.
 */
export function describeEffects(totals: StreamTotals): string {
  const parts: string[] = [];
  if (totals.created > 0 || totals.updated > 0)
    parts.push(`created ${totals.created}, updated ${totals.updated}`);
  if (totals.archived > 0 || totals.absent > 0) {
    parts.push(`archived ${totals.archived}, already absent ${totals.absent}`);
  }
  if (totals.added > 0 || totals.alreadyMembers > 0)
    parts.push(`added ${totals.added}, already members ${totals.alreadyMembers}`);
  if (totals.removed > 0 || totals.notMembers > 0)
    parts.push(`removed ${totals.removed}, not members ${totals.notMembers}`);
  if (totals.linked > 0 || totals.unlinked > 0)
    parts.push(`linked ${totals.linked}, unlinked ${totals.unlinked}`);
  if (totals.mergedIdsFollowed > 0) parts.push(`merged ids followed ${totals.mergedIdsFollowed}`);
  return parts.join("; ");
}

export function describeTotals(name: string, totals: StreamTotals): string {
  const codes = [...totals.rejectedByCode].map(([code, count]) => `${code} ${count}`).join(", ");
  const effects = describeEffects(totals);
  return (
    `${name || "(lines outside any stream)"}: read ${totals.read}, written ${totals.written}` +
    `${effects ? ` (${effects})` : ""}, rejected ${totals.rejected}${codes ? ` (${codes})` : ""}` +
    `${totals.skipped > 0 ? `, skipped ${totals.skipped} (left out by events.mappings; in neither state count)` : ""}`
  );
}
