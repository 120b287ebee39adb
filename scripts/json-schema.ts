/**
 * Writes the editor JSON Schemas under schema/ from the zod schemas in src/config.
 *
 *   npm run schema
 */
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { JSON_SCHEMAS } from "../src/config/json-schema.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
for (const [path, render] of Object.entries(JSON_SCHEMAS)) {
  writeFileSync(join(root, path), render());
  process.stdout.write(`wrote ${path}\n`);
}
