/**
 * The run's guards (`config.guards`): each stops a bad run before it does more damage, and each is off unless set.
 *
 * | guard                | checked                                          | fires with                              |
 * | -------------------- | ------------------------------------------------ | --------------------------------------- |
 * | expected_portal_id   | once, before anything is read or created          | config_error; nothing read or written  |
 * | max_reject_ratio     | at each record read or rejected, from min_records | config_error; halt                      |
 * | max_creates          | after each batch answer (creates are HubSpot's)   | config_error; halt                      |
 * | max_archives         | before each archive batch is sent                 | config_error; halt (batch not sent)     |
 * | max_list_removals    | before each batch of list removals is sent        | config_error; halt (batch not sent)     |
 * | daily_budget_share   | at each request admitted and answered             | transient_error; clean stop, STATEs out |
 * A halt is what a fatal error does: nothing more is sent and no STATE after it is echoed. A plan (`--plan`)
 * checks the portal; the other guards only say, in its summary, whether the write would trip them.
 */
import type { GuardsConfigType } from "../config/guards.js";
import type { BatchSender } from "../contract.js";
import { ConfigError } from "../errors.js";
import type { RequestGate } from "../hubspot/http-types.js";
import { haltedTail, RunCaps } from "./caps.js";
import { DailyBudget } from "./daily-budget.js";
import { checkPortal } from "./portal.js";
import { sharePassed } from "./reject-ratio.js";

export { checkPortal } from "./portal.js";

export interface GuardHooks {
  log: (level: "INFO" | "WARN", message: string) => void;
  /** Stops the run cleanly, as a signal does (the daily budget); undefined: the guard halts instead. */
  stopCleanly?: ((message: string) => void) | undefined;
  /** Requests in flight at most (config `max_concurrent_requests`): the daily budget's room. */
  maxConcurrent: number;
  /** A plan: only the portal is checked; the plan's summary says what the write would do to the rest. */
  planning?: boolean;
  /** Raw pipe mode or a replay: the input has no STATEs, so the guards' messages speak of records. */
  raw?: boolean;
}

/** What the receipt says of the guards: those set, and the one that fired. */
export interface GuardsReport {
  set: Partial<GuardsConfigType>;
  fired: string | undefined;
}

export class RunGuards {
  private readonly controller = new AbortController();
  /** The pipeline's `halt`: aborted with the ConfigError of the guard that fired. */
  readonly halt: AbortSignal = this.controller.signal;
  readonly caps: RunCaps;
  readonly budget: DailyBudget | undefined;
  private firedMessage: string | undefined;

  constructor(
    readonly config: GuardsConfigType,
    private readonly hooks: GuardHooks,
  ) {
    const fire = (error: Error) => {
      this.firedMessage ??= error.message;
      if (!this.controller.signal.aborted) this.controller.abort(error);
    };
    this.caps = new RunCaps(
      {
        maxCreates: config.max_creates,
        maxArchives: config.max_archives,
        maxListRemovals: config.max_list_removals,
      },
      fire,
      hooks.raw === true,
    );
    const share = config.daily_budget_share;
    this.budget =
      share === undefined || hooks.planning
        ? undefined
        : new DailyBudget({
            share,
            room: hooks.maxConcurrent,
            raw: hooks.raw === true,
            stop: (message) => {
              this.firedMessage ??= message;
              if (hooks.stopCleanly) hooks.stopCleanly(message);
              else fire(new ConfigError(message));
            },
          });
  }

  /**
   * `expected_portal_id`: throws its ConfigError when the credentials belong to another portal, and names it as
   * the guard that fired (the receipt's `guards.fired`).
   */
  async checkPortal(known: number | undefined, readPortal: () => Promise<number>): Promise<void> {
    try {
      await checkPortal(this.config.expected_portal_id, known, readPortal);
    } catch (error) {
      if (error instanceof ConfigError) this.firedMessage ??= error.message;
      throw error;
    }
  }

  /** The sender with the caps around it. */
  wrapSender(send: BatchSender): BatchSender {
    return this.caps.wrap(send);
  }

  /** The governor's gate with the guards on it (see `guardGate`) and the daily budget counting its requests. */
  watchGate(gate: RequestGate): RequestGate {
    return this.guardGate(this.budget ? this.budget.watch(gate) : gate);
  }

  /**
   * A gate no request passes after a halt, so nothing more goes out, also of the batches already waiting for a
   * slot. With a cap judged from HubSpot's answers (`max_creates`), a request waits one turn of the event loop once
   * admitted: the answer before it is then counted (its handling runs on promise callbacks, all run before a
   * timer's), so a cap that answer trips stops this request.
   */
  guardGate(gate: RequestGate): RequestGate {
    return {
      acquire: async (signal) => {
        if (this.halt.aborted) throw this.halt.reason;
        const release = await gate.acquire(signal);
        if (this.caps.countsAnswers) await new Promise((resolve) => setImmediate(resolve));
        if (this.halt.aborted) {
          release?.();
          throw this.halt.reason;
        }
        return release;
      },
      observe: (status, headers) => gate.observe(status, headers),
    };
  }

  /** `max_reject_ratio`: called whenever a record is read or rejected, with the run's running counts. */
  checkRejects(counts: { read: number; rejected: number }): void {
    const ratio = this.config.max_reject_ratio;
    if (ratio === undefined || this.halt.aborted || this.hooks.planning) return;
    if (!sharePassed(ratio, counts, this.config.min_records, false)) return;
    const percent = Math.round((counts.rejected / counts.read) * 1000) / 10;
    const error = new ConfigError(
      `Guard max_reject_ratio (${ratio}) fired: ${counts.rejected} of the ${counts.read} records read were ` +
        `rejected (${percent} %), more than the share the config allows (judged from ${this.config.min_records} ` +
        `records on). ${haltedTail(this.hooks.raw === true)}; fix the mapping or the input.`,
    );
    this.firedMessage ??= error.message;
    this.controller.abort(error);
  }

  /** Once the setup reads are answered: says when the daily budget cannot be enforced. */
  afterSetup(): void {
    if (this.budget && this.budget.dailyLimit === undefined) {
      this.hooks.log(
        "WARN",
        "guards.daily_budget_share is not enforced in this run: HubSpot's answers carry no daily limit " +
          "(X-HubSpot-RateLimit-Daily; OAuth apps get none).",
      );
    }
  }

  /** The message of the guard that fired (halted or stopped the run), if one did. */
  get fired(): string | undefined {
    return this.firedMessage;
  }

  report(): GuardsReport {
    const set = Object.fromEntries(
      Object.entries(this.config).filter(
        ([name, value]) => value !== undefined && (name !== "min_records" || this.config.max_reject_ratio),
      ),
    ) as Partial<GuardsConfigType>;
    return { set, fired: this.firedMessage };
  }
}
