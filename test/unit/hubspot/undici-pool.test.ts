import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const MODULE = fileURLToPath(new URL("../../../src/hubspot/undici-pool.ts", import.meta.url));

// In a process of its own: this worker may have loaded undici's index already (other files do), which would hide
// a Pool without its methods.
const PROBE = `
import { createRequire } from "node:module";
const { Pool } = await import(${JSON.stringify(MODULE)});
const require = createRequire(${JSON.stringify(MODULE)});
const alone = {
  request: typeof Pool.prototype.request,
  stream: typeof Pool.prototype.stream,
  indexLoaded: Object.keys(require.cache).some((path) => path.endsWith("/undici/index.js")),
};
const undici = require("undici");
console.log(JSON.stringify({
  ...alone,
  same: Pool === undici.Pool,
  sameRequest: Pool.prototype.request === undici.Dispatcher.prototype.request,
}));
`;

describe("undici's Pool loaded alone", () => {
  it("is the class undici exports, with the methods its index gives dispatchers, without loading the index", () => {
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", PROBE], { encoding: "utf8" });
    expect(JSON.parse(output)).toEqual({
      request: "function",
      stream: "function",
      indexLoaded: false,
      same: true,
      sameRequest: true,
    });
  });
});
