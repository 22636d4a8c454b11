/**
 * The `guards` part of the config: limits that stop a run before it does damage. Every guard is off unless set.
 * What each one counts, and exactly when it fires, is in src/guards/ and docs/operate.md.
 */
import * as z from "zod";

/** Records read before `max_reject_ratio` is judged, unless `min_records` says otherwise. */
export const DEFAULT_GUARD_MIN_RECORDS = 100;

const cap = (title: string, description: string, order: number) =>
  z.number().int().min(0).optional().meta({ title, description, order });

export const GuardsConfig = z
  .object({
    expected_portal_id: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({
        title: "Expected Portal ID",
        order: 0,
        description:
          "Refuse to run unless the credentials belong to this HubSpot portal (hub id), so a test config never writes into production. Checked once, before anything is read or written.",
        examples: [12345678],
      }),
    max_reject_ratio: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .meta({
        title: "Max Reject Ratio",
        order: 1,
        description:
          "Stop the run (config_error) once more than this share of the records read were rejected, judged from min_records records on: a broken mapping should not burn the day's API budget.",
        examples: [0.2],
      }),
    min_records: z.number().int().min(1).default(DEFAULT_GUARD_MIN_RECORDS).meta({
      title: "Min Records for the Reject Ratio",
      order: 2,
      description: "Records read before max_reject_ratio is judged.",
    }),
    max_creates: cap(
      "Max Creates",
      "Stop the run (config_error) once HubSpot's answers show more than this many records created by it.",
      3,
    ),
    max_archives: cap(
      "Max Archives",
      "Stop the run (config_error) before it asks HubSpot to archive more than this many records.",
      4,
    ),
    max_list_removals: cap(
      "Max List Removals",
      "Stop the run (config_error) before it asks HubSpot to remove more than this many list members.",
      5,
    ),
    daily_budget_share: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .meta({
        title: "Daily Budget Share",
        order: 6,
        description:
          "Stop cleanly (transient_error, every settled STATE echoed) before this run makes more than this share of the portal's daily request limit, as HubSpot's X-HubSpot-RateLimit-Daily header states it (private apps and service keys only).",
        examples: [0.3],
      }),
  })
  .meta({
    title: "Guards",
    order: 12,
    description: "Limits that stop a bad run before it does damage; each is off unless set.",
  });
export type GuardsConfigType = z.output<typeof GuardsConfig>;
