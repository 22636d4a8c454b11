/**
 * An object pair's association types, read once per pair before any record (`GET …/{from}/{to}/labels`,
 * https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associations-schema/guide): `{results:
 * [{category, typeId, label}]}`, where the pair's unlabeled type has the label `null`. A pair HubSpot cannot
 * associate has no unlabeled type (or HubSpot refuses to list it).
 */
import { HubSpotApiError } from "../hubspot/api-errors.js";
import type { ApiPaths } from "../hubspot/api-paths.js";
import type { AssociationTypeRef } from "./types.js";

export interface PairTypes {
  /** Undefined: HubSpot cannot associate the two objects; `refusal` says what HubSpot answered, if anything. */
  unlabeled: AssociationTypeRef | undefined;
  labels: Array<AssociationTypeRef & { label: string }>;
  refusal?: string | undefined;
}

export interface LabelsTransport {
  getJson<T>(path: string): Promise<{ status: number; body: T }>;
}

interface LabelsAnswer {
  results?: Array<{ category?: unknown; typeId?: unknown; label?: unknown }>;
}

export async function readPairTypes(
  transport: LabelsTransport,
  paths: Pick<ApiPaths, "associationLabels">,
  from: string,
  to: string,
): Promise<PairTypes> {
  let answer: LabelsAnswer | undefined;
  try {
    answer = (await transport.getJson<LabelsAnswer | undefined>(paths.associationLabels(from, to))).body;
  } catch (error) {
    // A pair HubSpot has no association definition for is refused as a bad request.
    if (error instanceof HubSpotApiError && (error.status === 400 || error.status === 404)) {
      return { unlabeled: undefined, labels: [], refusal: error.hubspotMessage ?? error.message };
    }
    throw error;
  }
  const types = (answer?.results ?? []).filter(
    (type) => typeof type.typeId === "number" && typeof type.category === "string",
  );
  const ref = (type: (typeof types)[number]) => ({
    category: type.category as string,
    typeId: type.typeId as number,
  });
  const unlabeled = types.find(
    (type) => type.label === null || type.label === undefined || type.label === "",
  );
  return {
    unlabeled: unlabeled ? ref(unlabeled) : undefined,
    labels: types
      .filter((type) => typeof type.label === "string" && type.label !== "")
      .map((type) => ({ ...ref(type), label: type.label as string })),
  };
}

/**
 * The type a configured label names: a numeric type id (a number, or digits), else the label's text as HubSpot
 * shows it, exactly or, failing that, the one label equal to it ignoring case and outer spaces.
 */
export function findLabel(types: PairTypes, label: string | number): AssociationTypeRef | undefined {
  const all = [...types.labels, ...(types.unlabeled ? [types.unlabeled] : [])];
  if (typeof label === "number" || /^\d+$/.test(label.trim())) {
    const typeId = Number(label);
    return all.find((type) => type.typeId === typeId);
  }
  const exact = types.labels.find((type) => type.label === label);
  if (exact) return exact;
  const loose = (text: string) => text.trim().toLowerCase();
  const near = types.labels.filter((type) => loose(type.label) === loose(label));
  return near.length === 1 ? near[0] : undefined;
}

/** `Primary (1), Employee (1405)`: the pair's labels, for a config error. */
export const describeLabels = (types: PairTypes) =>
  types.labels.length > 0
    ? types.labels.map((type) => `${type.label} (${type.typeId})`).join(", ")
    : "none (only the unlabeled association)";
