import { describe, expect, it } from "vitest";
import { rejectionFromError } from "../../../src/hubspot/batch-errors.js";
import { sendIsolating } from "../../../src/hubspot/isolate.js";
import {
  collisionCarriers,
  collisionCode,
  sameRecordKeys,
  takenValueOf,
} from "../../../src/hubspot/collisions.js";

const input = (traceId: string, id: string, properties: Record<string, string> = {}) => ({
  traceId,
  id,
  properties,
});

/** HubSpot's recorded 409 for an email another contact has (community post "Updated 409 Conflict responses"). */
const emailConflict = (email: string) => ({
  status: "error",
  message: "Contact already exists. Existing ID: 2926551",
  errors: [{ message: `A contact with email ${email} already exists. Existing ID: 2926551`, in: "email" }],
  category: "OBJECT_ALREADY_EXISTS",
  error: "CONTACT_EXISTS",
});

const takenProblem = (name: string, message: string) => ({
  status: "error",
  category: "VALIDATION_ERROR",
  message: `Property values were not valid: ${JSON.stringify([
    { isValid: false, message, error: "DUPLICATE_UNIQUE_PROPERTY_VALUE", name },
  ])}`,
});

describe("collisions", () => {
  it.each([
    ["DUPLICATE_UNIQUE_PROPERTY_VALUE", 400, "external_id", "UNIQUE_VALUE_TAKEN"],
    ["DUPLICATE_UNIQUE_PROPERTY_VALUE", 207, "email", "EMAIL_TAKEN"],
    ["CONTACT_EXISTS", 409, "email", "EMAIL_TAKEN"],
    ["CONFLICT", 409, "email", "EMAIL_TAKEN"],
    ["CONTACT_EXISTS", 409, undefined, undefined],
    ["INVALID_EMAIL", 400, "email", undefined],
  ])("codes %s (%i, field %s) as %s", (code, status, field, expected) => {
    expect(collisionCode(code, status, field)).toBe(expected);
  });

  it("rejects HubSpot's 409 for a taken email as EMAIL_TAKEN naming email", () => {
    expect(rejectionFromError(emailConflict("lee@xyz.co.uk"), 409)).toMatchObject({
      code: "EMAIL_TAKEN",
      field: "email",
      httpStatus: 409,
    });
  });

  it("finds the inputs that send the taken address, by primary or secondary address, never the key", () => {
    const taken = takenValueOf(emailConflict("lee@xyz.co.uk"), 409);
    expect(taken).toEqual({ property: "email", value: "lee@xyz.co.uk" });
    const inputs = [
      input("t0", "E-1", { email: "other@x.co" }),
      input("t1", "E-2", { email: " Lee@XYZ.co.uk" }),
      input("t2", "E-3", { hs_additional_emails: "a@b.co;lee@xyz.co.uk" }),
      input("t3", "lee@xyz.co.uk", { email: "lee@xyz.co.uk" }),
    ];
    expect(collisionCarriers(taken!, inputs, "external_id").map((i) => i.traceId)).toEqual([
      "t1",
      "t2",
      "t3",
    ]);
    expect(collisionCarriers(taken!, inputs, "email").map((i) => i.traceId)).toEqual(["t2"]);
  });

  it("takes every sender of the property for a suspect when the message quotes no value", () => {
    const quoted = takenValueOf(
      takenProblem("tax_id", "T-1 is not unique: another company (5) already has that value for tax_id"),
      400,
    );
    expect(quoted).toEqual({ property: "tax_id", value: "T-1" });
    const unquoted = takenValueOf(
      takenProblem("tax_id", "propertyValue: already has that value tax_id"),
      400,
    );
    expect(unquoted).toEqual({ property: "tax_id", value: undefined });
    const inputs = [
      input("t0", "C-1", { tax_id: "T-1" }),
      input("t1", "C-2", { tax_id: "T-2" }),
      input("t2", "C-3"),
    ];
    expect(collisionCarriers(quoted!, inputs, "company_external_id").map((i) => i.traceId)).toEqual(["t0"]);
    expect(collisionCarriers(unquoted!, inputs, "company_external_id").map((i) => i.traceId)).toEqual([
      "t0",
      "t1",
    ]);
  });

  it("is no taken value for an invalid email or a 409 about something else", () => {
    const invalid = takenProblem("email", "Email address x@y is invalid");
    expect(
      takenValueOf(
        { ...invalid, message: invalid.message.replace("DUPLICATE_UNIQUE_PROPERTY_VALUE", "INVALID_EMAIL") },
        400,
      ),
    ).toBeUndefined();
    expect(takenValueOf({ category: "CONFLICT", message: "Conflict" }, 409)).toBeUndefined();
  });

  it("reads the keys of one record from a Duplicate IDs refusal when it names two inputs", () => {
    const normalize = (key: string) => key.toLowerCase();
    const body = (ids: string[]) => ({
      category: "VALIDATION_ERROR",
      message: `Duplicate IDs found in batch input: [${ids.join(", ")}]. IDs must be unique`,
      context: { ids },
    });
    const inputs = [input("t0", "a@x.co"), input("t1", "b@x.co"), input("t2", "c@x.co")];
    expect(sameRecordKeys(body(["A@x.co", "b@x.co"]), 400, inputs, normalize)).toEqual(
      new Set(["a@x.co", "b@x.co"]),
    );
    expect(sameRecordKeys(body(["a@x.co"]), 400, inputs, normalize)).toBeUndefined();
    expect(sameRecordKeys(body(["a@x.co", "z@x.co"]), 400, inputs, normalize)).toBeUndefined();
    expect(sameRecordKeys(body(["a@x.co", "b@x.co"]), 409, inputs, normalize)).toBeUndefined();
  });
});

