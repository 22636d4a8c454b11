/** What every target of the crm-object kind carries: its kind's name and what the pipeline and stages need of it. */
export const CRM_OBJECT_TARGET = {
  kind: "crm-object",
  /** A write changes the record its key names: two writes of one record never race. */
  locksRecord: true,
  /** Its properties are the record's values, which HubSpot judges. */
  screensValues: true,
  /** Its records may be linked (associations). */
  linkable: true,
} as const;
