import * as z from "../zod-mini.js";
import { GLOB_CHECKS } from "./config-globs.js";

/**
 * The one schema for rule files (rules/*.yaml and the `rules:` of a user config). Raw rules as
 * written; compile-rules.ts turns them into CompiledRule for the engine.
 */

const nonEmpty = z.nonEmptyString;
const regexSource = nonEmpty();
/** A path glob, read as config-globs.ts says; what it cannot honour is refused at its line. */
export const globSchema = nonEmpty().check(
  ...GLOB_CHECKS.map((check) => z.refine<string>(check.accepts, check.message)),
);

export const severitySchema = z.enum(["critical", "high", "medium", "low", "info"]);

/** `{ text, secret?, metadata? }`, or a plain string. Templates: see example-template.ts. */
const matchExampleSchema = z.union([
  nonEmpty(),
  z.strictObject({
    text: nonEmpty(),
    /** Expected secret (template allowed); default: the span marked [[...]] in text, if any. */
    secret: z.optional(z.string()),
    metadata: z.optional(z.record(z.string(), z.string())),
    /** File path the example is scanned as (for rules with `paths`). */
    path: z.optional(z.string()),
  }),
]);

const nomatchExampleSchema = z.union([
  nonEmpty(),
  z.strictObject({ text: nonEmpty(), path: z.optional(z.string()) }),
]);

export const allowSchema = z.strictObject({
  /** Regexes tested against the secret. */
  secrets: z.optional(z.array(regexSource)),
  /** Regexes tested against the whole line holding the match. */
  lines: z.optional(z.array(regexSource)),
  /** Case-insensitive substrings: a secret containing one is not reported. */
  stopwords: z.optional(z.array(nonEmpty())),
  /** Path globs where the rule does not report. */
  paths: z.optional(z.array(globSchema)),
  /** Commits (full or abbreviated sha) whose content is not reported. */
  commits: z.optional(z.array(z.string().check(z.minLength(4)))),
});

/** A service's name, as `--endpoint NAME=URL` writes it. */
const serviceName = () => z.string().check(z.regex(/^[a-z0-9-]+$/));

/** Which response means what. Status lists are checked in this order: body rules first. */
export const verifySpecSchema = z.strictObject({
  /** Name used by `--endpoint NAME=URL` and KEYWARDEN_ENDPOINT_<NAME> to override `base`. */
  service: serviceName(),
  /** Built-in base URL (scheme + host [+ path prefix]). Omitted for self-hosted services. */
  base: z.optional(z.url()),
  method: z._default(z.enum(["GET", "POST", "HEAD"]), "GET"),
  /** Path appended to the base; `{{secret}}` and `{{<group>}}` are substituted (URL-encoded). */
  path: z.string().check(z.startsWith("/")),
  headers: z.optional(z.record(z.string(), z.string())),
  /** Request body; `{{secret}}` / `{{<group>}}` substituted (JSON-escaped when json is true). */
  body: z.optional(z.string()),
  json: z.optional(z.boolean()),
  form: z.optional(z.record(z.string(), z.string())),
  live: z._default(z.array(z.int()), [200]),
  restricted: z._default(z.array(z.int()), []),
  invalid: z._default(z.array(z.int()), [401, 403]),
  rateLimited: z._default(z.array(z.int()), [429]),
  /** Body checks for providers that answer 200 to everything (a JSON field and its value). */
  bodyRules: z.optional(
    z.array(
      z.strictObject({
        status: z.optional(z.int()),
        field: z.optional(z.string()),
        equals: z.optional(z.union([z.string(), z.number(), z.boolean()])),
        contains: z.optional(z.string()),
        result: z.enum(["live", "live-restricted", "invalid", "rate-limited", "unknown"]),
      }),
    ),
  ),
});

export const verifySchema = z.union([
  verifySpecSchema,
  /** A verifier written in code (src/verify/custom/<name>.ts), for signing or two-part keys. */
  z.strictObject({ custom: nonEmpty(), service: serviceName() }),
]);

export const revokeSchema = z.strictObject({
  mechanism: z.enum(["self", "admin", "github", "manual"]),
  /** Code revoker name (src/revoke/<name>.ts); not needed for manual. */
  revoker: z.optional(z.string()),
  /** Where a person revokes the key by hand (always given: the fallback when the API fails). */
  dashboard: z.optional(z.url()),
  steps: z.optional(z.string()),
  /** Environment variable holding the admin credential, for mechanism admin. */
  credentialEnv: z.optional(z.string()),
});

export const ruleSchema = z.strictObject({
  id: z
    .string()
    .check(
      z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lowercase words joined by single hyphens"),
    ),
  title: nonEmpty(),
  provider: nonEmpty(),
  severity: z._default(severitySchema, "high"),
  tags: z._default(z.array(z.string()), []),
  description: z.optional(z.string()),
  /** JavaScript regular expression source. */
  pattern: regexSource,
  /** RegExp flags among i, m, s, u (g and d are added by the compiler). */
  flags: z.optional(z.string().check(z.regex(/^[imsu]*$/, "may only hold i, m, s, u"))),
  /**
   * Group holding the secret: a group's name, or the 1-based index of a capturing group (as
   * gitleaks writes it); default `secret` when the pattern has it, else the whole match.
   */
  secretGroup: z.optional(z.union([z.string(), z.int()])),
  /**
   * Literal substrings (case-insensitive), one of which must occur for the rule to run. An empty
   * list makes the rule run on every fragment: say why in `description`.
   */
  keywords: z.array(
    z
      .string()
      .check(
        z.minLength(
          3,
          "must be at least 3 characters: shorter keywords occur everywhere and defeat the prefilter",
        ),
        z.regex(/^[\x20-\x7e\t\n]+$/, "must be printable ASCII (tab and newline allowed)"),
      ),
  ),
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy: z.optional(z.number().check(z.minimum(0), z.maximum(8))),
  allow: z.optional(allowSchema),
  paths: z.optional(
    z.strictObject({
      include: z.optional(z.array(globSchema)),
      exclude: z.optional(z.array(globSchema)),
    }),
  ),
  /** Report only when a finding of another rule lies within `within` lines. */
  requires: z.optional(
    z.strictObject({ rule: z.string(), within: z.int().check(z.minimum(0), z.maximum(50)) }),
  ),
  /** False for helper rules that only serve as another rule's `requires` companion. */
  report: z._default(z.boolean(), true),
  /** Format checksum that raises confidence (never drops a finding). */
  checksum: z.optional(z.enum(["github-crc32"])),
  /** Skip the built-in placeholder heuristics (for formats where they would misfire). */
  placeholderCheck: z._default(z.boolean(), true),
  verify: z.optional(verifySchema),
  revoke: z.optional(revokeSchema),
  /** One line: what to do when this key leaks. */
  remediation: nonEmpty(),
  examples: z.strictObject({
    match: z
      .array(matchExampleSchema)
      .check(z.minLength(1, "needs at least one example that must match")),
    nomatch: z
      .array(nomatchExampleSchema)
      .check(z.minLength(1, "needs at least one example that must not match")),
  }),
});

export const ruleFileSchema = z.strictObject({
  rules: z.array(ruleSchema).check(z.minLength(1)),
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
