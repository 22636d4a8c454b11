import { describe, expect, it } from "vitest";
import { OpenApiCatalog } from "../../src/sandbox/openapi-catalog.js";
import { concretePath, OPENAPI_DIR, specRequests } from "../support/openapi.js";

/** The operations a request path matches by a scan of every operation: the most literal of those matching. */
function scanned(operations: { method: string; template: string }[], method: string, path: string): string[] {
  const matching = operations.filter((operation) => {
    if (operation.method !== method) return false;
    const source = operation.template
      .split("/")
      .filter(Boolean)
      .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")))
      .join("/");
    return new RegExp(`^/${source}/?$`).test(path);
  });
  const literals = (template: string) =>
    template.split("/").filter((part) => part && !part.startsWith("{")).length;
  const best = Math.max(...matching.map((operation) => literals(operation.template)));
  return matching
    .filter((operation) => literals(operation.template) === best)
    .map((operation) => operation.template);
}

describe.skipIf(!OPENAPI_DIR)("OpenApiCatalog.find", () => {
  it("finds for every operation's path what a scan of every operation of every file finds", async () => {
    const dir = OPENAPI_DIR as string;
    const catalog = await OpenApiCatalog.load(dir);
    const operations = specRequests(dir);
    expect(operations.length).toBeGreaterThan(500);
    const paths = operations.flatMap(({ method, template }) => [
      [method, concretePath(template)],
      [method, `${concretePath(template)}/`],
      [method, concretePath(template).replace(/^\/[^/]+/, "/other")],
    ]);
    for (const [method, path] of paths) {
      const found = catalog.find(method as string, path as string).map((operation) => operation.template);
      expect(found.sort(), `${method} ${path}`).toEqual(
        scanned(operations, method as string, path as string).sort(),
      );
    }
  });
});
