/**
 * What one list stream's run knows, shared by its sender (which writes members), its stage (which learns stream
 * statuses) and its sweep (which ends an overwrite). Made before any record is read (prepare.ts).
 */
import type { WriteTarget } from "../../contract.js";
import type { OverwriteMarker } from "./overwrite-marker.js";
import { LIST_LIMITS } from "./policies.js";
import type { ListSize } from "./memberships.js";

export interface ListRun {
  /** The stream's target: kind `list`, the list's object type, the member key as `idProperty`. */
  target: WriteTarget;
  /** The list written, with its size as the run knows it. */
  list: ListSize;
  /** The object the list holds, by the connector's name (CONTACT, COMPANY, cars). */
  objectName: string;
  /** This run created the list, so every member it holds is one the run added. */
  createdThisRun: boolean;
  /**
   * An overwrite's staging list in Airbyte mode: the members written by every attempt of this sync generation.
   * `createdThisRun`: no earlier attempt wrote to it, so it holds exactly what this run remembers in `seen`.
   */
  staging: (ListSize & { createdThisRun: boolean }) | undefined;
  /**
   * Rejected records of an earlier run sent again (`replay`): never a source's whole, so an overwrite's replay adds
   * members and never sweeps.
   */
  replay: boolean;
  /** A raw overwrite's marker list, kept while the run runs (overwrite-marker.ts). */
  marker?: OverwriteMarker | undefined;
  /** Members whose record does not exist are upserted first (lists.create_missing_records; not for remove). */
  createMissing: boolean;
  /** The CRM upsert those go through: the stream's key on the list's object. */
  upsertTarget: WriteTarget;
  /**
   * Record ids an overwrite has seen in the input this run (written or not); undefined once there were more than
   * `LIST_LIMITS.seenIds`, after which the run does not sweep.
   */
  seen: Set<string> | undefined;
  /** Records this run created for the list (create_missing_records). */
  createdRecords: number;
  /**
   * Overwrite: records whose member the run could not identify although it may exist (a key HubSpot would not
   * read, a line rejected before its key was read). Any of them keeps the run from sweeping.
   */
  unresolved: number;
}

/** Remembers ids an overwrite saw, up to the bound. */
export function rememberSeen(run: ListRun, recordIds: Iterable<string>): void {
  if (!run.seen) return;
  for (const id of recordIds) run.seen.add(id);
  if (run.seen.size > LIST_LIMITS.seenIds) run.seen = undefined;
}
