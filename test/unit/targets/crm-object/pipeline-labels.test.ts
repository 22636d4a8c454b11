import { describe, expect, it } from "vitest";
import type { RecordMapper } from "../../../../src/contract.js";
import type { Pipeline } from "../../../../src/hubspot/types.js";
import { withPipelineLabels } from "../../../../src/targets/crm-object/pipeline-labels.js";

const PIPELINES: Pipeline[] = [
  {
    id: "default",
    label: "Sales Pipeline",
    stages: [
      { id: "appointmentscheduled", label: "Appointment Scheduled" },
      { id: "closedwon", label: "Closed Won" },
    ],
  },
  {
    id: "renewals",
    label: "Renewals",
    stages: [
      { id: "r-open", label: "Open" },
      { id: "r-won", label: "Closed Won" },
    ],
  },
  { id: "old", label: "Old", archived: true, stages: [{ id: "o-1", label: "Legacy" }] },
];

/** A mapper that answers the data it was given as its properties, so the test sees what the wrapper passed on. */
const echo: RecordMapper = {
  map: (data) => ({ ok: true, id: "k", properties: data as Record<string, string> }),
};
const mapper = withPipelineLabels(echo, "DEAL", { pipeline: "pipeline", stage: "dealstage" }, PIPELINES);

describe("pipelines and stages by label", () => {
  it.each([
    [
      "ids stay ids",
      { pipeline: "default", dealstage: "closedwon" },
      { pipeline: "default", dealstage: "closedwon" },
    ],
    [
      "labels in any case",
      { pipeline: " sales pipeline", dealstage: "CLOSED WON" },
      { pipeline: "default", dealstage: "closedwon" },
    ],
    [
      "a stage label within the record's pipeline",
      { pipeline: "Renewals", dealstage: "closed won" },
      { pipeline: "renewals", dealstage: "r-won" },
    ],
    ["a stage label only one pipeline has", { dealstage: "open" }, { dealstage: "r-open" }],
    ["a stage id without a pipeline", { dealstage: "r-won" }, { dealstage: "r-won" }],
    ["neither given", { dealname: "x" }, { dealname: "x" }],
  ])("%s", (_name, data, properties) => {
    expect(mapper.map(data)).toEqual({ ok: true, id: "k", properties });
  });

  it.each([
    [
      "an unknown pipeline",
      { pipeline: "Nope" },
      "pipeline",
      /"Nope" is not a pipeline of DEAL.*"Sales Pipeline" \(default\), "Renewals" \(renewals\)/,
    ],
    ["an archived pipeline", { pipeline: "Old" }, "pipeline", /not a pipeline/],
    [
      "a stage of another pipeline",
      { pipeline: "default", dealstage: "r-open" },
      "dealstage",
      /not a stage of pipeline "Sales Pipeline" \(default\).*"Closed Won" \(closedwon\)/,
    ],
    [
      "a label two pipelines share, no pipeline given",
      { dealstage: "Closed Won" },
      "dealstage",
      /several DEAL pipelines.*give the record's pipeline/,
    ],
    ["an unknown stage", { dealstage: "Lost" }, "dealstage", /not a stage of any DEAL pipeline/],
  ])("refuses %s as INVALID_OPTION naming the field", (_name, data, field, message) => {
    const mapped = mapper.map(data);
    expect(mapped.ok).toBe(false);
    if (mapped.ok) return;
    expect(mapped.rejection).toMatchObject({ code: "INVALID_OPTION", field });
    expect(mapped.rejection.message).toMatch(message);
  });

  it("leaves the record's data as the source sent it", () => {
    const data = { pipeline: "Sales Pipeline", dealstage: "Closed Won" };
    mapper.map(data);
    expect(data).toEqual({ pipeline: "Sales Pipeline", dealstage: "Closed Won" });
  });
});