describe("sendIsolating on a unique value taken", () => {
  const refusal = (message: string) =>
    Object.assign(new Error("refused"), { status: 400, body: takenProblem("tax_id", message) });

  /** HubSpot refusing any batch that sends tax_id T-1, with `message`; answers every request's inputs. */
  function fakeSend(message: string) {
    const sent: string[][] = [];
    const send = async (part: readonly { traceId: string; properties: Record<string, string> }[]) => {
      sent.push(part.map((i) => i.traceId));
      if (part.some((i) => i.properties.tax_id === "T-1")) throw refusal(message);
      return new Map(part.map((i) => [i.traceId, { status: "written" as const }]));
    };
    return { sent, send };
  }
  const inputs = [
    input("t0", "C-0", { tax_id: "T-0" }),
    input("t1", "C-1", { name: "x" }),
    input("t2", "C-2", { tax_id: "T-1" }),
    input("t3", "C-3", { tax_id: "T-3" }),
    input("t4", "C-4", { name: "y" }),
  ];

  it("rejects the one input sending a quoted value, in one extra request", async () => {
    const hubspot = fakeSend("T-1 is not unique: another company (5) already has that value for tax_id");
    const outcomes = await sendIsolating(inputs, hubspot.send, { keyProperty: "company_external_id" });
    expect(outcomes.get("t2")).toMatchObject({
      status: "rejected",
      rejection: { code: "UNIQUE_VALUE_TAKEN", field: "tax_id" },
    });
    expect(hubspot.sent).toEqual([
      ["t0", "t1", "t2", "t3", "t4"],
      ["t0", "t1", "t3", "t4"],
    ]);
  });

  it("sends the inputs without the property at once, and isolates those with it, when the value is not quoted", async () => {
    const hubspot = fakeSend("already has that value tax_id");
    const outcomes = await sendIsolating(inputs, hubspot.send, { keyProperty: "company_external_id" });
    expect([...outcomes].filter(([, o]) => o.status === "rejected").map(([trace]) => trace)).toEqual(["t2"]);
    expect(outcomes.get("t2")).toMatchObject({ rejection: { code: "UNIQUE_VALUE_TAKEN" } });
    expect(hubspot.sent[1]).toEqual(["t1", "t4"]);
    // The refused batch, the two without tax_id, then the three with it halved: 2k - 1 requests for k of them.
    expect(hubspot.sent).toHaveLength(2 + 2 * 3 - 1);
  });
});
