import { ConfigError } from "../errors.js";
import { ambiguousRepeat } from "./ambiguous-repeat.js";
import { configGlobMatcher, type PathMatcher } from "./config-globs.js";
import { type FieldPath, fieldText } from "./field-text.js";
import type { KeywordLeads } from "./keyword-leads.js";
import type { PatternScope } from "./pattern-scope.js";
import type { RegexReach } from "./regex-reach.js";
import type { RuleDetails } from "./rule-details.js";
import type { RawRule } from "./rule-schema.js";
import { resolveSecretGroup, type SecretGroup } from "./secret-group.js";

/** Where a rule came from: built-in rules may verify and revoke, a repository's config may not. */
export interface RuleOrigin {
  readonly file: string;
  readonly builtin: boolean;
  /** 1-based line of the rule's entry in the file, for messages. */
  readonly line?: number;
  /** The line of one of the rule's fields (a path inside the rule's entry), when read from YAML. */
  readonly fieldLine?: (path: FieldPath) => number | undefined;
}

/** `file:line` of a rule's entry, or the file alone when the line is not known. */
export function originText(source: RuleOrigin): string {
  return `${source.file}${source.line ? `:${source.line}` : ""}`;
}

/**
 * `file:line: rule id field name`, the start of every message about one field of a rule: the
 * line is the field's when it is known, else the rule's.
 */
function fieldWhere(source: RuleOrigin, id: string, field: FieldPath): string {
  const line = source.fieldLine?.(field) ?? source.line;
  return `${source.file}${line ? `:${line}` : ""}: rule ${id} field ${fieldText(field)}`;
}

export type { PathMatcher };

export interface CompiledAllow {
  readonly secrets: readonly RegExp[];
  readonly lines: readonly RegExp[];
  /** Lowercased. */
  readonly stopwords: readonly string[];
  readonly paths?: PathMatcher;
  readonly commits: readonly string[];
}

/** A checked rule ready for the hot path: every regex and matcher is built once, here. */
export interface CompiledRule {
  readonly id: string;
  readonly title: string;
  readonly provider: string;
  readonly severity: RawRule["severity"];
  readonly tags: readonly string[];
  /** Global, with indices (`gd` + the rule's flags). Reset lastIndex before each use. */
  readonly regex: RegExp;
  /** The same regex sticky (`yd`): tried at one position, set by lastIndex. */
  readonly stickyRegex: RegExp;
  /** Group holding the secret (a name or a 1-based index), or undefined for the whole match. */
  readonly secretGroup: SecretGroup;
  /** Lowercased; empty means the rule runs on every fragment. */
  readonly keywords: readonly string[];
  readonly entropy: number | undefined;
  readonly allow: CompiledAllow;
  readonly includePaths?: PathMatcher;
  readonly excludePaths?: PathMatcher;
  readonly requires: RawRule["requires"];
  readonly report: boolean;
  readonly checksum: RawRule["checksum"];
  readonly placeholderCheck: boolean;
  /**
   * How far around a keyword the regex reads, so it can run on windows around keyword hits;
   * undefined runs it on the whole text.
   */
  readonly reach: RegexReach | undefined;
  /**
   * Where matches start before each keyword they hold, so the regex is tried only there;
   * undefined when the pattern does not tell (see keyword-leads.ts).
   */
  readonly leads: KeywordLeads | undefined;
  readonly remediation: string;
  readonly raw: RawRule;
  readonly source: RuleOrigin;
}

export const EMPTY_ALLOW: CompiledAllow = { secrets: [], lines: [], stopwords: [], commits: [] };

/** Compiles a regex from a rule or config file, naming the place at fault when it is invalid. */
export function compileRegex(source: string, flags: string, where: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (error) {
    const reason =
      error instanceof Error
        ? error.message.replace(/^Invalid regular expression: /, "")
        : String(error);
    // One line, whatever the pattern holds (a YAML block scalar keeps its line breaks).
    const oneLine = reason.replace(/\r?\n/g, "\\n");
    throw new ConfigError(`${where}: invalid regular expression: ${oneLine}`);
  }
}

/**
 * An allowlist's regex: it runs on every finding's secret or line, as a rule's pattern runs,
 * so one from a user's file is refused when it repeats a repeat.
 */
function compileAllowRegex(source: string, where: string, isUsers: boolean): RegExp {
  const regex = compileRegex(source, "", where);
  if (isUsers) refuseAmbiguousRepeat(source, "", where);
  return regex;
}

/**
 * `where` names a field of the allowlist's owner (a rule, or the config) for messages;
 * `isUsers`: it comes from a config or rule file of the user's (built-in rules are checked
 * by their own examples).
 */
export function compileAllow(
  allow: RawRule["allow"] | undefined,
  where: (field: FieldPath) => string,
  isUsers = false,
): CompiledAllow {
  if (!allow) return EMPTY_ALLOW;
  return {
    secrets: (allow.secrets ?? []).map((s, i) =>
      compileAllowRegex(s, where(["allow", "secrets", i]), isUsers),
    ),
    lines: (allow.lines ?? []).map((s, i) =>
      compileAllowRegex(s, where(["allow", "lines", i]), isUsers),
    ),
    stopwords: (allow.stopwords ?? []).map((s) => s.toLowerCase()),
    paths: configGlobMatcher(allow.paths),
    commits: allow.commits ?? [],
  };
}

/**
 * Refuses a regex from a rule or config file that repeats a repeat (see ambiguous-repeat.ts):
 * the engine would take exponential time on a line that almost matches, and the scan hang.
 */
