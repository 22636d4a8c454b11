/**
 * Writes the plan file: one JSON line per input record, with the verdict a write would reach for it, and the
 * summary last. It is the plan's rejects store (a record a write would reject gets a `reject` line with the same
 * code, field and message) and its last stage (every record a write would write gets its verdict line), so every
 * record the pipeline settles has exactly one line. A record is settled once its line is in the file, so the
 * pipeline's own bound on unsettled records bounds the lines held in memory.
 *
 * Verdicts: `create` (with the values it would set), `update` (each property that would change, old → new),
 * `unchanged`, `archive`, `absent` (already absent), `send` (an event), `add` / `remove` (a list member joining or
 * leaving; one already in, or not in, is `unchanged`), and `reject`. A record's `actions` are what else the write
 * would do for it, in order: `link` / `unlink` (associations), `create` (a list member's record, created first).
 * A record a stage rejects after its own write (a link's target not found) keeps, on its `reject` line, its key,
 * its `create` or `update` (with its changes) as its first action, and the links made.
 * Lines of their own (a sweep's `remove`) have no input line. Each stream's tally counts verdicts and actions.
 */
import type {
  PlanDetail,
  PlanLine,
  PlannedAction,
  RecordStage,
  StageRecord,
  StageVerdict,
  WriteEffect,
  WriteTarget,
} from "../contract.js";
import type { Property } from "../hubspot/types.js";
import { streamKey, UNATTRIBUTED } from "../protocol/stream-key.js";
import type { LineFile } from "../rejects/line-file.js";
import type { RejectedRecord } from "../rejects/rejected-record.js";
import { countCode, type RejectsSink } from "../rejects/sink.js";
import { changesOf, type PropertyChange } from "./compare.js";

/** A stream's verdicts and actions so far. */
export interface PlanTally {
  verdicts: Map<string, number>;
  rejectedByCode: Map<string, number>;
  /** The actions of its records' lines (`link`, `unlink`, `create`), by verdict. */
  actions: Map<string, number>;
}

/** The verdict of each effect a planner answers; a write's receipt counts the same effects. */
export const VERDICT_OF_EFFECT: Readonly<Record<WriteEffect, string>> = {
  created: "create",
  updated: "update",
  archived: "archive",
  absent: "absent",
  sent: "send",
  added: "add",
  "already-member": "unchanged",
  removed: "remove",
  "not-member": "unchanged",
};

export class PlanRecorder implements RecordStage, RejectsSink {
  readonly countsByCode = new Map<string, number>();
  /** Per stream key (UNATTRIBUTED for lines outside any stream). */
  readonly tallies = new Map<string, PlanTally>();
  pending = 0;
  /**
   * Records a stage rejected after their own write, by stream key and line, until their reject line is written:
   * that line keeps what the write did for them (see `rememberWrite`).
   */
  private readonly rejectedWrites = new Map<
    string,
    { record: StageRecord; detail: PlanDetail | undefined }
  >();

  constructor(
    private readonly file: LineFile,
    private readonly definitions: (target: WriteTarget) => ReadonlyMap<string, Property>,
    /** Raw pipe mode: the one stream's key, which lines that could not be read belong to (as in RunStats). */
    private readonly rawStreamKey?: string,
  ) {}

  get location(): string {
    return this.file.location;
  }

  // As the last stage: every written record's verdict.
  wants(): boolean {
    return true;
  }

  take(record: StageRecord, settle: (verdict: StageVerdict) => void): void {
    this.recordWritten(record, record.effect, record.detail, () =>
      settle({ status: "written", effect: record.effect }),
    );
  }

  async finish(): Promise<void> {}

  /** The line of a record some stage planner settled as written (see `wrapStagePlanner`). */
  recordWritten(
    record: StageRecord,
    effect: WriteEffect | undefined,
    detail: PlanDetail | undefined,
    done: () => void,
  ): void {
    const { target } = record;
    const { verdict, changes } = this.ownWrite(record, effect, detail);
    const line = {
      line: record.lineNumber,
      ...where(target),
      key: record.key,
      verdict,
      ...(detail?.mergedInto === undefined ? {} : { merged_into: detail.mergedInto }),
      ...(changes && verdict !== "unchanged" ? { changes } : {}),
      ...(detail?.verdicts?.length ? { actions: detail.verdicts } : {}),
    };
    const tally = this.count(target.key, verdict);
    for (const action of detail?.verdicts ?? []) countCode(tally.actions, action.verdict);
    this.write(line, done);
  }

  /** The verdict of a record's own write, and the values it would change (CRM records). */
  private ownWrite(
    record: StageRecord,
    effect: WriteEffect | undefined,
    detail: PlanDetail | undefined,
  ): { verdict: string; changes: Record<string, PropertyChange> | undefined } {
    const { target } = record;
    let verdict = effect ? VERDICT_OF_EFFECT[effect] : "write";
    let changes: Record<string, PropertyChange> | undefined;
    // Created, or updated with its values read: a CRM record (memberships and events have no values read).
    if (effect === "created" || (effect === "updated" && detail?.current)) {
      changes = changesOf(
        record.properties,
        effect === "created" ? undefined : detail?.current,
        this.definitions(target),
      );
      if (effect === "updated" && Object.keys(changes).length === 0) verdict = "unchanged";
    }
    return { verdict, changes };
  }

