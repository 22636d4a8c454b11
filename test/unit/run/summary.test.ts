import { describe, expect, it } from "vitest";
import { logClosing, rawSummary, type WriteReport } from "../../../src/run/summary.js";
import { counted } from "../../../src/counted.js";
import { RequestTally } from "../../../src/hubspot/request-tally.js";
import { RunStats } from "../../../src/load/run-stats.js";

/** A run that read `read` records of one stream, rejected one, echoed `states` STATEs and made `requests`. */
function report(read: number, states: number, requests: number): WriteReport {
  const stats = new RunStats();
  for (let index = 0; index < read; index += 1) stats.read("people");
  stats.rejected("people", "INVALID_EMAIL");
  for (let index = 1; index < read; index += 1) stats.written("people", "created");
  stats.statesEmitted = states;
  const tally = new RequestTally();
  for (let index = 0; index < requests; index += 1) tally.answered(200);
  return {
    stats,
    unsettled: 0,
    location: "not stored",
    discarding: true,
    requests: tally,
    stoppedBy: undefined,
  };
}

function closingLines(of: WriteReport): string[] {
  const lines: string[] = [];
  logClosing(of, (_level, message) => lines.push(message), false);
  return lines;
}

describe("the closing summary", () => {
  it("says one of a thing in the singular: 1 record, 1 rejected record, 1 state, 1 request", () => {
    const one = report(1, 1, 1);
    expect(rawSummary(one)).toContain("Done. Read 1 record: written 0, rejected 1.");
    expect(rawSummary(one)).toContain("1 rejected record was not kept anywhere");
    expect(closingLines(one).join("\n")).toContain(", 1 state echoed, 1 HubSpot request.");
  });

  it("and more than one in the plural", () => {
    const two = report(3, 2, 0);
    expect(rawSummary(two)).toContain("Done. Read 3 records: written 2 (created 2, updated 0), rejected 1.");
    expect(closingLines(two).join("\n")).toContain(", 2 states echoed, 0 HubSpot requests.");
  });

  it("counts nouns with their own plural", () => {
    expect(counted(1, "retry", "retries")).toBe("1 retry");
    expect(counted(0, "retry", "retries")).toBe("0 retries");
    expect(counted(2, "record")).toBe("2 records");
  });
});
