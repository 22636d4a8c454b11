/**
 * The whole CRM write suite once more with `api_version: "legacy"` (the numbered /crm/v3 paths), for portals and
 * proxies that still need them: same behaviour, other paths.
 */
process.env.TEST_API_VERSION = "legacy";
await import("./write-crm.test.js");
