/**
 * `--max-rejects N` or `--max-rejects 5%`: how many rejected records a run may have before it stops early.
 * A count stops the run at the (N+1)th rejected record. A share is judged once MIN_RECORDS_FOR_SHARE records
 * were read (one bad record among the first three is no trend), and at the end of input for smaller runs.
 */
import { sharePassed } from "./reject-ratio.js";
import { RunStats } from "../load/run-stats.js";
import { UsageError } from "../errors.js";

/** Records read before a share limit is judged during the run. @default 100 */
export const MIN_RECORDS_FOR_SHARE = 100;

export type RejectLimit =
  | { kind: "count"; max: number; text: string }
  | { kind: "share"; share: number; text: string };

export function parseMaxRejects(text: string): RejectLimit {
  const trimmed = text.trim();
  const share = /^(\d+(?:\.\d+)?)%$/.exec(trimmed);
  if (share) {
    const percent = Number(share[1]);
    if (percent <= 100) return { kind: "share", share: percent / 100, text: trimmed };
  } else if (/^\d+$/.test(trimmed)) {
    return { kind: "count", max: Number(trimmed), text: trimmed };
  }
  throw new UsageError(
    `--max-rejects takes a number of records (10) or a percentage of those read (5%), not ${JSON.stringify(text)}.`,
  );
}

/** The message saying the limit was passed, or undefined while it holds. `ended`: the input is all read. */
export function rejectLimitPassed(
  limit: RejectLimit,
  counts: { read: number; rejected: number },
  ended: boolean,
): string | undefined {
  const { read, rejected } = counts;
  if (limit.kind === "count") {
    if (rejected <= limit.max) return undefined;
    return `More than ${limit.max} records were rejected (${rejected} of ${read} read), the limit set by --max-rejects ${limit.text}.`;
  }
  if (!sharePassed(limit.share, counts, MIN_RECORDS_FOR_SHARE, ended)) return undefined;
  return `More than ${limit.text} of the records were rejected (${rejected} of ${read} read), the limit set by --max-rejects ${limit.text}.`;
}

/**
 * RunStats that also keep running totals of read and rejected records and say when a record is rejected (and,
 * when asked, when one is read).
 */
export class WatchedStats extends RunStats {
  readCount = 0;
  rejectedCount = 0;

  constructor(
    private readonly onRejected: () => void,
    private readonly onRead?: () => void,
  ) {
    super();
  }

  override read(stream: string): void {
    super.read(stream);
    this.readCount += 1;
    this.onRead?.();
  }

  override rejected(stream: string, code: string): void {
    super.rejected(stream, code);
    this.rejectedCount += 1;
    this.onRejected();
  }
}
