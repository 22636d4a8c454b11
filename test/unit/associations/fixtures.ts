/** LinkSpecs for the unit tests: a contact's employer (labelled) and companies (unlabeled), HubSpot's type ids. */
import type { LinkSpec } from "../../../src/associations/types.js";

export const UNLABELED = { category: "HUBSPOT_DEFINED", typeId: 279 };
export const EMPLOYEE = { category: "USER_DEFINED", typeId: 1405 };
export const PRIMARY = { category: "HUBSPOT_DEFINED", typeId: 1 };
export const BILLING = { category: "USER_DEFINED", typeId: 1410 };

export function spec(overrides: Partial<LinkSpec> = {}): LinkSpec {
  const labelled = overrides.type !== undefined && overrides.type.typeId !== UNLABELED.typeId;
  return {
    name: "associations[0] (people.employer → COMPANY)",
    streamKey: "people",
    field: "employer",
    fromObjectType: "0-1",
    toObjectName: "COMPANY",
    toObjectType: "0-2",
    toKey: "company_external_id",
    convertKey: (value) => String(value),
    type: UNLABELED,
    labelled,
    unlabeled: UNLABELED,
    replace: false,
    ...overrides,
  };
}
