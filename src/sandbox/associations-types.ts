/**
 * Association types ("definitions"): what `GET …/{from}/{to}/labels` lists, one type id per direction. The portal
 * starts with HubSpot's defined ids for the objects it has (associations-seed.ts), per-portal unlabeled types for the
 * custom objects' pairs with contacts, and two user labels.
 *
 * - Every pair that can be associated has exactly one unlabeled type (label null); it is always present on a link.
 * - A label names the *to* record's role, as HubSpot's own do ("Contact to primary company": typeId 1 "Primary").
 * - A user label made on `{from}/{to}` gets a type id for each direction: `label` on from→to, `inverseLabel` (or
 *   the same label when none is given) on to→from. A single label on a same-object pair is one symmetric type.
 * - At most 10 user labels per object pair, whichever way round it is named (D-ASCH).
 */
import { HUBSPOT_DEFINED, OBJECT_TYPE_IDS, type TypeSeed } from "./associations-seed.js";
import type { SandboxResponse } from "./responses.js";
import { error } from "./responses.js";

export const ASSOCIATION_CATEGORIES = [
  "HUBSPOT_DEFINED",
  "USER_DEFINED",
  "INTEGRATOR_DEFINED",
  "WORK",
] as const;
export type AssociationCategory = (typeof ASSOCIATION_CATEGORIES)[number];

export interface AssociationType {
  typeId: number;
  category: AssociationCategory;
  label: string | null;
  fromObjectTypeId: string;
  toObjectTypeId: string;
  /** The type the other record's side carries; a symmetric same-object type is its own inverse. */
  inverseTypeId: number;
  /** `primary`: a record has at most one primary company (contact, deal, ticket), contact or deal (lead); writing
   * another one moves it (D-ASSOC). */
  role: "unlabeled" | "primary" | "label";
  /** On a primary type, true for the direction from the record that has the primary one (contact → company 1). */
  owner?: boolean;
  /** A user label's internal name, shared by its two directions. */
  name?: string;
}

/** `{category, typeId, label}` as the labels endpoints and association reads show a type. */
export const typeJson = ({ category, typeId, label }: AssociationType) => ({ category, typeId, label });

/** HubSpot's limit of user labels per object pair (D-ASCH "Create association labels"). */
export const MAX_LABELS_PER_PAIR = 10;

/** The first type id the portal gives its own types; HubSpot's defined ids stay below it. */
export const FIRST_PORTAL_TYPE_ID = 1401;

const { contact: CONTACT, company: COMPANY, deal: DEAL } = OBJECT_TYPE_IDS;
const [CAR, PET] = ["2-3465404", "2-3465405"];

/** The portal's association types by id, seeded as the file header says; labels are created and deleted here. */
export class AssociationTypes {
  private readonly byId = new Map<number, AssociationType>();
  private nextTypeId = FIRST_PORTAL_TYPE_ID;

  constructor() {
    const undocumented: TypeSeed[] = [];
    for (const seed of HUBSPOT_DEFINED) {
      if (seed[3] === undefined) undocumented.push(seed);
      else this.addDefined(seed, seed[3]);
    }
    // Parent → child company is 13, child → parent 14 (D-ASSOC); the labels are "Parent Company" and "Child
    // Company", and which id carries which is inferred from the rule that a label names the to record's role.
    this.add(
      { typeId: 13, inverseTypeId: 14, category: "HUBSPOT_DEFINED", label: "Child Company", role: "label" },
      COMPANY,
      COMPANY,
    );
    this.byId.set(14, { ...(this.byId.get(14) as AssociationType), label: "Parent Company" });
    // Custom objects' types are the portal's own (1401–1404). Their category is not in HubSpot's docs; clients
    // send USER_DEFINED for them, so the sandbox files them so (inferred).
    for (const custom of [CAR, PET]) {
      const [typeId, inverseTypeId] = [this.nextTypeId++, this.nextTypeId++];
      this.add(
        { typeId, inverseTypeId, category: "USER_DEFINED", label: null, role: "unlabeled" },
        custom,
        CONTACT,
      );
    }
    this.createLabel(CONTACT, COMPANY, {
      name: "employee_manager",
      label: "Employee",
      inverseLabel: "Manager",
    });
    this.createLabel(DEAL, CONTACT, { name: "decision_maker", label: "Decision maker" });
    // The inverses HubSpot's tables do not give (associations-seed.ts) come last, so the ids above stay put.
    for (const seed of undocumented) this.addDefined(seed, this.nextTypeId++);
  }

