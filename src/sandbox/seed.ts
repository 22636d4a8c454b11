/**
 * The portal the sandbox starts with: the CRM's standard objects (seed-crm.ts), tickets, line items and leads
 * (seed-service.ts), the activities (seed-activities.ts) and two custom objects. Shapes follow
 * `GET /crm/v3/properties/{objectType}` and `GET /crm/v3/schemas` (the Properties and Schemas specs); deals' and
 * tickets' pipeline properties take their options from the portal's pipelines (pipelines.ts).
 */
import { activityObjects } from "./seed-activities.js";
import { crmObjects, customObjects } from "./seed-crm.js";
import { serviceObjects } from "./seed-service.js";
import type { SeedObject } from "./seed-shapes.js";

export type { ObjectPolicy, SeedGroup, SeedObject, SeedOption, SeedProperty } from "./seed-shapes.js";

export function seedObjects(): SeedObject[] {
  return [...crmObjects(), ...customObjects(), ...serviceObjects(), ...activityObjects()];
}
