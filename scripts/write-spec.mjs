// Regenerates spec/spec.json from the zod config schema (via the built dist/config/spec.js). Run: npm run spec
import { writeFile } from "node:fs/promises";
import { buildSpecification } from "../dist/config/spec.js";

const target = new URL("../spec/spec.json", import.meta.url);
await writeFile(target, `${JSON.stringify(buildSpecification(), null, 2)}\n`);
console.error(`wrote ${target.pathname}`);
