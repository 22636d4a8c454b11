/**
 * Where HubSpot documents no answer and the sandbox had to choose one: the choice, and what it rests on. Each choice
 * is the defensive one, the one a client tested against the sandbox can rely on without being surprised by HubSpot
 * (a refusal rather than a silent success, a whole request refused rather than part of it). docs/sandbox.md lists
 * them (a test keeps the two in step); schema-deviations.ts is the other list, of where HubSpot's schemas and its
 * documented behaviour differ.
 */

export interface Inference {
  /** What the choice is about, as docs/sandbox.md names it. */
  topic: string;
  choice: string;
  /** What is documented or observed, with its source; what is not. */
  evidence: string;
}

const OBJECTS_GUIDE = "https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis";
const MERGE_CHANGELOG =
  "https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies";

export const INFERENCES: readonly Inference[] = [
  {
    topic: "batch update by a merged id",
    choice:
      "an OBJECT_NOT_FOUND error item naming the old id, as for an id that does not exist; the new id is not told",
    evidence: `"These values are not supported when updating records using the batch update endpoint" (${OBJECTS_GUIDE}); the error is not documented.`,
  },
  {
    topic: "archive by a merged id",
    choice:
      "400 OBJECT_NOT_FOUND for the whole request (batch or single), naming the old ids; nothing archived",
    evidence:
      "Not documented. Ignoring the id (as for unknown ids) would let a client believe the record gone while the survivor lives on; archiving the survivor would delete a record the client did not name.",
  },
  {
    topic: "association and list writes by a merged id",
    choice:
      "the old id is no record: INVALID_OBJECT_IDS in association writes, recordIdsMissing in list memberships",
    evidence:
      "Not documented; a client can resolve old ids with batch/read first, which answers the survivor.",
  },
  {
    topic: "merge refusals",
    choice:
      "404 OBJECT_NOT_FOUND for an id that leads to no record, 400 for a record merged with itself, 501 for objects whose specs have no merge endpoint; an id merged before is followed to its survivor",
    evidence: "HubSpot's specs define the request and the 200 only.",
  },
  {
    topic: "merged record",
    choice:
      "a new id and creation time; the primary's values, the secondary's where the primary has none; a contact keeps the other email as a secondary address; list memberships move like links",
    evidence: `The changelog: new id, old ids point to it, "values … from the primary", associations follow (${MERGE_CHANGELOG}); the knowledge base: a merged-away email cannot make a new contact. Lists and dates are not documented.`,
  },
  {
    topic: "unique value taken",
    choice:
      "400 VALIDATION_ERROR with a property error coded DUPLICATE_UNIQUE_PROPERTY_VALUE ('already has that value'), per input (207) when every input has a trace id",
    evidence:
      "A third party's record of HubSpot's answer to a create (GitHub file id 56364293834: 'already has that value hs_external_order_id'); the code is HubSpot's import error for the same case.",
  },
  {
    topic: "two keys naming one record",
    choice: "400 'Duplicate IDs found in batch input' for the whole request, naming both keys",
    evidence:
      "Segment's PR #3969 saw HubSpot refuse a batch resolving two inputs to one record; its body is not shown.",
  },
  {
    topic: "email set to an own secondary address",
    choice: "501: the sandbox refuses rather than guess whether HubSpot swaps the addresses",
    evidence: "Open: no source says what happens.",
  },
  {
    topic: "secondary emails on writes",
    choice: "hs_additional_emails is taken on creates only; updates get READ_ONLY_VALUE",
    evidence:
      "HubSpot staff (2018, integrate.hubspot.com/t/11846): read-only; a 2026 live test creates a contact with it (rudder-transformer); nothing shows an update.",
  },
  {
    topic: "lead without a contact",
    choice: "400 VALIDATION_ERROR; an upsert that would create a lead is refused the same way",
    evidence:
      "The leads guide: a lead 'must be associated with an existing contact'; the error is not documented. D-OBJ's table lists hs_associated_* properties as required too; the sandbox has them read-only.",
  },
  {
    topic: "custom-property limits",
    choice:
      "1,000 custom properties per object, the sum overall, unless the options say otherwise; a create past a limit is a 400",
    evidence:
      "The figures are in HubSpot's product catalog, which no source gives; the refusal is not documented.",
  },
  {
    topic: "ticket required properties",
    choice: "subject, hs_pipeline and hs_pipeline_stage are required on create",
    evidence: `D-OBJ's table requires all three; an example on the same page creates a ticket with only a stage (${OBJECTS_GUIDE}).`,
  },
  {
    topic: "scopes of the newer objects",
    choice:
      "tasks, meetings and emails take the contacts' scopes as notes and calls do; leads' and activities' properties need crm.schemas.contacts.write",
    evidence:
      "The notes and calls guides list the contacts' scopes; the Properties spec names no leads or activities scope.",
  },
  {
    topic: "primary lead associations",
    choice:
      "the inverses of 578 (lead → primary contact) and 580 (lead → primary company) get sandbox-numbered ids",
    evidence: "HubSpot's tables list no inverse for them.",
  },
  {
    topic: "pipelines not found",
    choice: "404 OBJECT_NOT_FOUND for a pipeline or stage id that does not exist",
    evidence: "Not documented: the Pipelines spec declares a 200 and its generic Error for these reads.",
  },
  {
    topic: "body fields of the wrong type",
    choice:
      "400 'Invalid input JSON on line 1, column 1: Cannot deserialize value of type … at <field>', no category; numbers and booleans taken as their text where a string is declared",
    evidence:
      "HubSpot's answer to a property map sent as a list is quoted in Chinchilla-Software-Com/HubSpot.NET#23; its line and column, and its wording for other fields, are not documented.",
  },
  {
    topic: "object pages with histories",
    choice: "at most 50 records a page when propertiesWithHistory is asked, the rest on the next pages",
    evidence:
      "The parameter 'will reduce the maximum number of objects that can be read by a single request' (S-OBJ); HubSpot's figure is documented only for batch reads (50).",
  },
  {
    topic: "object page cursor",
    choice: "400 VALIDATION_ERROR 'Invalid paging cursor' for an after that is not a record id",
    evidence: "HubSpot's cursors are opaque and its answer to a made-up one is not documented.",
  },
  {
    topic: "DYNAMIC or SNAPSHOT list without filters",
    choice: "400 VALIDATION_ERROR naming filterBranch; no list is made",
    evidence:
      "Lists of these types are defined by their filters (D-LISTS); the schema marks filterBranch optional and the answer to one without it is not documented.",
  },
];
