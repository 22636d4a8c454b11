import { describe, expect, it } from "vitest";
import { OBJECT_SCOPES } from "../../../src/hubspot/policies.js";
import { describeScopeRequirements, missingScopes } from "../../../src/hubspot/scopes.js";

describe("missingScopes", () => {
  it("names the requirements a token's scopes do not meet", () => {
    const granted = ["crm.objects.contacts.write", "crm.schemas.contacts.read"];
    const needed = [OBJECT_SCOPES.CONTACT.write, OBJECT_SCOPES.CONTACT.schemaRead, OBJECT_SCOPES.DEAL.write];
    expect(missingScopes(granted, needed)).toEqual([["crm.objects.deals.write"]]);
  });

  it("counts any one alternative of a requirement as meeting it", () => {
    expect(missingScopes(["e-commerce"], [OBJECT_SCOPES.PRODUCT.write])).toEqual([]);
  });

  it("describes unmet requirements for a person", () => {
    expect(describeScopeRequirements([OBJECT_SCOPES.PRODUCT.write, ["oauth"]])).toBe(
      "crm.objects.products.write or e-commerce, oauth",
    );
  });
});
