/**
 * Every HTTP exchange with HubSpot, counted by status, for the progress line and the closing summary. One run is
 * one process, so the transport counts into one process-wide tally unless it is given its own.
 */
export class RequestTally {
  /** Requests sent (each attempt of a retried request counts). */
  sent = 0;
  /** Sent requests that got no answer (timeouts, resets, refused connections). */
  unanswered = 0;
  readonly byStatus = new Map<number, number>();

  answered(status: number): void {
    this.sent += 1;
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  failed(): void {
    this.sent += 1;
    this.unanswered += 1;
  }

  /** Answers with this status so far. */
  count(status: number): number {
    return this.byStatus.get(status) ?? 0;
  }
}

/** The tally every transport counts into when it is not given its own. */
export const PROCESS_REQUESTS = new RequestTally();
