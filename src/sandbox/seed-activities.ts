/**
 * The activities (engagements): notes, calls, tasks, meetings and emails. Each needs `hs_timestamp` to be created,
 * emails `hs_email_direction` too (D-OBJ, "Required properties to create records",
 * https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis). They are dated by `hs_createdate`
 * (D-OBJ's meeting example), have no unique key, and use the contacts' scopes: "crm.objects.contacts.read" and
 * "crm.objects.contacts.write" are the scopes the notes and calls guides list
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/activities/notes/guide); tasks, meetings and emails
 * are taken to be the same (inferred). Their properties and options are the guides' common ones.
 */
import { object, policy, type Spec } from "./seed-builder.js";
import type { SeedObject } from "./seed-shapes.js";

const SCOPES = {
  read: ["crm.objects.contacts.read"],
  write: ["crm.objects.contacts.write"],
  schemaRead: ["crm.schemas.contacts.read", "crm.objects.contacts.read"],
  schemaWrite: ["crm.schemas.contacts.write"],
};

function activity(
  [objectTypeId, name, singular]: [string, string, string],
  shown: string[],
  properties: Spec[],
  required: string[] = [],
): SeedObject {
  return object(
    {
      objectTypeId,
      name,
      custom: false,
      singular,
      plural: `${singular}s`,
      primaryDisplayProperty: shown[0] as string,
      requiredProperties: ["hs_timestamp", ...required],
      policy: policy(
        SCOPES,
        { read: ["hs_timestamp", ...shown], searchable: shown },
        { createdProperty: "hs_createdate" },
      ),
    },
    [["hs_timestamp", "datetime"], ...properties],
  );
}

const text = (name: string): Spec => [name, "string"];
const long = (name: string): Spec => [name, "string", { fieldType: "textarea" }];
const choice = (name: string, values: string[]): Spec => [name, "enumeration", { values }];

export function activityObjects(): SeedObject[] {
  return [
    activity(["0-46", "notes", "Note"], ["hs_note_body"], [long("hs_note_body"), text("hs_attachment_ids")]),
    activity(
      ["0-48", "calls", "Call"],
      ["hs_call_title", "hs_call_body"],
      [
        ...[text("hs_call_title"), long("hs_call_body"), ["hs_call_duration", "number"] as Spec],
        ...["hs_call_from_number", "hs_call_to_number", "hs_call_recording_url"].map(text),
        choice("hs_call_direction", ["INBOUND", "OUTBOUND"]),
        choice("hs_call_status", [
          ...["BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING"],
          ...["FAILED", "IN_PROGRESS", "NO_ANSWER", "QUEUED", "RINGING"],
        ]),
      ],
    ),
    activity(
      ["0-27", "tasks", "Task"],
      ["hs_task_subject", "hs_task_status"],
      [
        text("hs_task_subject"),
        long("hs_task_body"),
        choice("hs_task_status", ["NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"]),
        choice("hs_task_priority", ["LOW", "MEDIUM", "HIGH", "NONE"]),
        choice("hs_task_type", ["CALL", "EMAIL", "TODO"]),
      ],
    ),
    activity(
      ["0-47", "meetings", "Meeting"],
      ["hs_meeting_title", "hs_meeting_body"],
      [
        ...[text("hs_meeting_title"), long("hs_meeting_body"), long("hs_internal_meeting_notes")],
        ...[text("hs_meeting_external_url"), text("hs_meeting_location")],
        ["hs_meeting_start_time", "datetime"],
        ["hs_meeting_end_time", "datetime"],
        choice("hs_meeting_outcome", ["SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED"]),
      ],
    ),
    activity(
      ["0-49", "emails", "Email"],
      ["hs_email_subject", "hs_email_direction"],
      [
        choice("hs_email_direction", ["EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"]),
        ...[
          text("hs_email_subject"),
          long("hs_email_text"),
          ["hs_email_html", "string", { fieldType: "html" }] as Spec,
        ],
        choice("hs_email_status", ["BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT"]),
        text("hs_email_headers"),
      ],
      ["hs_email_direction"],
    ),
  ];
}
