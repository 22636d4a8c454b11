/**
 * The pipelines API's reads (https://developers.hubspot.com/docs/api-reference/latest/crm/pipelines/guide), on
 * `/crm/v3/pipelines/{objectType}` (the SDK's path) and `/crm/pipelines/{version}/{objectType}`:
 * - `GET …/{objectType}` → `{results: Pipeline[]}`; `GET …/{objectType}/{pipelineId}` → the pipeline;
 * - `GET …/{pipelineId}/stages` → `{results: PipelineStage[]}`; `GET …/stages/{stageId}` → the stage.
 * Shapes are the Pipelines spec's (`Pipeline`, `PipelineStage` with `writePermissions`). A pipeline or stage that does
 * not exist is a 404 (its body inferred). Deals and tickets have pipelines here; HubSpot has them for more objects
 * (leads, appointments, custom objects, …), which the sandbox refuses with a 501 rather than answer "none".
 * Creating, changing and deleting pipelines, and their audits, are not served (501).
 */
import { KNOWN_UNSERVED, unservedObject } from "./object-types.js";
import type { Pipeline, PipelineStage } from "./pipelines.js";
import type { ApiRequest } from "./requests.js";
import { error, json, missingScopes, type SandboxResponse } from "./responses.js";

export function routePipelines(request: ApiRequest): SandboxResponse | undefined {
  const { method, store, caller } = request;
  const [segment, pipelineId, stages, stageId, ...extra] = request.match.rest;
  const readable = stages === undefined || (stages === "stages" && extra.length === 0);
  if (method !== "GET" || segment === undefined || !readable) return undefined;
  request.count("pipelines");
  const state = store.resolve(segment);
  if (!state && KNOWN_UNSERVED.has(segment.toLowerCase())) return unservedObject(segment);
  if (!state) return error(400, "VALIDATION_ERROR", `Unable to infer object type from: ${segment}`);
  if (!state.definition.policy.pipeline) {
    return error(
      501,
      "NOT_IMPLEMENTED",
      `The sandbox serves the pipelines of deals and tickets only, not of ${state.definition.name}.`,
    );
  }
  const { scopes } = state.definition.policy;
  const accepted = [...scopes.read, ...scopes.write, ...scopes.schemaRead];
  if (!accepted.some((scope) => caller.scopes.has(scope))) return missingScopes(scopes.read);
  const pipelines = store.pipelines.of(state);
  if (pipelineId === undefined) return json(200, { results: pipelines.map(pipelineJson) });
  const pipeline = pipelines.find((candidate) => candidate.id === pipelineId);
  if (!pipeline) {
    return error(
      404,
      "OBJECT_NOT_FOUND",
      `Unable to find pipeline ${pipelineId} for ${state.definition.name}`,
    );
  }
  if (stages === undefined) return json(200, pipelineJson(pipeline));
  if (stageId === undefined) return json(200, { results: pipeline.stages.map(stageJson) });
  const stage = pipeline.stages.find((candidate) => candidate.id === stageId);
  return stage
    ? json(200, stageJson(stage))
    : error(404, "OBJECT_NOT_FOUND", `Unable to find stage ${stageId} in pipeline ${pipeline.id}`);
}

function pipelineJson(pipeline: Pipeline) {
  const { id, label, displayOrder, createdAt } = pipeline;
  return {
    id,
    label,
    displayOrder,
    stages: pipeline.stages.map(stageJson),
    createdAt,
    updatedAt: createdAt,
    archived: false,
  };
}

function stageJson(stage: PipelineStage) {
  const { id, label, displayOrder, metadata, createdAt } = stage;
  return {
    id,
    label,
    displayOrder,
    metadata,
    createdAt,
    updatedAt: createdAt,
    archived: false,
    writePermissions: "CRM_PERMISSIONS_ENFORCEMENT",
  };
}