  private addDefined([from, to, typeId, , label, role]: TypeSeed, inverseTypeId: number): void {
    const kind = role ?? (label === null ? "unlabeled" : "label");
    this.add({ typeId, inverseTypeId, category: "HUBSPOT_DEFINED", label, role: kind }, from, to);
    // A primary type is written from the record that has the primary one; its inverse is the other direction.
    if (role === "primary")
      this.byId.set(typeId, { ...(this.byId.get(typeId) as AssociationType), owner: true });
  }

  /** A type by id, in any pair. */
  get(typeId: number): AssociationType | undefined {
    return this.byId.get(typeId);
  }

  /** The types from→to, as `GET …/labels` lists them: primary first, then labels, the unlabeled type last. */
  between(fromObjectTypeId: string, toObjectTypeId: string): AssociationType[] {
    return sortTypes(
      [...this.byId.values()].filter(
        (type) => type.fromObjectTypeId === fromObjectTypeId && type.toObjectTypeId === toObjectTypeId,
      ),
    );
  }

  /** The pair's unlabeled type; undefined when the two objects cannot be associated at all. */
  unlabeled(fromObjectTypeId: string, toObjectTypeId: string): AssociationType | undefined {
    return this.between(fromObjectTypeId, toObjectTypeId).find((type) => type.role === "unlabeled");
  }

  /** `POST …/labels`: the new types (the inverse first, as HubSpot's example answer lists them), or a 400. */
  createLabel(from: string, to: string, input: unknown): AssociationType[] | SandboxResponse {
    const body = (input ?? {}) as { name?: unknown; label?: unknown; inverseLabel?: unknown };
    const missing = ["name", "label"].filter((field) => typeof body[field as "name"] !== "string");
    if (missing.length > 0) return requiredFields(missing);
    const [name, label] = [body.name as string, body.label as string];
    const inverseLabel = typeof body.inverseLabel === "string" ? body.inverseLabel : undefined;
    const problem = this.labelProblem(from, to, name, label);
    if (problem) return error(400, "VALIDATION_ERROR", problem);
    const typeId = this.nextTypeId++;
    const symmetric = from === to && inverseLabel === undefined;
    const inverseTypeId = symmetric ? typeId : this.nextTypeId++;
    const base = { category: "USER_DEFINED", role: "label", name } as const;
    this.add({ ...base, typeId, inverseTypeId, label }, from, to);
    if (!symmetric)
      this.byId.set(inverseTypeId, {
        ...(this.byId.get(inverseTypeId) as AssociationType),
        label: inverseLabel ?? label,
      });
    return symmetric
      ? [this.byId.get(typeId) as AssociationType]
      : [inverseTypeId, typeId].map((id) => this.byId.get(id) as AssociationType);
  }

  /** `PUT …/labels`: renames a user label (never its name or type id); `inverseLabel` renames the other direction. */
  updateLabel(from: string, to: string, input: unknown): SandboxResponse | undefined {
    const body = (input ?? {}) as { associationTypeId?: unknown; label?: unknown; inverseLabel?: unknown };
    const missing = ["associationTypeId", "label"].filter((field) => body[field as "label"] === undefined);
    if (missing.length > 0) return requiredFields(missing);
    const type = this.userLabel(from, to, Number(body.associationTypeId));
    if (!type || typeof body.label !== "string" || body.label.trim() === "") {
      return error(
        400,
        "VALIDATION_ERROR",
        `${String(body.associationTypeId)} is not a user-defined label from ${from} to ${to}`,
      );
    }
    const inverse = this.byId.get(type.inverseTypeId) as AssociationType;
    const paired = inverse.label !== type.label;
    type.label = body.label;
    if (typeof body.inverseLabel === "string") inverse.label = body.inverseLabel;
    else if (!paired) inverse.label = body.label;
    return undefined;
  }

