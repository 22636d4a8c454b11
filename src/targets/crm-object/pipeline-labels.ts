/**
 * Pipelines and stages by label: a deal's `pipeline`/`dealstage` and a ticket's `hs_pipeline`/`hs_pipeline_stage`
 * may name a pipeline or stage by its label ("Sales Pipeline", "closed won") as well as by its id. The portal's
 * pipelines are read once per run (`GET /crm/pipelines/{version}/{objectType}`,
 * https://developers.hubspot.com/docs/api-reference/latest/crm/pipelines/guide) and each record's values are
 * turned into ids before it is mapped, so the property checks and HubSpot see ids only.
 *
 * 1. A pipeline value is an id as given, else a label compared without case or surrounding spaces; neither is
 *    INVALID_OPTION naming the object's pipelines.
 * 2. A stage is looked for in the record's pipeline when the record gives one (stage ids belong to one pipeline:
 *    "it can only be a member of one pipeline"), else in every pipeline: an id as given, else a label. A label two
 *    pipelines share, with no pipeline given, is INVALID_OPTION asking for the pipeline; an unknown stage is
 *    INVALID_OPTION naming the pipeline's stages.
 * The record's data is copied, never changed: the rejects store keeps what the source sent.
 */
import type { RecordMapper, Rejection } from "../../contract.js";
import { REJECTION_CODES } from "../../mapping/index.js";
import type { Pipeline } from "../../hubspot/types.js";

export interface PipelineFields {
  pipeline: string;
  stage: string;
}

type Stage = Pipeline["stages"][number];

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const text = (value: unknown) =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
const named = (item: { id: string; label: string }) => `${JSON.stringify(item.label)} (${item.id})`;

function invalid(field: string, message: string): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { code: REJECTION_CODES.INVALID_OPTION, field, message } };
}

/** Wraps a mapper so that the record's pipeline and stage labels become ids first. */
export function withPipelineLabels(
  mapper: RecordMapper,
  objectName: string,
  fields: PipelineFields,
  pipelines: readonly Pipeline[],
): RecordMapper {
  const live = pipelines.filter((pipeline) => pipeline.archived !== true);
  const wrapped: RecordMapper = {
    map(data) {
      if (typeof data !== "object" || data === null || Array.isArray(data)) return mapper.map(data);
      const record = data as Record<string, unknown>;
      const pipelineValue = text(record[fields.pipeline]);
      const stageValue = text(record[fields.stage]);
      if (!pipelineValue?.trim() && !stageValue?.trim()) return mapper.map(data);
      const copy = Object.assign(Object.create(null) as Record<string, unknown>, record);
      let pipeline: Pipeline | undefined;
      if (pipelineValue?.trim()) {
        pipeline = findPipeline(live, pipelineValue);
        if (!pipeline) {
          return invalid(
            fields.pipeline,
            `${JSON.stringify(pipelineValue)} is not a pipeline of ${objectName}, by id or label. Its pipelines: ${live.map(named).join(", ")}.`,
          );
        }
        copy[fields.pipeline] = pipeline.id;
      }
      if (stageValue?.trim()) {
        const found = findStage(objectName, fields.stage, live, pipeline, stageValue);
        if (!found.ok) return found;
        copy[fields.stage] = found.stage.id;
      }
      return mapper.map(copy);
    },
  };
  if (mapper.merge) wrapped.merge = mapper.merge.bind(mapper);
  return wrapped;
}

function findPipeline(pipelines: readonly Pipeline[], value: string): Pipeline | undefined {
  return (
    pipelines.find((pipeline) => pipeline.id === value.trim()) ??
    pipelines.find((pipeline) => same(pipeline.label, value))
  );
}

function findStage(
  objectName: string,
  field: string,
  pipelines: readonly Pipeline[],
  pipeline: Pipeline | undefined,
  value: string,
): { ok: true; stage: Stage } | { ok: false; rejection: Rejection } {
  const within = pipeline ? [pipeline] : pipelines;
  const stages = within.flatMap((candidate) => candidate.stages.filter((stage) => stage.archived !== true));
  const byId = stages.find((stage) => stage.id === value.trim());
  if (byId) return { ok: true, stage: byId };
  const byLabel = stages.filter((stage) => same(stage.label, value));
  const [first] = byLabel;
  if (first && byLabel.length === 1) return { ok: true, stage: first };
  if (byLabel.length > 1) {
    const owners = within.filter((candidate) => candidate.stages.some((stage) => byLabel.includes(stage)));
    return invalid(
      field,
      `${JSON.stringify(value)} is a stage of several ${objectName} pipelines (${owners.map(named).join(", ")}); give the record's pipeline too.`,
    );
  }
  const listed = within
    .map((candidate) => `pipeline ${named(candidate)}: ${candidate.stages.map(named).join(", ")}`)
    .join("; ");
  return invalid(
    field,
    `${JSON.stringify(value)} is not a stage of ${pipeline ? `pipeline ${named(pipeline)}` : `any ${objectName} pipeline`}, by id or label. Stages of ${listed}.`,
  );
}
