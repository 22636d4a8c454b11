/** The `lists` part of the config: list (segment) membership streams, `list:<name>` (docs/lists.md). */
import * as z from "zod";

export const ListsConfig = z
  .object({
    create_missing_lists: z.boolean().default(false).meta({
      title: "Create Missing Lists",
      description:
        "Create a list (segment) that does not exist as a static (MANUAL) list of the stream's object, contacts unless the object name says list[OBJECT]:name. Off: write fails before reading when a list is missing.",
    }),
    create_missing_records: z.boolean().default(false).meta({
      title: "Create Missing Records",
      description:
        "Before adding a member whose record does not exist, create it by its key with the record's other properties, as a CRM upsert would. Off: such a member is rejected as RECORD_NOT_FOUND.",
    }),
  })
  .meta({ title: "Lists (Segments)", order: 12 });
