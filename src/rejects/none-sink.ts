/**
 * `storage_type: None`: rejected records are counted and their reasons logged (the first few of each code), but
 * their data is not kept anywhere. The README says so; users who need the records configure S3.
 */
import type { RejectedRecord } from "./rejected-record.js";
import { countCode, type RejectsSink } from "./sink.js";

/** Per code, how many rejections are logged one by one before only the count goes on. */
export const LOGGED_REJECTIONS_PER_CODE = 5;

export class NoneSink implements RejectsSink {
  readonly location = "not stored (object_storage_config is None: they are only counted and logged)";
  readonly countsByCode = new Map<string, number>();

  constructor(private readonly warn: (message: string) => void) {}

  add(record: RejectedRecord, onDurable: () => void): void {
    countCode(this.countsByCode, record.rejection.code);
    if ((this.countsByCode.get(record.rejection.code) ?? 0) <= LOGGED_REJECTIONS_PER_CODE) {
      const where = record.lineNumber ? ` (input line ${record.lineNumber})` : "";
      const field = record.rejection.field ? ` field ${record.rejection.field}:` : "";
      this.warn(
        `Rejected a record of stream ${record.stream}${where}: ${record.rejection.code}${field} ${record.rejection.message}`,
      );
    }
    onDurable();
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
