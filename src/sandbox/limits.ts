/**
 * The custom-property limits: `GET /crm/v3/limits/custom-properties` and `/crm/limits/{version}/custom-properties`
 * answer `{overallLimit, overallUsage, overallPercentage, byObjectType: [{objectTypeId, limit, usage, percentage,
 * singularLabel, pluralLabel}]}` (the Limits Tracking spec, `CustomPropertyLimitResponse`), and a property create
 * past a limit is refused.
 *
 * HubSpot's figures depend on the subscription and live in its product catalog, which no source gives; the sandbox
 * allows `perObject` (default 1,000) custom properties per object and, overall, the sum of the objects' limits
 * unless `overall` says otherwise (`customPropertyLimits` option). A custom property is one HubSpot did not define
 * (its own, read-only ones aside); percentages are of 100 (inferred from the field's description). The refusal of a
 * create past a limit is not documented: the sandbox answers 400 VALIDATION_ERROR naming the object and the figures
 * (inferred). The other limits endpoints (records, associations, pipelines, …) are not served (501).
 */
import type { PropertyLimitOptions } from "./limit-options.js";
import type { ApiRequest } from "./requests.js";
import { error, json, missingScopes, type SandboxResponse } from "./responses.js";
import type { SandboxStore } from "./store.js";
import type { ObjectState } from "./types.js";

/** Any CRM record scope reads the limits (the spec lists every object scope). */
const readsLimits = (scope: string) =>
  scope.startsWith("crm.objects.") || scope === "tickets" || scope === "e-commerce";

const percentage = (usage: number, limit: number) =>
  limit === 0 ? (usage > 0 ? 100 : 0) : Math.round((usage / limit) * 10_000) / 100;

/** The object's custom properties: those HubSpot did not define, leaving out read-only system ones. */
export const customPropertyCount = (state: ObjectState) =>
  state.definition.properties.filter((property) => !property.hubspotDefined && !property.readOnly).length;

function limitOf(store: SandboxStore, options: PropertyLimitOptions, state: ObjectState): number {
  for (const [name, limit] of Object.entries(options.byObjectType))
    if (store.resolve(name) === state) return limit;
  return options.perObject;
}

function usage(store: SandboxStore, options: PropertyLimitOptions) {
  const byObjectType = store.objects.map((state) => {
    const [limit, used] = [limitOf(store, options, state), customPropertyCount(state)];
    const { objectTypeId, singular, plural } = state.definition;
    const share = percentage(used, limit);
    return {
      objectTypeId,
      limit,
      usage: used,
      percentage: share,
      singularLabel: singular,
      pluralLabel: plural,
    };
  });
  const overallLimit = options.overall ?? byObjectType.reduce((sum, entry) => sum + entry.limit, 0);
  const overallUsage = byObjectType.reduce((sum, entry) => sum + entry.usage, 0);
  return {
    overallLimit,
    overallUsage,
    overallPercentage: percentage(overallUsage, overallLimit),
    byObjectType,
  };
}

/** `GET …/limits/custom-properties`; any other limits path is not served. */
export function routeLimits(request: ApiRequest): SandboxResponse | undefined {
  if (request.method !== "GET" || request.match.rest.join("/") !== "custom-properties") return undefined;
  request.count("limits");
  if (![...request.caller.scopes].some(readsLimits)) return missingScopes(["crm.objects.contacts.read"]);
  return json(200, usage(request.store, request.store.propertyLimits));
}

/** The refusal of one more custom property on the object, when it would pass a limit. */
export function propertyLimitRefusal(store: SandboxStore, state: ObjectState): SandboxResponse | undefined {
  const options = store.propertyLimits;
  const figures = usage(store, options);
  const entry = figures.byObjectType.find(
    (candidate) => candidate.objectTypeId === state.definition.objectTypeId,
  );
  const [limit, used] = entry ? [entry.limit, entry.usage] : [options.perObject, 0];
  const overall = figures.overallUsage >= figures.overallLimit;
  if (used < limit && !overall) return undefined;
  const what = overall
    ? `the portal's limit of ${figures.overallLimit} custom properties (${figures.overallUsage} in use)`
    : `the limit of ${limit} custom properties for ${state.definition.plural.toLowerCase()} (${used} in use)`;
  return error(400, "VALIDATION_ERROR", `Cannot create the property: it would pass ${what}.`, {
    context: {
      objectTypeId: [state.definition.objectTypeId],
      limit: [String(overall ? figures.overallLimit : limit)],
      usage: [String(overall ? figures.overallUsage : used)],
    },
  });
}