function refuseAmbiguousRepeat(source: string, flags: string, where: string): void {
  const repeat = ambiguousRepeat(source, flags);
  if (repeat === undefined) return;
  throw new ConfigError(
    `${where}: ${repeat} repeats a repeat: a line that almost matches takes exponential time to reject, and the scan would hang; repeat once (write (a+)+ as a+)`,
  );
}

/** Flags a pattern may carry; the schema admits only i, m, s and u, but each may come twice. */
function checkFlags(flags: string, where: string): void {
  try {
    new RegExp("", flags);
  } catch {
    throw new ConfigError(`${where}: "${flags}" repeats a flag (write each of i, m, s, u once)`);
  }
}

export interface CompileRuleOptions {
  /**
   * The rule was checked when it was built (dist/rules.json): its regexes and matchers are then
   * compiled on first use, so start-up only pays for the rules a scan actually runs.
   */
  readonly prevalidated?: boolean;
  /** Works out a rule's scope when its source does not bring one (see pattern-scope.ts). */
  readonly scopeOf?: (raw: RawRule) => PatternScope;
}

/** A rule as read from a file, with its scope when the build already worked it out. */
export interface RuleSource {
  readonly raw: RawRule;
  readonly source: RuleOrigin;
  readonly scope?: PatternScope;
  /**
   * For a built rule stored without its details (see rule-details.ts): reads them. `raw` then
   * holds every field once `rule.raw` is first read, which no scan does.
   */
  readonly details?: () => RuleDetails | undefined;
}

export function compileRule(
  raw: RawRule,
  source: RuleOrigin,
  options: CompileRuleOptions = {},
  scope: PatternScope = options.scopeOf?.(raw) ?? {},
  details?: RuleSource["details"],
): CompiledRule {
  const where = (field: FieldPath) => fieldWhere(source, raw.id, field);
  const pattern = scope.pattern ?? raw.pattern;
  const buildRegex = (mode: "g" | "y") =>
    compileRegex(pattern, `${mode}d${raw.flags ?? ""}`, where(["pattern"]));
  let regex: RegExp | undefined;
  let stickyRegex: RegExp | undefined;
  let allow: CompiledAllow | undefined;
  let includePaths: PathMatcher | undefined | null = null;
  let excludePaths: PathMatcher | undefined | null = null;
  let whole: RawRule | undefined = details ? undefined : raw;
  if (!options.prevalidated) {
    if (raw.flags) checkFlags(raw.flags, where(["flags"]));
    regex = buildRegex("g");
    if (!source.builtin) refuseAmbiguousRepeat(raw.pattern, raw.flags ?? "", where(["pattern"]));
    if (new RegExp(raw.pattern, raw.flags ?? "").test("")) {
      throw new ConfigError(
        `${where(["pattern"])}: matches the empty string, so it would match everywhere`,
      );
    }
    allow = compileAllow(raw.allow, where, !source.builtin);
  }
  const secretGroup = resolveSecretGroup(
    raw.pattern,
    regex,
    raw.secretGroup,
    where(["secretGroup"]),
  );
  return {
    id: raw.id,
    title: raw.title,
    provider: raw.provider,
    severity: raw.severity,
    tags: raw.tags,
    get regex() {
      regex ??= buildRegex("g");
      return regex;
    },
    get stickyRegex() {
      stickyRegex ??= buildRegex("y");
      return stickyRegex;
    },
    secretGroup,
    keywords: raw.keywords.map((k) => k.toLowerCase()),
    entropy: raw.entropy,
    get allow() {
      allow ??= compileAllow(raw.allow, where);
      return allow;
    },
    get includePaths() {
      if (includePaths === null) includePaths = configGlobMatcher(raw.paths?.include);
      return includePaths;
    },
    get excludePaths() {
      if (excludePaths === null) excludePaths = configGlobMatcher(raw.paths?.exclude);
      return excludePaths;
    },
    requires: raw.requires,
    report: raw.report,
    checksum: raw.checksum,
    placeholderCheck: raw.placeholderCheck,
    reach: scope.reach,
    leads: scope.leads,
    remediation: raw.remediation,
    get raw() {
      whole ??= { ...raw, ...details?.() };
      return whole;
    },
    source,
  };
}

/** Throws when two rules share an id, naming both files. */
export function assertUniqueIds(rules: readonly CompiledRule[]): void {
  const ids = new Map<string, CompiledRule>();
  for (const rule of rules) {
    const earlier = ids.get(rule.id);
    if (earlier) {
      throw new ConfigError(
        `${fieldWhere(rule.source, rule.id, ["id"])}: duplicate of the rule in ${earlier.source.file} (disable the other one first)`,
      );
    }
    ids.set(rule.id, rule);
  }
}

/** Compiles a whole rule set and checks what only the set can tell: unique ids, known companions. */
export function compileRules(
  rules: readonly RuleSource[],
  knownIds: ReadonlySet<string> = new Set(),
  options: CompileRuleOptions = {},
): CompiledRule[] {
  const compiled = rules.map(({ raw, source, scope, details }) =>
    compileRule(raw, source, options, scope, details),
  );
  assertUniqueIds(compiled);
  const ids = new Set([...knownIds, ...compiled.map((rule) => rule.id)]);
  for (const rule of compiled) {
    if (rule.requires && !ids.has(rule.requires.rule)) {
      throw new ConfigError(
        `${fieldWhere(rule.source, rule.id, ["requires", "rule"])}: no rule with id "${rule.requires.rule}"`,
      );
    }
  }
  return compiled;
}
