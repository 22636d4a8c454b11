/** Each integration test file's setup: the protocol validator the global setup compiled, ready before its tests. */
import { preloadValidator } from "./protocol-schema.js";

await preloadValidator();
