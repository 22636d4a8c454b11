/**
 * Collects items into batches of at most `maxItems` and hands each batch to `send`: at once when it is full; when
 * no batch of the queue is in flight, at the end of the current turn (so the items a turn adds go together); else
 * once the batch in flight is done, or after `lingerMs` from the first item, or when asked to (`flush`). So a
 * queue idles with nothing waiting, and under load its batches grow to what arrives during one round trip:
 * records wait no longer than they must (they hold the run's bound on unsettled records), and requests stay few.
 * How many requests really run at once is the HubSpot client's rate governor's business. `send` settles each item
 * itself; if it throws, the failure is the run's (`fail`) and nothing more is sent.
 */
export interface BatchQueueOptions<T> {
  maxItems: number;
  lingerMs: number;
  send: (items: T[]) => Promise<void>;
  fail: (error: unknown) => void;
}

export class BatchQueue<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lingerMs: number;
  /** Batches handed to `send` and not yet done. */
  inFlight = 0;

  constructor(private readonly options: BatchQueueOptions<T>) {
    this.lingerMs = options.lingerMs;
  }

  /** Items waiting for their batch to be sent. */
  get queued(): number {
    return this.items.length;
  }

  add(item: T): void {
    if (this.stopped) return;
    this.items.push(item);
    if (this.items.length >= this.options.maxItems) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.inFlight === 0 ? 0 : this.lingerMs);
  }

  /** Sends everything queued now, in batches of at most `maxItems`. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.items.length > 0 && !this.stopped) {
      const batch = this.items.splice(0, this.options.maxItems);
      this.inFlight += 1;
      this.options
        .send(batch)
        .catch((error: unknown) => {
          this.stop();
          this.options.fail(error);
        })
        .finally(() => {
          this.inFlight -= 1;
          if (this.inFlight === 0 && this.items.length > 0) this.flush();
        });
    }
  }

  /** From now on a partly filled batch waits at most `lingerMs` (0 at the end of input: just this turn). */
  setLinger(lingerMs: number): void {
    this.lingerMs = lingerMs;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.flush(), lingerMs);
    }
  }

  /** Drops what is queued and sends nothing more (a fatal failure or a stop); batches in flight finish. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.items = [];
  }
}