  /**
   * A record some stage planner rejected after its own write (a link's target not found): the write would still
   * have written it, and made the links it could. Its reject line, next, says so.
   */
  rememberWrite(record: StageRecord, detail: PlanDetail | undefined): void {
    this.rejectedWrites.set(`${record.target.key}\u0000${record.lineNumber}`, { record, detail });
  }

  /** The key, changes and actions of a reject line whose record's own write came first (`rememberWrite`). */
  private writeBefore(key: string, lineNumber: number | undefined): Record<string, unknown> {
    const entry = this.rejectedWrites.get(`${key}\u0000${lineNumber}`);
    if (!entry) return {};
    this.rejectedWrites.delete(`${key}\u0000${lineNumber}`);
    const { record, detail } = entry;
    const { verdict, changes } = this.ownWrite(record, record.effect, detail);
    const own =
      verdict === "create" || verdict === "update"
        ? [{ verdict, about: `${record.target.objectName} ${record.key}` }]
        : [];
    const actions = [...own, ...(detail?.verdicts ?? [])];
    return {
      key: record.key,
      ...(changes && own.length > 0 ? { changes } : {}),
      ...(actions.length > 0 ? { actions } : {}),
    };
  }

  // As the rejects store: a record the write would reject.
  add(record: RejectedRecord, onDurable: () => void): void {
    countCode(this.countsByCode, record.rejection.code);
    // Lines that reached no stream (they name no object) count where the pipeline's stats count them.
    const key =
      record.objectName === undefined
        ? (this.rawStreamKey ?? UNATTRIBUTED)
        : streamKey(record.stream, record.namespace);
    const tally = this.count(key, "reject");
    countCode(tally.rejectedByCode, record.rejection.code);
    const { code, field, message } = record.rejection;
    const written = this.writeBefore(key, record.lineNumber);
    for (const action of (written.actions as PlannedAction[] | undefined) ?? [])
      countCode(tally.actions, action.verdict);
    this.write(
      {
        line: record.lineNumber ?? null,
        stream: record.stream,
        namespace: record.namespace ?? null,
        object: record.objectName ?? null,
        verdict: "reject",
        code,
        field: field ?? null,
        message,
        ...written,
      },
      onDurable,
    );
  }

  /** A planner's line of its own (a sweep's removal). */
  addLine(line: PlanLine): void {
    this.count(line.target.key, line.verdict);
    this.write(
      {
        line: null,
        ...where(line.target),
        key: line.key ?? null,
        verdict: line.verdict,
        about: line.about ?? null,
      },
      () => undefined,
    );
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  /** Nothing to do as a rejects store: the file is closed by `complete`, after the summary. */
  async close(): Promise<void> {
    await this.file.flush();
  }

  /** Writes the summary as the last line and closes the file. */
  async complete(summary: unknown): Promise<void> {
    this.write({ summary }, () => undefined);
    await this.file.close();
  }

  private write(line: unknown, done: () => void): void {
    this.pending += 1;
    this.file.add(`${JSON.stringify(line)}\n`, () => {
      this.pending -= 1;
      done();
    });
  }

  private count(key: string, verdict: string): PlanTally {
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = { verdicts: new Map(), rejectedByCode: new Map(), actions: new Map() };
      this.tallies.set(key, tally);
    }
    tally.verdicts.set(verdict, (tally.verdicts.get(verdict) ?? 0) + 1);
    return tally;
  }
}

const where = (target: WriteTarget) => ({
  stream: target.streamName,
  namespace: target.namespace ?? null,
  object: target.objectName,
});

/**
 * A stage's planner, wrapped so that each record it settles as written also gets its plan line (with the
 * verdicts the planner added) before the pipeline hears of it.
 */
export function wrapStagePlanner(planner: RecordStage, recorder: PlanRecorder): RecordStage {
  return {
    ...(planner.start ? { start: (hooks) => planner.start?.(hooks) } : {}),
    ...(planner.observe ? { observe: (target, key, id) => planner.observe?.(target, key, id) } : {}),
    ...(planner.streamStatus
      ? { streamStatus: (stream, status) => planner.streamStatus?.(stream, status) }
      : {}),
    ...(planner.relieve ? { relieve: () => planner.relieve?.() } : {}),
    ...(planner.lost ? { lost: (stream) => planner.lost?.(stream) } : {}),
    wants: (target) => planner.wants(target),
    take(record, settle) {
      planner.take(record, (verdict) => {
        if (verdict.status !== "written") {
          recorder.rememberWrite(record, verdict.detail);
          return settle(verdict);
        }
        recorder.recordWritten(record, verdict.effect, verdict.detail, () => settle(verdict));
      });
    },
    finish: () => planner.finish(),
    get pending() {
      return planner.pending;
    },
  };
}
