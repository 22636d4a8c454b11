/**
 * Deal and ticket pipelines and their stages
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/pipelines/guide):
 *
 * - The portal starts as a new HubSpot portal does: deals in the "Sales Pipeline" (`default`, "Every account
 *   initially contains a default pipeline with the pipelineId 'default'") with HubSpot's seven stages, tickets in the
 *   "Support Pipeline" (`0`, stages `1`–`4`, as D-OBJ's ticket examples write them). `pipelines` in the options adds
 *   more; a stage id belongs to one pipeline ("Each stage in a pipeline is identified by a unique internal ID,
 *   meaning it can only be a member of one pipeline").
 * - The records' pipeline properties (deals `pipeline`/`dealstage`, tickets `hs_pipeline`/`hs_pipeline_stage`) take
 *   the pipelines and the stages as their options, as HubSpot's property definitions list them.
 * - A write's stage must be one of its pipeline's stages: the pipeline the write sets, else the record's, else (on
 *   a create) the object's default. "If you're setting a stage that isn't in the default pipeline, you'll also need
 *   to set the corresponding pipeline property" (pipelines guide). The refusal is INVALID_OPTION with the message a
 *   live answer carried ("registered is not a valid pipeline stage ID. Valid options are: pipelineId=default :
 *   [appointmentscheduled, …]", quoted in a third party's test, GitHub file id 51209939).
 */
import * as z from "zod";
import type { ObjectState, StoredRecord } from "./types.js";

const StageSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  /** Deals: `probability` ("0.0"–"1.0") and `isClosed`; tickets: `ticketState` (OPEN, CLOSED). */
  metadata: z.record(z.string(), z.string()).default({}),
});

export const PipelineOptionsSchema = z
  .array(
    z.object({
      objectType: z.enum(["deals", "tickets"]),
      id: z.string().min(1),
      label: z.string().min(1),
      displayOrder: z.number().int().default(1),
      stages: z.array(StageSchema).min(1),
    }),
  )
  .default([]);
export type PipelineOptions = z.output<typeof PipelineOptionsSchema>;

export interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
  createdAt: string;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: PipelineStage[];
  createdAt: string;
}

/** "The stages on default pipelines will have createdAt = 0" (the Pipelines spec's `PipelineStage`). */
const EPOCH = new Date(0).toISOString();
const SEEDED_AT = "2025-01-01T00:00:00.000Z";

const deal = (id: string, label: string, probability: string) => ({
  id,
  label,
  metadata: { isClosed: String(probability === "1.0" || probability === "0.0"), probability },
});
const ticket = (id: string, label: string, state: "OPEN" | "CLOSED") => ({
  id,
  label,
  metadata: { ticketState: state, isClosed: String(state === "CLOSED") },
});

const SEEDS: PipelineOptions = [
  {
    objectType: "deals",
    id: "default",
    label: "Sales Pipeline",
    displayOrder: 0,
    stages: [
      deal("appointmentscheduled", "Appointment Scheduled", "0.2"),
      deal("qualifiedtobuy", "Qualified To Buy", "0.4"),
      deal("presentationscheduled", "Presentation Scheduled", "0.6"),
      deal("decisionmakerboughtin", "Decision Maker Bought-In", "0.8"),
      deal("contractsent", "Contract Sent", "0.9"),
      deal("closedwon", "Closed Won", "1.0"),
      deal("closedlost", "Closed Lost", "0.0"),
    ],
  },
  {
    objectType: "tickets",
    id: "0",
    label: "Support Pipeline",
    displayOrder: 0,
    stages: [
      ticket("1", "New", "OPEN"),
      ticket("2", "Waiting on contact", "OPEN"),
      ticket("3", "Waiting on us", "OPEN"),
      ticket("4", "Closed", "CLOSED"),
    ],
  },
];

/** A property problem in validate.ts's terms. */
export interface StageProblem {
  name: string;
  error: "INVALID_OPTION";
  message: string;
}

export class PipelineStore {
  /** Object type id → its pipelines, in display order. */
  private readonly byObject = new Map<string, Pipeline[]>();

  constructor(objects: readonly ObjectState[], extra: PipelineOptions) {
    for (const [index, input] of [...SEEDS, ...extra].entries()) {
      const state = objects.find((candidate) => candidate.definition.name === input.objectType);
      if (!state) continue;
      const seeded = index < SEEDS.length;
      const pipelines = this.byObject.get(state.definition.objectTypeId) ?? [];
      const taken = new Set(
        pipelines.flatMap((pipeline) => [pipeline.id, ...pipeline.stages.map((s) => s.id)]),
      );
      const clash = [input.id, ...input.stages.map((stage) => stage.id)].find((id) => taken.has(id));
      if (clash)
        throw new Error(`Sandbox pipelines: ${input.objectType} already has a pipeline or stage ${clash}`);
      pipelines.push({
        id: input.id,
        label: input.label,
        displayOrder: input.displayOrder,
        createdAt: seeded ? SEEDED_AT : new Date().toISOString(),
        stages: input.stages.map((stage, order) => ({
          ...stage,
          displayOrder: order,
          createdAt: seeded ? EPOCH : new Date().toISOString(),
        })),
      });
      pipelines.sort((a, b) => a.displayOrder - b.displayOrder || a.label.localeCompare(b.label));
      this.byObject.set(state.definition.objectTypeId, pipelines);
    }
    for (const state of objects) this.fillOptions(state);
  }

  /** The object's pipelines, in display order; none for an object without pipelines. */
  of(state: ObjectState): readonly Pipeline[] {
    return this.byObject.get(state.definition.objectTypeId) ?? [];
  }

  /** Why a write's stage does not fit its pipeline, if it does not. */
  problem(
    state: ObjectState,
    properties: Record<string, unknown>,
    current: StoredRecord | undefined,
  ): StageProblem | undefined {
    const names = state.definition.policy.pipeline;
    if (!names) return undefined;
    const given = (name: string) => {
      const value = properties[name];
      return value === undefined || value === null || value === "" ? undefined : String(value);
    };
    const stage = given(names.stage);
    const pipelineId = given(names.pipeline) ?? current?.properties[names.pipeline] ?? this.of(state)[0]?.id;
    // A pipeline that does not exist is the pipeline property's own INVALID_OPTION (validate.ts).
    const pipeline = this.of(state).find((candidate) => candidate.id === pipelineId);
    const wanted = stage ?? (given(names.pipeline) ? current?.properties[names.stage] : undefined);
    if (!pipeline || wanted === undefined || wanted === "") return undefined;
    if (pipeline.stages.some((candidate) => candidate.id === wanted)) return undefined;
    const ids = pipeline.stages.map((candidate) => candidate.id).join(", ");
    return {
      name: names.stage,
      error: "INVALID_OPTION",
      message: `${wanted} is not a valid pipeline stage ID. Valid options are: pipelineId=${pipeline.id} : [${ids}]`,
    };
  }

  /** Sets the options of the object's pipeline properties: the pipelines, and every pipeline's stages. */
  private fillOptions(state: ObjectState): void {
    const names = state.definition.policy.pipeline;
    if (!names) return;
    const pipelines = this.of(state);
    const pipelineProperty = state.properties.get(names.pipeline);
    const stageProperty = state.properties.get(names.stage);
    if (pipelineProperty) pipelineProperty.options = pipelines.map(({ id, label }) => ({ label, value: id }));
    if (stageProperty) {
      stageProperty.options = pipelines.flatMap((pipeline) =>
        pipeline.stages.map(({ id, label }) => ({ label, value: id })),
      );
    }
  }
}
