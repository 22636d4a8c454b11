import { describe, expect, it } from "vitest";
import { type CurrentLinks, needsCurrentLinks, linkOps } from "../../../src/associations/link-ops.js";
import { BILLING, EMPLOYEE, PRIMARY, spec, UNLABELED } from "./fixtures.js";

const plain = spec();
const employee = spec({ type: EMPLOYEE, field: "employer_key" });
const employeeReplace = spec({ type: EMPLOYEE, field: "employer_key", replace: true });
const plainReplace = spec({ replace: true, field: "company_keys" });
const current = (entries: Record<string, Array<{ category: string; typeId: number }>>): CurrentLinks =>
  new Map(Object.entries(entries));
const ops = (...args: Parameters<typeof linkOps>) =>
  linkOps(...args).map(({ action, toId, types }) => ({
    action,
    toId,
    ...(types ? { types: types.map((t) => t.typeId) } : {}),
  }));

describe("linkOps", () => {
  it("links an unlabeled target with associate/default when the current links are not known", () => {
    expect(ops([plain], [{ toId: "7", spec: plain }], undefined)).toEqual([
      { action: "associate/default", toId: "7" },
    ]);
  });

  it("sends nothing for an unlabeled target already linked", () => {
    expect(ops([plain], [{ toId: "7", spec: plain }], current({ "7": [UNLABELED] }))).toEqual([]);
  });

  it("creates a labelled link naming the pair's other labels too, since create replaces them", () => {
    const now = current({ "7": [UNLABELED, BILLING, PRIMARY] });
    expect(ops([employee], [{ toId: "7", spec: employee }], now)).toEqual([
      { action: "create", toId: "7", types: [BILLING.typeId, PRIMARY.typeId, EMPLOYEE.typeId] },
    ]);
  });

  it("sends nothing for a labelled link the pair already carries", () => {
    const now = current({ "7": [EMPLOYEE, UNLABELED] });
    expect(ops([employee], [{ toId: "7", spec: employee }], now)).toEqual([]);
  });

  it("with replace, takes only that label off a pair the record no longer lists and keeps its other labels", () => {
    const now = current({
      "7": [EMPLOYEE, UNLABELED],
      "8": [EMPLOYEE, PRIMARY, UNLABELED],
      "9": [BILLING, UNLABELED],
    });
    expect(ops([employeeReplace], [{ toId: "7", spec: employeeReplace }], now)).toEqual([
      { action: "labels/archive", toId: "8", types: [EMPLOYEE.typeId] },
    ]);
  });

  it("with replace and an empty field, takes the label off every pair that has it", () => {
    const now = current({ "7": [EMPLOYEE, UNLABELED], "8": [UNLABELED] });
    expect(ops([employeeReplace], [], now)).toEqual([
      { action: "labels/archive", toId: "7", types: [EMPLOYEE.typeId] },
    ]);
  });

  it("with replace on the default association, unlinks what no entry of the record lists", () => {
    const now = current({ "7": [UNLABELED], "8": [UNLABELED, PRIMARY], "9": [EMPLOYEE, UNLABELED] });
    const wanted = [
      { toId: "7", spec: plainReplace },
      { toId: "9", spec: employee },
    ];
    expect(ops([plainReplace, employee], wanted, now)).toEqual([{ action: "archive", toId: "8" }]);
  });

  it("drops a replaced label inside the create of a pair that gains another label, in one request", () => {
    const other = spec({ type: BILLING, field: "billing_key" });
    const now = current({ "7": [EMPLOYEE, UNLABELED] });
    expect(ops([employeeReplace, other], [{ toId: "7", spec: other }], now)).toEqual([
      { action: "create", toId: "7", types: [BILLING.typeId] },
    ]);
  });

  it("writes one create for a pair two labelled entries name", () => {
    const other = spec({ type: BILLING, field: "billing_key" });
    const wanted = [
      { toId: "7", spec: employee },
      { toId: "7", spec: other },
      { toId: "7", spec: plain },
    ];
    expect(ops([employee, other, plain], wanted, current({}))).toEqual([
      { action: "create", toId: "7", types: [EMPLOYEE.typeId, BILLING.typeId] },
    ]);
  });

  it("needs the current links only for a label or replace", () => {
    expect(needsCurrentLinks([plain])).toBe(false);
    expect(needsCurrentLinks([plain, employee])).toBe(true);
    expect(needsCurrentLinks([plainReplace])).toBe(true);
  });
});
