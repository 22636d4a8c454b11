/**
 * Each test file's setup, run before the file is collected, also when files share a worker's module graph
 * (isolate: false): the sandbox schema checks' hooks registered for this file, the state of the file before cleared.
 * Registered on import instead, they held only for the first file of each worker that imported sandbox.ts.
 */
import { checkSandboxSchemas } from "./sandbox.js";

checkSandboxSchemas();
