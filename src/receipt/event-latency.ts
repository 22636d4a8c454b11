/**
 * How long events take from stdin to HubSpot's acknowledgement, for the run receipt, in bounded memory.
 *
 * 1. `stamp` wraps the input lines: each line's read time goes into a fixed ring indexed by its line number
 *    (with the line number beside it, so a slot reused by a later line is never mistaken for an earlier one).
 * 2. As a stage wanting the streams it `measure`s (custom events), it is handed each one once HubSpot acknowledged its batch, records
 *    now − read time in a histogram, and settles it as written at once. An event whose slot was reused (more than
 *    RING_SIZE lines were read while it was in flight) is not measured.
 */
import type { RecordStage, StageRecord, StageVerdict, WriteTarget } from "../contract.js";
import { LatencyHistogram } from "../latency.js";
import type { InputLine } from "../protocol/reader.js";

/** Lines whose read time is kept: far more than the pipeline lets be in flight. */
export const RING_SIZE = 1 << 16;

export class EventLatency implements RecordStage {
  readonly histogram = new LatencyHistogram();
  readonly pending = 0;
  private readonly readAt = new Float64Array(RING_SIZE);
  private readonly lineAt = new Float64Array(RING_SIZE).fill(-1);
  private readonly timed = new Set<string>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The lines, each stamped with the time it was read. */
  async *stamp(lines: AsyncIterable<InputLine>): AsyncGenerator<InputLine> {
    for await (const line of lines) {
      const slot = line.lineNumber % RING_SIZE;
      this.readAt[slot] = this.now();
      this.lineAt[slot] = line.lineNumber;
      yield line;
    }
  }

  /** Times the records of this stream (a route its kind marks `timed`: custom events). */
  measure(streamKey: string): void {
    this.timed.add(streamKey);
  }

  /** Whether any stream's records are timed: only then are the lines stamped. */
  get measuring(): boolean {
    return this.timed.size > 0;
  }

  wants(target: WriteTarget): boolean {
    return this.timed.has(target.key);
  }

  take(record: StageRecord, settle: (verdict: StageVerdict) => void): void {
    const slot = record.lineNumber % RING_SIZE;
    if (this.lineAt[slot] === record.lineNumber)
      this.histogram.record(this.now() - (this.readAt[slot] as number));
    settle({ status: "written", effect: record.effect });
  }

  async finish(): Promise<void> {}
}
