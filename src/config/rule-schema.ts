import { z } from "zod";

/**
 * The one schema for rule files (rules/*.yaml and the `rules:` of a user config). Raw rules as
 * written; compile-rules.ts turns them into CompiledRule for the engine.
 */

const regexSource = z.string().min(1);
const glob = z.string().min(1);

export const severitySchema = z.enum(["critical", "high", "medium", "low", "info"]);

/** `{ text, secret?, metadata? }`, or a plain string. Templates: see example-template.ts. */
const matchExampleSchema = z.union([
  z.string().min(1),
  z.strictObject({
    text: z.string().min(1),
    /** Expected secret (template allowed); default: the span marked [[...]] in text, if any. */
    secret: z.string().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    /** File path the example is scanned as (for rules with `paths`). */
    path: z.string().optional(),
  }),
]);

const nomatchExampleSchema = z.union([
  z.string().min(1),
  z.strictObject({ text: z.string().min(1), path: z.string().optional() }),
]);

export const allowSchema = z.strictObject({
  /** Regexes tested against the secret. */
  secrets: z.array(regexSource).optional(),
  /** Regexes tested against the whole line holding the match. */
  lines: z.array(regexSource).optional(),
  /** Case-insensitive substrings: a secret containing one is not reported. */
  stopwords: z.array(z.string().min(1)).optional(),
  /** Path globs where the rule does not report. */
  paths: z.array(glob).optional(),
  /** Commits (full or abbreviated sha) whose content is not reported. */
  commits: z.array(z.string().min(4)).optional(),
});

/** Which response means what. Status lists are checked in this order: body rules first. */
export const verifySpecSchema = z.strictObject({
  /** Name used by `--endpoint NAME=URL` and KEYWARDEN_ENDPOINT_<NAME> to override `base`. */
  service: z.string().regex(/^[a-z0-9-]+$/),
  /** Built-in base URL (scheme + host [+ path prefix]). Omitted for self-hosted services. */
  base: z.string().url().optional(),
  method: z.enum(["GET", "POST", "HEAD"]).default("GET"),
  /** Path appended to the base; `{{secret}}` and `{{<group>}}` are substituted (URL-encoded). */
  path: z.string().startsWith("/"),
  headers: z.record(z.string(), z.string()).optional(),
  /** Request body; `{{secret}}` / `{{<group>}}` substituted (JSON-escaped when json is true). */
  body: z.string().optional(),
  json: z.boolean().optional(),
  form: z.record(z.string(), z.string()).optional(),
  live: z.array(z.number().int()).default([200]),
  restricted: z.array(z.number().int()).default([]),
  invalid: z.array(z.number().int()).default([401, 403]),
  rateLimited: z.array(z.number().int()).default([429]),
  /** Body checks for providers that answer 200 to everything (a JSON field and its value). */
  bodyRules: z
    .array(
      z.strictObject({
        status: z.number().int().optional(),
        field: z.string().optional(),
        equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
        contains: z.string().optional(),
        result: z.enum(["live", "live-restricted", "invalid", "rate-limited", "unknown"]),
      }),
    )
    .optional(),
});

export const verifySchema = z.union([
  verifySpecSchema,
  /** A verifier written in code (src/verify/custom/<name>.ts), for signing or two-part keys. */
  z.strictObject({ custom: z.string().min(1), service: z.string().regex(/^[a-z0-9-]+$/) }),
]);

export const revokeSchema = z.strictObject({
  mechanism: z.enum(["self", "admin", "github", "manual"]),
  /** Code revoker name (src/revoke/<name>.ts); not needed for manual. */
  revoker: z.string().optional(),
  /** Where a person revokes the key by hand (always given: the fallback when the API fails). */
  dashboard: z.string().url().optional(),
  steps: z.string().optional(),
  /** Environment variable holding the admin credential, for mechanism admin. */
  credentialEnv: z.string().optional(),
});

export const ruleSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lowercase words joined by single hyphens"),
  title: z.string().min(1),
  provider: z.string().min(1),
  severity: severitySchema.default("high"),
  tags: z.array(z.string()).default([]),
  description: z.string().optional(),
  /** JavaScript regular expression source. */
  pattern: regexSource,
  /** RegExp flags among i, m, s, u (g and d are added by the compiler). */
  flags: z
    .string()
    .regex(/^[imsu]*$/, "may only hold i, m, s, u")
    .optional(),
  /** Named group holding the secret; default `secret` when the pattern has it, else the match. */
  secretGroup: z.string().optional(),
  /**
   * Literal substrings (case-insensitive), one of which must occur for the rule to run. An empty
   * list makes the rule run on every fragment: say why in `description`.
   */
  keywords: z.array(
    z
      .string()
      .min(
        3,
        "must be at least 3 characters: shorter keywords occur everywhere and defeat the prefilter",
      )
      .regex(/^[\x20-\x7e\t\n]+$/, "must be printable ASCII (tab and newline allowed)"),
  ),
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy: z.number().min(0).max(8).optional(),
  allow: allowSchema.optional(),
  paths: z
    .strictObject({ include: z.array(glob).optional(), exclude: z.array(glob).optional() })
    .optional(),
  /** Report only when a finding of another rule lies within `within` lines. */
  requires: z
    .strictObject({ rule: z.string(), within: z.number().int().min(0).max(50) })
    .optional(),
  /** False for helper rules that only serve as another rule's `requires` companion. */
  report: z.boolean().default(true),
  /** Format checksum that raises confidence (never drops a finding). */
  checksum: z.enum(["github-crc32"]).optional(),
  /** Skip the built-in placeholder heuristics (for formats where they would misfire). */
  placeholderCheck: z.boolean().default(true),
  verify: verifySchema.optional(),
  revoke: revokeSchema.optional(),
  /** One line: what to do when this key leaks. */
  remediation: z.string().min(1),
  examples: z.strictObject({
    match: z.array(matchExampleSchema).min(1, "needs at least one example that must match"),
    nomatch: z.array(nomatchExampleSchema).min(1, "needs at least one example that must not match"),
  }),
});

export const ruleFileSchema = z.strictObject({
  rules: z.array(ruleSchema).min(1),
});

export type RawRule = z.infer<typeof ruleSchema>;
export type RawRuleInput = z.input<typeof ruleSchema>;
export type RuleFile = z.infer<typeof ruleFileSchema>;
export type VerifySpec = z.infer<typeof verifySpecSchema>;
export type VerifyConfig = z.infer<typeof verifySchema>;
export type RevokeConfig = z.infer<typeof revokeSchema>;
export type AllowConfig = z.infer<typeof allowSchema>;
export type MatchExample = z.infer<typeof matchExampleSchema>;
export type NomatchExample = z.infer<typeof nomatchExampleSchema>;
