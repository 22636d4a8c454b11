import { describe, expect, it } from "vitest";
import { describePlanSummary } from "../../../src/dry-run/summary.js";

/** A plan summary as buildPlanSummary makes it, with `count` of everything. */
const summaryOf = (count: number) => ({
  stopped_by: null,
  records: { read: count, verdicts: { create: count } },
  streams: [
    {
      stream: "people",
      object: "CONTACT",
      mode: "upsert",
      verdicts: { create: count },
      actions: {},
      rejected_by_code: {},
      write_requests: { batches: count, requests: count },
    },
  ],
  write_requests: { total: count, setup: count, batches: count, isolation: "" },
  properties_to_create: [],
  guards: [],
  cannot_know: [],
  notes: [],
});

describe("describePlanSummary", () => {
  it("says a count of one in the singular", () => {
    const text = describePlanSummary(summaryOf(1), "plan.jsonl").join("\n");
    expect(text).toContain("read 1 record: create 1.");
    expect(text).toContain("the write would send 1 batch.");
    expect(text).toContain("about 1 HubSpot request: 1 setup read and 1 for the batches");
    expect(text).not.toMatch(/\b1 (records|batches|HubSpot requests|setup reads)\b/);
  });

  it("says other counts in the plural", () => {
    const text = describePlanSummary(summaryOf(2), "plan.jsonl").join("\n");
    expect(text).toContain("read 2 records: create 2.");
    expect(text).toContain("the write would send 2 batches.");
    expect(text).toContain("about 2 HubSpot requests: 2 setup reads and 2 for the batches");
  });
});