  /** `DELETE …/labels/{typeId}`: removes both directions of a user label no association uses any more. */
  deleteLabel(
    from: string,
    to: string,
    typeId: number,
    inUse: (typeId: number) => boolean,
  ): SandboxResponse | undefined {
    const type = this.byId.get(typeId);
    if (!type || type.fromObjectTypeId !== from || type.toObjectTypeId !== to) {
      return error(404, "OBJECT_NOT_FOUND", `No association type ${typeId} from ${from} to ${to}`);
    }
    if (type.category === "HUBSPOT_DEFINED" || type.role !== "label") {
      return error(
        400,
        "VALIDATION_ERROR",
        `Association type ${typeId} is not a user-defined label and cannot be deleted`,
      );
    }
    if (inUse(type.typeId) || inUse(type.inverseTypeId)) {
      return error(
        400,
        "VALIDATION_ERROR",
        `Association label ${typeId} is in use; remove it from every association before deleting it`,
      );
    }
    this.byId.delete(type.typeId);
    this.byId.delete(type.inverseTypeId);
    return undefined;
  }

  private userLabel(from: string, to: string, typeId: number): AssociationType | undefined {
    const type = this.byId.get(typeId);
    const matches = type?.fromObjectTypeId === from && type.toObjectTypeId === to;
    return matches && type.category === "USER_DEFINED" && type.role === "label" ? type : undefined;
  }

  private labelProblem(from: string, to: string, name: string, label: string): string | undefined {
    if (!this.unlabeled(from, to))
      return `Objects ${from} and ${to} cannot be associated, so they cannot have labels`;
    // D-ASCH: the name "cannot include hyphens or begin with a numerical character".
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      return `Invalid association name ${name}: it may not contain hyphens or begin with a number`;
    }
    if (label.trim() === "") return "The label may not be empty";
    const names = new Set(
      [...this.byId.values()]
        // A label's inverse type carries its name, so labels made from the other side count here too.
        .filter(
          (type) => type.name !== undefined && type.fromObjectTypeId === from && type.toObjectTypeId === to,
        )
        .map((type) => type.name),
    );
    if (names.has(name)) return `An association label named ${name} already exists between ${from} and ${to}`;
    if (names.size >= MAX_LABELS_PER_PAIR) {
      return `Objects ${from} and ${to} already have ${MAX_LABELS_PER_PAIR} association labels, the most allowed`;
    }
    return undefined;
  }

  private add(
    type: Omit<AssociationType, "fromObjectTypeId" | "toObjectTypeId">,
    from: string,
    to: string,
  ): void {
    this.byId.set(type.typeId, { ...type, fromObjectTypeId: from, toObjectTypeId: to });
    if (type.inverseTypeId !== type.typeId) {
      this.byId.set(type.inverseTypeId, {
        ...type,
        typeId: type.inverseTypeId,
        inverseTypeId: type.typeId,
        fromObjectTypeId: to,
        toObjectTypeId: from,
      });
    }
  }
}

/** A stable order for types: primary first, then labels by type id, the unlabeled type last. */
export function sortTypes(types: AssociationType[]): AssociationType[] {
  const order = { primary: 0, label: 1, unlabeled: 2 } as const;
  return [...types].sort((a, b) => order[a.role] - order[b.role] || a.typeId - b.typeId);
}

/** HubSpot's answer to a body without its required fields (undocumented; seen in HubSpot/hubspot-api-nodejs#307). */
export const requiredFields = (fields: string[]) =>
  error(
    400,
    "VALIDATION_ERROR",
    `Invalid input JSON on line 1, column 3. Some required fields were not set: [${fields.join(", ")}]`,
  );
