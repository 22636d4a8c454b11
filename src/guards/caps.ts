/**
 * The per-run caps `max_creates`, `max_archives` and `max_list_removals`, applied around the run's batch sender.
 *
 * - Archives and list removals are counted before a batch is sent: the batch that would take the records asked
 *   to be archived (or removed from a list) past the cap is not sent, and the run halts. Records asked count
 *   whether or not HubSpot still has them.
 * - Creates are known only from HubSpot's answers: once they show more than `max_creates` records created, the
 *   run halts. That batch's records are written and counted; batches already on the wire may create a few more.
 * After a cap fires every later send throws its error, so nothing more goes out (the pipeline halts too).
 */
import type { BatchSender, WriteTarget } from "../contract.js";
import { ConfigError } from "../errors.js";

export interface CapLimits {
  maxCreates?: number | undefined;
  maxArchives?: number | undefined;
  maxListRemovals?: number | undefined;
}

/** What the caps have counted so far. */
export interface CapCounts {
  created: number;
  archivesAsked: number;
  listRemovalsAsked: number;
}

/** A list stream that removes members (the lists' own `remove` mode). */
const removesListMembers = (target: WriteTarget) =>
  target.kind === "list" && (target.mode as string) === "remove";

export class RunCaps {
  readonly counts: CapCounts = { created: 0, archivesAsked: 0, listRemovalsAsked: 0 };
  private firing: ConfigError | undefined;

  constructor(
    private readonly limits: CapLimits,
    /** Halts the run with the guard's error (the pipeline's `halt`). */
    private readonly fire: (error: ConfigError) => void,
  ) {}

  /** The error of the cap that fired, if one did. */
  get fired(): ConfigError | undefined {
    return this.firing;
  }

  /** The sender with the caps around it. */
  wrap(send: BatchSender): BatchSender {
    return async (target, inputs, screen) => {
      if (this.firing) throw this.firing;
      if (target.kind === "crm" && target.mode === "archive") this.beforeArchives(inputs.length);
      if (removesListMembers(target)) this.beforeListRemovals(inputs.length);
      const outcomes = await send(target, inputs, screen);
      let created = 0;
      for (const outcome of outcomes.values())
        if (outcome.status === "written" && outcome.effect === "created") created += 1;
      if (created > 0) this.afterCreates(created);
      return outcomes;
    };
  }

  /** Before asking HubSpot to archive `count` records; throws (and halts) when that would pass the cap. */
  beforeArchives(count: number): void {
    const max = this.limits.maxArchives;
    if (max !== undefined && this.counts.archivesAsked + count > max) {
      throw this.trip(
        "max_archives",
        max,
        `the run has asked HubSpot to archive ${this.counts.archivesAsked} records and the next batch would ask for ${count} more`,
      );
    }
    this.counts.archivesAsked += count;
  }

  /**
   * Before removing `count` members from a list; throws (and halts) when that would pass the cap. The lists stage
   * calls it for its overwrite sweep; list streams in remove mode go through `wrap`.
   */
  beforeListRemovals(count: number): void {
    const max = this.limits.maxListRemovals;
    if (max !== undefined && this.counts.listRemovalsAsked + count > max) {
      throw this.trip(
        "max_list_removals",
        max,
        `the run has asked HubSpot to remove ${this.counts.listRemovalsAsked} list members and the next batch would ask for ${count} more`,
      );
    }
    this.counts.listRemovalsAsked += count;
  }

  private afterCreates(created: number): void {
    this.counts.created += created;
    const max = this.limits.maxCreates;
    if (max !== undefined && this.counts.created > max && !this.firing) {
      this.trip(
        "max_creates",
        max,
        `HubSpot's answers show ${this.counts.created} records created by this run`,
      );
    }
  }

  private trip(guard: string, max: number, what: string): ConfigError {
    if (this.firing) return this.firing;
    this.firing = new ConfigError(
      `Guard ${guard} (${max}) fired: ${what}, more than the ${max} the config allows. Nothing more was sent and ` +
        `no STATE after the last one echoed; check the input (a runaway upstream change?), or raise guards.${guard}.`,
    );
    this.fire(this.firing);
    return this.firing;
  }
}
