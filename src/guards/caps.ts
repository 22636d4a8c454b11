/**
 * The per-run caps `max_creates`, `max_archives` and `max_list_removals`, applied around the run's batch sender.
 *
 * - Archives and list removals are counted before a batch is sent: the batch that would take the records asked
 *   to be archived (or removed from a list) past the cap is not sent; once the batches asked before it have been
 *   answered, the run halts. Records asked count whether or not HubSpot still has them.
 * - Creates are known only from HubSpot's answers: once they show more than `max_creates` records created, the
 *   run halts. That batch's records are written and counted; requests already on the wire (at most one per
 *   concurrency slot) may create more, and the guards' gate lets no request go out after the halt (index.ts).
 * After a cap fires every later send throws its error, so nothing more goes out (the pipeline halts too).
 */
import type { BatchSender, WriteMode } from "../contract.js";
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

type Counted = "archives" | "listRemovals";

/**
 * What a batch asks that a cap counts, by its mode: each input of an `archive` batch asks to archive a record,
 * each input of a `remove` batch (a list stream's `soft_delete`, raw `--mode remove`) one list removal. An
 * overwrite (`replace`) only adds through the sender; its removals are its sweep's (`beforeListRemovals`).
 */
const COUNTED_MODES: Partial<Record<WriteMode, Counted>> = { archive: "archives", remove: "listRemovals" };

/** What a halt left undone, in the input's terms: STATEs in Airbyte mode, records in raw pipe mode and replays. */
export const haltedTail = (raw: boolean) =>
  raw
    ? "Nothing more was sent: no record after it"
    : "Nothing more was sent and no STATE after the last one echoed";

export class RunCaps {
  readonly counts: CapCounts = { created: 0, archivesAsked: 0, listRemovalsAsked: 0 };
  private firing: ConfigError | undefined;
  /** Batches sent under a counted cap and not answered yet: a batch that passes the cap waits for them. */
  private readonly sending = new Set<Promise<unknown>>();

  constructor(
    private readonly limits: CapLimits,
    /** Halts the run with the guard's error (the pipeline's `halt`). */
    private readonly fire: (error: ConfigError) => void,
    /** Raw pipe mode or a replay: the input has no STATEs, so the message speaks of records. */
    private readonly raw = false,
  ) {}

  /** The error of the cap that fired, if one did. */
  get fired(): ConfigError | undefined {
    return this.firing;
  }

  /** Whether a cap is set that is judged from HubSpot's answers (the guards' gate then waits for them). */
  get countsAnswers(): boolean {
    return this.limits.maxCreates !== undefined;
  }

  /** The sender with the caps around it. */
  wrap(send: BatchSender): BatchSender {
    return async (target, inputs, screen) => {
      if (this.firing) throw this.firing;
      const counted = COUNTED_MODES[target.mode];
      if (counted) await this.reserve(counted, inputs.length);
      const sending = send(target, inputs, screen);
      if (counted) this.track(sending);
      const outcomes = await sending;
      let created = 0;
      for (const outcome of outcomes.values())
        if (outcome.status === "written" && outcome.effect === "created") created += 1;
      if (created > 0) this.afterCreates(created);
      return outcomes;
    };
  }

  /**
   * Before removing `count` members from a list: resolves once they may be removed, or throws (and halts) when that
   * would pass the cap. An overwrite's sweep calls it once with all its removals, before its first request
   * (targets/list/sweep.ts); list streams in remove mode go through `wrap`.
   */
  beforeListRemovals(count: number): Promise<void> {
    return this.reserve("listRemovals", count);
  }

  /** Counts `count` records asked for under a cap, or, past it, throws once the batches before it are answered. */
  private async reserve(counted: Counted, count: number): Promise<void> {
    const [guard, max, asked, what] =
      counted === "archives"
        ? (["max_archives", this.limits.maxArchives, this.counts.archivesAsked, "archive"] as const)
        : ([
            "max_list_removals",
            this.limits.maxListRemovals,
            this.counts.listRemovalsAsked,
            "remove from a list",
          ] as const);
    if (max === undefined || asked + count <= max) {
      if (counted === "archives") this.counts.archivesAsked += count;
      else this.counts.listRemovalsAsked += count;
      return;
    }
    // The batches asked for before this one are sent: let them be answered and settled, then halt.
    while (this.sending.size > 0) await Promise.allSettled([...this.sending]);
    throw this.trip(
      guard,
      max,
      `the run has asked HubSpot to ${what} ${asked} records and its next batch would ask for ${count} more`,
    );
  }

  private track(sending: Promise<unknown>): void {
    const done = sending.then(
      () => undefined,
      () => undefined,
    );
    this.sending.add(done);
    void done.then(() => this.sending.delete(done));
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
      `Guard ${guard} (${max}) fired: ${what}, more than the ${max} the config allows. ${haltedTail(this.raw)}; ` +
        `check the input (a runaway upstream change?), or raise guards.${guard}.`,
    );
    this.fire(this.firing);
    return this.firing;
  }
}
