/**
 * undici's Pool, loaded alone. `import { Pool } from "undici"` loads the whole package (fetch, WebSocket, caches,
 * mock agents, HTTP/2: about 110 modules), some 0.1 s of CPU at every start of the CLI, which uses only the Pool.
 * The package's index also gives every dispatcher its `request`, `stream`, … methods (lib/api): done here the
 * same way. A unit test (test/unit/hubspot/undici-pool.test.ts) checks, in a process of its own, that this is the
 * very class undici exports, with `request`, and that the package's index is not loaded; an upgrade that moves
 * these files fails there rather than in a run.
 */
import { createRequire } from "node:module";
import type { Pool as UndiciPool } from "undici";

const require = createRequire(import.meta.url);

const Dispatcher = require("undici/lib/dispatcher/dispatcher.js") as { prototype: object };
Object.assign(Dispatcher.prototype, require("undici/lib/api/index.js"));

export const Pool = require("undici/lib/dispatcher/pool.js") as typeof UndiciPool;
export type Pool = UndiciPool;
