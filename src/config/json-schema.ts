import * as z from "../zod-mini.js";
import { configSchema } from "./config-schema.js";
import { ruleFileSchema } from "./rule-schema.js";

/**
 * JSON Schemas for editors (yaml-language-server, VS Code), generated from the one zod schema
 * the loader validates with, so the two cannot drift; a test fails when schema/ is stale.
 */
function toJsonSchema(schema: z.ZodMiniType, title: string, id: string): string {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return `${JSON.stringify({ $id: id, title, ...json }, null, 2)}\n`;
}

export const JSON_SCHEMAS = {
  "schema/rules.schema.json": () =>
    toJsonSchema(
      ruleFileSchema,
      "keywarden rule file (rules/*.yaml)",
      "https://keywarden.dev/schema/rules.schema.json",
    ),
  "schema/config.schema.json": () =>
    toJsonSchema(
      configSchema,
      "keywarden config (.keywarden.yaml)",
      "https://keywarden.dev/schema/config.schema.json",
    ),
} as const;
