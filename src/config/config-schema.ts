import * as z from "../zod-mini.js";
import { type ParsedYaml, parseYamlWithSchema } from "./parse-yaml.js";
import { allowSchema, globSchema, ruleSchema } from "./rule-schema.js";

/** A rule in a user's config: examples and remediation are welcome but not required. */
const configRuleSchema = z.extend(ruleSchema, {
  remediation: z._default(
    z.nonEmptyString(),
    "Rotate the secret and load it from the environment instead.",
  ),
  examples: z.optional(ruleSchema.shape.examples),
});

/** A size in bytes or with a unit; 0 is no limit (see parseSize). */
const sizeSchema = z.union([
  z.int().check(z.minimum(0)),
  z
    .string()
    .check(
      z.regex(
        /^\d+(?:\.\d+)?\s*(?:[kKmMgG]i?[bB]?|[bB])?$/,
        'a size such as 1048576, "500KB" or "10MB" (0: no limit)',
      ),
    ),
]);

export const configSchema = z.strictObject({
  /** False: only the rules below, none of the built-in ones. */
  useDefault: z._default(z.boolean(), true),
  /** Rule ids to switch off. */
  disable: z._default(z.array(z.string()), []),
  /** Extra rules. */
  rules: z._default(z.array(configRuleSchema), []),
  /** Allowlist applied to every rule. */
  allow: z.optional(allowSchema),
  /** Path globs that are not scanned at all (in addition to .gitignore). */
  exclude: z._default(z.array(globSchema), []),
  maxFileSize: z.optional(sizeSchema),
  /**
   * Layers of encoding (base64, percent-encoding, `\|`, `\/`, `\uXXXX`) to look through; 0 turns
   * decoding off.
   */
  decodeDepth: z._default(z.int().check(z.minimum(0), z.maximum(3)), 1),
});

export type UserConfig = z.infer<typeof configSchema>;

export function parseConfigText(text: string, file: string): ParsedYaml<UserConfig> {
  return parseYamlWithSchema(text, file, configSchema);
}
