/** The shapes the associations modules share: compiled entries, association types, targets and their ids. */
import type { Rejection } from "../contract.js";
import type { ValueProblem } from "../mapping/codes.js";

/** An association type as HubSpot's association calls name it: `{associationCategory, associationTypeId}`. */
export interface AssociationTypeRef {
  /** HUBSPOT_DEFINED, USER_DEFINED, INTEGRATOR_DEFINED or WORK. */
  category: string;
  typeId: number;
}

/** One `associations` entry of the config, checked against the portal and ready to use. */
export interface LinkSpec {
  /** `associations[2] (contacts.employer_key → COMPANY)`: how messages name the entry. */
  name: string;
  /** The stream key (namespace.name) whose records it links. */
  streamKey: string;
  /** The top-level record field holding the key value(s). */
  field: string;
  /** HubSpot's type id of the stream's object (`0-3`), the association's from side. */
  fromObjectType: string;
  /** The object as the config names it, for messages. */
  toObjectName: string;
  toObjectType: string;
  /** The unique-value property the field's values are. */
  toKey: string;
  /** Converts a value of the field as the target stream's mapper converts its key, so the two compare equal. */
  convertKey: (value: unknown) => string | ValueProblem;
  /** The type the entry writes: its label's, or the pair's unlabeled type. */
  type: AssociationTypeRef;
  /** Whether `type` is a label (false: HubSpot's default association). */
  labelled: boolean;
  /** The label's text as HubSpot shows it, for people (undefined when unlabeled). */
  labelName?: string | undefined;
  /** The pair's unlabeled type, which every link between two records carries. */
  unlabeled: AssociationTypeRef;
  replace: boolean;
}

/** A record to find by a unique value: `{objectType: "0-2", property: "domain", value: "acme.com"}`. */
export interface TargetRef {
  objectType: string;
  property: string;
  value: string;
}

/** What finding a target came to: its id, not in HubSpot, or a lookup HubSpot refused. */
export type Resolution =
  | { status: "found"; id: string }
  | { status: "missing" }
  | { status: "refused"; rejection: Rejection };

/** The map key of a target. */
export const targetKey = ({ objectType, property, value }: TargetRef) =>
  `${objectType}\u0000${property}\u0000${value}`;
