/**
 * A rejects store that is still being opened: S3's client (the AWS SDK) takes about half a second to load, which
 * would otherwise delay the first HubSpot request of every run with S3 configured. The store opens while the run
 * sets up; records added meanwhile wait here in order and go to it once it is open, and a flush or close waits for
 * it. A store that cannot be opened fails the first flush, so no STATE past a rejected record is echoed.
 */
import type { RejectedRecord } from "./rejected-record.js";
import { countCode, type RejectsSink } from "./sink.js";

export class PendingSink implements RejectsSink {
  readonly countsByCode = new Map<string, number>();
  private store: RejectsSink | undefined;
  private waiting: { record: RejectedRecord; onDurable: () => void }[] = [];
  private readonly opened: Promise<RejectsSink>;

  constructor(
    readonly location: string,
    open: () => Promise<RejectsSink>,
  ) {
    this.opened = open().then((store) => {
      this.store = store;
      for (const { record, onDurable } of this.waiting) store.add(record, onDurable);
      this.waiting = [];
      return store;
    });
    // Reported by the flush or close that waits for it, not as an unhandled rejection meanwhile.
    this.opened.catch(() => undefined);
  }

  add(record: RejectedRecord, onDurable: () => void): void {
    countCode(this.countsByCode, record.rejection.code);
    if (this.store) this.store.add(record, onDurable);
    else this.waiting.push({ record, onDurable });
  }

  async flush(): Promise<void> {
    await (await this.opened).flush();
  }

  async close(): Promise<void> {
    await (await this.opened).close();
  }
}
