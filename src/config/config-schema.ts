import { z } from "zod";
import { type ParsedYaml, parseYamlWithSchema } from "./parse-yaml.js";
import { allowSchema, ruleSchema } from "./rule-schema.js";

/** A rule in a user's config: examples and remediation are welcome but not required. */
const configRuleSchema = ruleSchema.extend({
  remediation: z
    .string()
    .min(1)
    .default("Rotate the secret and load it from the environment instead."),
  examples: ruleSchema.shape.examples.optional(),
});

const sizeSchema = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(
      /^\d+(?:\.\d+)?\s*(?:[kKmMgG]i?[bB]?|[bB])?$/,
      'a size such as 1048576, "500KB" or "10MB"',
    ),
]);

export const configSchema = z.strictObject({
  /** False: only the rules below, none of the built-in ones. */
  useDefault: z.boolean().default(true),
  /** Rule ids to switch off. */
  disable: z.array(z.string()).default([]),
  /** Extra rules. */
  rules: z.array(configRuleSchema).default([]),
  /** Allowlist applied to every rule. */
  allow: allowSchema.optional(),
  /** Path globs that are not scanned at all (in addition to .gitignore). */
  exclude: z.array(z.string().min(1)).default([]),
  maxFileSize: sizeSchema.optional(),
  /** Layers of base64 to look through; 0 turns decoding off. */
  decodeDepth: z.number().int().min(0).max(3).default(1),
});

export type UserConfig = z.infer<typeof configSchema>;

export function parseConfigText(text: string, file: string): ParsedYaml<UserConfig> {
  return parseYamlWithSchema(text, file, configSchema);
}
