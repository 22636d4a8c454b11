/**
 * Deal and ticket pipelines over HTTP: the seeded ones read through the pipelines API on every version, more from
 * the `pipelines` option, the records' pipeline properties listing them as options, and stages checked against their
 * pipeline on every write as HubSpot does.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PRIVATE_APP_TOKEN } from "../../src/sandbox/server.js";
import { type Sandbox, startSandbox } from "../support/sandbox.js";
import { batch, call, tokenWithout, VERSIONS } from "./helpers.js";

let sandbox: Sandbox;

const RENEWALS = {
  objectType: "deals" as const,
  id: "renewals",
  label: "Renewals",
  stages: [
    { id: "renewal_due", label: "Renewal due", metadata: { probability: "0.5", isClosed: "false" } },
    { id: "renewed", label: "Renewed", metadata: { probability: "1.0", isClosed: "true" } },
  ],
};

beforeEach(async () => {
  sandbox = await startSandbox({ pipelines: [RENEWALS] });
});
afterEach(async () => {
  await sandbox.close();
});

const pipelinesPath = (version: (typeof VERSIONS)[number], objectType: string) =>
  version === "legacy" ? `/crm/v3/pipelines/${objectType}` : `/crm/pipelines/${version}/${objectType}`;

describe.each(VERSIONS)("pipelines at version %s", (version) => {
  it("lists the deal pipelines in display order, HubSpot's default first with its seven stages", async () => {
    const answer = await call(sandbox, "GET", pipelinesPath(version, "deals"));
    expect(answer.status).toBe(200);
    const [sales, renewals] = answer.body.results as Array<{
      id: string;
      label: string;
      stages: Array<{ id: string; label: string }>;
    }>;
    expect(sales).toMatchObject({ id: "default", label: "Sales Pipeline", displayOrder: 0, archived: false });
    expect(sales?.stages.map((stage) => stage.id)).toEqual([
      "appointmentscheduled",
      "qualifiedtobuy",
      "presentationscheduled",
      "decisionmakerboughtin",
      "contractsent",
      "closedwon",
      "closedlost",
    ]);
    expect(sales?.stages[5]).toMatchObject({
      label: "Closed Won",
      metadata: { probability: "1.0", isClosed: "true" },
    });
    expect(renewals?.stages.map((stage) => stage.label)).toEqual(["Renewal due", "Renewed"]);
  });

  it("reads the ticket pipeline, its stages and one stage, by name or type id", async () => {
    const base = pipelinesPath(version, "0-5");
    const pipeline = await call(sandbox, "GET", `${base}/0`);
    expect(pipeline.body).toMatchObject({ id: "0", label: "Support Pipeline" });
    const stages = await call(sandbox, "GET", `${pipelinesPath(version, "tickets")}/0/stages`);
    expect((stages.body.results as Array<{ label: string }>).map((stage) => stage.label)).toEqual([
      "New",
      "Waiting on contact",
      "Waiting on us",
      "Closed",
    ]);
    const closed = await call(sandbox, "GET", `${base}/0/stages/4`);
    expect(closed.body).toMatchObject({ id: "4", label: "Closed", metadata: { ticketState: "CLOSED" } });
    expect((await call(sandbox, "GET", `${base}/7`)).status).toBe(404);
    expect((await call(sandbox, "GET", `${base}/0/stages/9`)).status).toBe(404);
  });

  it("answers 501 for objects whose pipelines it does not keep, and for pipeline writes", async () => {
    expect((await call(sandbox, "GET", pipelinesPath(version, "contacts"))).status).toBe(501);
    const created = await call(sandbox, "POST", pipelinesPath(version, "deals"), {
      label: "New",
      displayOrder: 3,
      stages: [],
    });
    expect(created.status).toBe(501);
    expect((await call(sandbox, "GET", `${pipelinesPath(version, "deals")}/default/audit`)).status).toBe(501);
  });
});

describe("pipeline values on writes", () => {
  const deal = (properties: Record<string, string>) =>
    call(sandbox, "POST", "/crm/v3/objects/deals", { properties: { dealname: "D", ...properties } });

  it("lists the pipelines and every stage as the options of the pipeline properties", async () => {
    const pipeline = await call(sandbox, "GET", "/crm/v3/properties/deals/pipeline");
    expect(pipeline.body.options).toEqual([
      expect.objectContaining({ value: "default", label: "Sales Pipeline" }),
      expect.objectContaining({ value: "renewals", label: "Renewals" }),
    ]);
    const stage = await call(sandbox, "GET", "/crm/v3/properties/tickets/hs_pipeline_stage");
    expect((stage.body.options as Array<{ value: string }>).map((option) => option.value)).toEqual([
      "1",
      "2",
      "3",
      "4",
    ]);
  });

  it("refuses a stage of another pipeline with HubSpot's INVALID_OPTION, listing the pipeline's stages", async () => {
    const answer = await deal({ pipeline: "default", dealstage: "renewed" });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        message:
          "renewed is not a valid pipeline stage ID. Valid options are: pipelineId=default : [appointmentscheduled, qualifiedtobuy, presentationscheduled, decisionmakerboughtin, contractsent, closedwon, closedlost]",
        code: "INVALID_OPTION",
        context: { propertyName: ["dealstage"] },
      },
    ]);
    expect((await deal({ pipeline: "renewals", dealstage: "renewed" })).status).toBe(201);
    expect(sandbox.store.listRecords("deals")).toHaveLength(1);
  });

  it("refuses a pipeline that does not exist, naming the pipeline property", async () => {
    const answer = await deal({ pipeline: "nope", dealstage: "appointmentscheduled" });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]).toMatchObject({
      code: "INVALID_OPTION",
      context: { propertyName: ["pipeline"] },
    });
  });

  it("checks a stage-only update against the record's own pipeline, and a pipeline change against its stage", async () => {
    const created = await deal({ pipeline: "renewals", dealstage: "renewal_due" });
    const id = String(created.body.id);
    const update = (properties: Record<string, string>) =>
      batch(sandbox, "legacy", "deals", "update", { inputs: [{ id, properties, objectWriteTraceId: "t" }] });
    expect((await update({ dealstage: "renewed" })).status).toBe(200);
    const wrong = await update({ dealstage: "closedwon" });
    expect(wrong.status).toBe(207);
    expect(String(wrong.body.errors?.[0]?.message)).toContain("pipelineId=renewals");
    const moved = await update({ pipeline: "default" });
    expect(moved.status).toBe(207);
    expect(String(moved.body.errors?.[0]?.message)).toContain("renewed is not a valid pipeline stage ID");
    expect((await update({ pipeline: "default", dealstage: "closedwon" })).status).toBe(200);
    expect(sandbox.store.findRecord("deals", "hs_object_id", id)?.properties).toMatchObject({
      pipeline: "default",
      dealstage: "closedwon",
    });
  });

  it("checks ticket stages the same way", async () => {
    const ticket = (stage: string) =>
      call(sandbox, "POST", "/crm/objects/2026-09/tickets", {
        properties: { subject: "S", hs_pipeline: "0", hs_pipeline_stage: stage },
      });
    expect((await ticket("4")).status).toBe(201);
    const refused = await ticket("appointmentscheduled");
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]).toMatchObject({ context: { propertyName: ["hs_pipeline_stage"] } });
  });

  it("reads ticket pipelines only with the tickets scope", async () => {
    await sandbox.close();
    sandbox = await startSandbox({ privateAppTokens: [tokenWithout(DEFAULT_PRIVATE_APP_TOKEN, "tickets")] });
    const answer = await call(sandbox, "GET", "/crm/v3/pipelines/tickets");
    expect(answer.status).toBe(403);
    expect(JSON.stringify(answer.body.errors)).toContain("tickets");
    expect((await call(sandbox, "GET", "/crm/v3/pipelines/deals")).status).toBe(200);
  });

  it("refuses pipelines options that reuse a stage id", async () => {
    const clash = {
      ...RENEWALS,
      id: "other",
      stages: [{ id: "closedwon", label: "Won again", metadata: {} }],
    };
    await expect(startSandbox({ pipelines: [clash] })).rejects.toThrow(
      /already has a pipeline or stage closedwon/,
    );
  });
});
