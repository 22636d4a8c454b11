/**
 * Every HTTP exchange with HubSpot, counted by status and by endpoint, with its latency, for the progress line, the
 * closing summary and the run receipt. Each client counts into its own tally (`createHubSpotClient` makes one);
 * a transport given none counts into the process-wide one.
 */
import { LatencyHistogram } from "../latency.js";

/** The status key under which requests that got no answer (timeouts, resets) are counted per endpoint. */
export const NO_ANSWER = "none";

export class RequestTally {
  /** Requests sent (each attempt of a retried request counts). */
  sent = 0;
  /** Sent requests that got no answer (timeouts, resets, refused connections). */
  unanswered = 0;
  readonly byStatus = new Map<number, number>();
  /** Endpoint (`POST /crm/objects/2026-09/0-1/batch/upsert`) → status (or NO_ANSWER) → requests. */
  readonly byEndpoint = new Map<string, Map<string, number>>();
  /** From sending a request to its answer's headers, for answered requests. */
  readonly latency = new LatencyHistogram();

  answered(status: number, endpoint?: string, latencyMs?: number): void {
    this.sent += 1;
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    if (endpoint !== undefined) this.countEndpoint(endpoint, String(status));
    if (latencyMs !== undefined) this.latency.record(latencyMs);
  }

  failed(endpoint?: string): void {
    this.sent += 1;
    this.unanswered += 1;
    if (endpoint !== undefined) this.countEndpoint(endpoint, NO_ANSWER);
  }

  /** Answers with this status so far. */
  count(status: number): number {
    return this.byStatus.get(status) ?? 0;
  }

  private countEndpoint(endpoint: string, status: string): void {
    let statuses = this.byEndpoint.get(endpoint);
    if (!statuses) {
      statuses = new Map();
      this.byEndpoint.set(endpoint, statuses);
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
}

/** The tally every transport counts into when it is not given its own. */
export const PROCESS_REQUESTS = new RequestTally();

/** A path segment kept as it is: a word (`contacts`, `batch`, `v3`), an object type id (`2-1234`), a date version. */
const KEPT_SEGMENT = /^(?:[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*|\d+-\d+|\d{4}-\d{2})$/;

/**
 * The endpoint a request went to, for counting: the method and the (already redacted, query-free) path with each
 * segment that names one record, list or key (`1000001`, `a%40x.co`) replaced by `{id}`, so requests group by
 * what they did and no record's key is kept.
 */
export function endpointOf(method: string, path: string): string {
  const segments = path
    .split("/")
    .map((segment) => (segment === "" || KEPT_SEGMENT.test(segment) ? segment : "{id}"));
  return `${method} ${segments.join("/")}`;
}
