/**
 * HubSpot's defined association types between the objects the sandbox serves, from the "Association type ID values"
 * tables of https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associate-records/guide (each
 * row here checked there; the tables list each direction, and a row pairs a direction with its inverse).
 *
 * A "primary" row is written from the record that has the primary one: contact → primary company (1), ticket →
 * primary company (26), lead → primary contact, company and deal (578, 580, 582). The tables give no inverse for
 * 578 and 580 (they list contact → lead 609 and company → lead 611, both unlabeled), so the sandbox numbers those
 * two inverses itself, after its own types (`undefined` below). Lead → email (598) has no documented inverse either;
 * the sandbox leaves that pair out.
 */

export const OBJECT_TYPE_IDS = {
  contact: "0-1",
  company: "0-2",
  deal: "0-3",
  ticket: "0-5",
  lineItem: "0-8",
  task: "0-27",
  note: "0-46",
  meeting: "0-47",
  call: "0-48",
  email: "0-49",
  lead: "0-136",
} as const;

export type TypeSeed = [
  from: string,
  to: string,
  typeId: number,
  inverse: number | undefined,
  label: string | null,
  role?: "primary",
];

const { contact, company, deal, ticket, lineItem, task, note, meeting, call, email, lead } = OBJECT_TYPE_IDS;

/** Activity → contact, company, deal, ticket: the activity's type id and its inverse, per object. */
const ACTIVITIES: Array<[from: string, ids: Array<[number, number]>]> = [
  [
    note,
    [
      [202, 201],
      [190, 189],
      [214, 213],
      [228, 227],
    ],
  ],
  [
    call,
    [
      [194, 193],
      [182, 181],
      [206, 205],
      [220, 219],
    ],
  ],
  [
    task,
    [
      [204, 203],
      [192, 191],
      [216, 215],
      [230, 229],
    ],
  ],
  [
    meeting,
    [
      [200, 199],
      [188, 187],
      [212, 211],
      [226, 225],
    ],
  ],
  [
    email,
    [
      [198, 197],
      [186, 185],
      [210, 209],
      [224, 223],
    ],
  ],
];

export const HUBSPOT_DEFINED: readonly TypeSeed[] = [
  [contact, company, 279, 280, null],
  [contact, company, 1, 2, "Primary", "primary"],
  [deal, company, 341, 342, null],
  [deal, company, 5, 6, "Primary", "primary"],
  [deal, contact, 3, 4, null],
  [contact, contact, 449, 449, null],
  [company, company, 450, 450, null],
  [deal, deal, 451, 451, null],
  [ticket, company, 339, 340, null],
  [ticket, company, 26, 25, "Primary", "primary"],
  [contact, ticket, 15, 16, null],
  [deal, ticket, 27, 28, null],
  [ticket, ticket, 452, 452, null],
  [deal, lineItem, 19, 20, null],
  ...ACTIVITIES.flatMap(([from, ids]) =>
    [contact, company, deal, ticket].map((to, index): TypeSeed => {
      const [typeId, inverse] = ids[index] as [number, number];
      return [from, to, typeId, inverse, null];
    }),
  ),
  [lead, contact, 608, 609, null],
  [lead, contact, 578, undefined, "Primary", "primary"],
  [lead, company, 610, 611, null],
  [lead, company, 580, undefined, "Primary", "primary"],
  [lead, deal, 1037, 1038, null],
  [lead, deal, 582, 583, "Primary", "primary"],
  [lead, note, 854, 855, null],
  [lead, call, 596, 597, null],
  [lead, task, 646, 647, null],
  [lead, meeting, 600, 601, null],
];
