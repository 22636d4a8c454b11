/**
 * The `associations` part of the config: which field of which stream links each record to records of another
 * object, found by one of their unique-value properties. Declared here, used by `schema.ts` (and so by
 * `spec/spec.json`); compiled against the portal in `associations/compile.ts`.
 */
import * as z from "zod";

export const AssociationEntry = z
  .object({
    stream: z.string().min(1).meta({
      title: "Stream",
      description:
        "A configured stream that writes CRM records. In raw pipe mode (--object) the stream is named stdin.",
    }),
    namespace: z
      .string()
      .optional()
      .meta({ title: "Namespace", description: "The stream's namespace, when it has one." }),
    field: z.string().min(1).meta({
      title: "Field",
      description:
        "A top-level field of the stream's records holding one key value or an array of them; null, absent or empty means no link. It is used for the link only, never written as a property.",
    }),
    to_object: z
      .string()
      .min(1)
      .meta({
        title: "To Object",
        description: "The object linked to: CONTACT, COMPANY, DEAL, PRODUCT or a custom object's name.",
        examples: ["COMPANY"],
      }),
    to_key: z
      .string()
      .min(1)
      .meta({
        title: "To Key",
        description:
          "The unique-value property of To Object that the field's values are (email for contacts), or hs_object_id for HubSpot record ids (a merged id links to the record it was merged into).",
        examples: ["email", "company_external_id", "hs_object_id"],
      }),
    label: z
      .union([z.string().min(1), z.number().int().positive()])
      .optional()
      .meta({
        title: "Label",
        description:
          "An association label's text as HubSpot shows it, or its numeric type id. Empty: HubSpot's default (unlabeled) association.",
      }),
    replace: z.boolean().default(false).meta({
      title: "Replace",
      description:
        "Remove the links of this label (or, unlabeled, the links) from the record to To Object that the record no longer lists; null or empty removes them all, an absent field leaves them. Other labels and other objects' links stay.",
    }),
  })
  .meta({ title: "Association" });

export type AssociationEntryConfig = z.output<typeof AssociationEntry>;

export const AssociationsConfig = z.array(AssociationEntry).meta({
  title: "Associations",
  order: 12,
  description:
    "Link each written record to records of another object (a deal to its company and contacts) by their unique keys.",
});
