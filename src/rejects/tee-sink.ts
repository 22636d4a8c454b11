/**
 * Rejected records going to two stores at once (S3 and a local `--rejects` file): each record is durable only
 * when both have stored it, and a failure of either fails the sink.
 */
import type { RejectedRecord } from "./rejected-record.js";
import type { RejectsSink } from "./sink.js";

export class TeeSink implements RejectsSink {
  readonly location: string;

  constructor(
    private readonly first: RejectsSink,
    private readonly second: RejectsSink,
  ) {
    this.location = `${first.location} and ${second.location}`;
  }

  get countsByCode(): ReadonlyMap<string, number> {
    return this.first.countsByCode;
  }

  add(record: RejectedRecord, onDurable: () => void): void {
    let waiting = 2;
    const stored = () => {
      waiting -= 1;
      if (waiting === 0) onDurable();
    };
    this.first.add(record, stored);
    this.second.add(record, stored);
  }

  async flush(): Promise<void> {
    await Promise.all([this.first.flush(), this.second.flush()]);
  }

  async close(): Promise<void> {
    await Promise.all([this.first.close(), this.second.close()]);
  }
}
