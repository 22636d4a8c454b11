/**
 * CRM object endpoints (v3). The date-versioned `/crm/objects/2026-03/…` paths take the same bodies; v3 stays
 * supported, so the connector targets it.
 * https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis
 */
const objects = (objectType: string) => `/crm/v3/objects/${encodeURIComponent(objectType)}`;

export const CRM_PATHS = {
  batchUpsert: (objectType: string) => `${objects(objectType)}/batch/upsert`,
  batchUpdate: (objectType: string) => `${objects(objectType)}/batch/update`,
  batchRead: (objectType: string) => `${objects(objectType)}/batch/read`,
  batchArchive: (objectType: string) => `${objects(objectType)}/batch/archive`,
} as const;

/** HubSpot's limit of inputs per CRM batch request. */
export const CRM_BATCH_LIMIT = 100;
