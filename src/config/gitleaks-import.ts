import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { Document } from "yaml";
import { ConfigError } from "../errors.js";
import * as z from "../zod-mini.js";
import { compileRule } from "./compile-rules.js";
import { configSchema } from "./config-schema.js";
import { fieldText, issueFieldPath } from "./field-text.js";
import { BUILTIN_EQUIVALENTS, builtinEquivalents, keywardenRuleId } from "./gitleaks-rule-ids.js";
import { keywordCanOccur } from "./keyword-can-occur.js";
import { keywordLeads } from "./keyword-leads.js";
import { type PathRegexError, pathRegexToGlobs } from "./path-regex-to-glob.js";
import type { AllowConfig } from "./rule-schema.js";
import { Re2Error, translateRe2 } from "./translate-re2.js";

/**
 * `keywarden import gitleaks`: a gitleaks TOML config (rules, allowlists in the old and new
 * forms, `[extend]` with useDefault / path / disabledRules) as a .keywarden.yaml. What has no
 * keywarden form is listed in `notes` and left out, never silently changed: a rule that cannot be
 * translated is dropped, an allowlist that would hide more than in gitleaks is dropped, a path
 * filter that cannot be a glob is dropped (the rule then looks everywhere).
 */

// ---------------------------------------------------------------------------------------------
// The gitleaks config as written (gitleaks v8), checked loosely: unknown fields become notes.

const allowlistSchema = z.object({
  description: z.optional(z.string()),
  condition: z.optional(z.string()),
  regexTarget: z.optional(z.string()),
  regexes: z.optional(z.array(z.string())),
  paths: z.optional(z.array(z.string())),
  commits: z.optional(z.array(z.string())),
  stopwords: z.optional(z.array(z.string())),
  targetRules: z.optional(z.array(z.string())),
});

const requiredSchema = z.object({
  id: z.string(),
  withinLines: z.optional(z.int()),
  withinColumns: z.optional(z.int()),
});

const ruleSchema = z.object({
  id: z.optional(z.string()),
  description: z.optional(z.string()),
  regex: z.optional(z.string()),
  path: z.optional(z.string()),
  secretGroup: z.optional(z.int()),
  entropy: z.optional(z.number()),
  keywords: z.optional(z.array(z.string())),
  tags: z.optional(z.array(z.string())),
  allowlist: z.optional(allowlistSchema),
  allowlists: z.optional(z.array(allowlistSchema)),
  required: z.optional(z.array(requiredSchema)),
  skipReport: z.optional(z.boolean()),
});

const gitleaksSchema = z.object({
  title: z.optional(z.string()),
  description: z.optional(z.string()),
  minVersion: z.optional(z.string()),
  extend: z.optional(
    z.object({
      useDefault: z.optional(z.boolean()),
      path: z.optional(z.string()),
      url: z.optional(z.string()),
      disabledRules: z.optional(z.array(z.string())),
    }),
  ),
  rules: z.optional(z.array(ruleSchema)),
  allowlist: z.optional(allowlistSchema),
  allowlists: z.optional(z.array(allowlistSchema)),
});

type GitleaksAllowlist = z.infer<typeof allowlistSchema>;
type GitleaksRule = z.infer<typeof ruleSchema>;
type GitleaksConfig = z.infer<typeof gitleaksSchema>;

const KNOWN_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  config: new Set(Object.keys(gitleaksSchema.shape)),
  rule: new Set(Object.keys(ruleSchema.shape)),
  allowlist: new Set(Object.keys(allowlistSchema.shape)),
};

/** gitleaks stops following `[extend] path` after this many levels. */
const MAX_EXTEND_DEPTH = 2;

// ---------------------------------------------------------------------------------------------

export interface ImportOptions {
  /** The config file as given (shown in messages and the YAML header). */
  readonly file: string;
  readonly text: string;
  /** Absolute path of the file, to resolve `[extend] path`. */
  readonly absolutePath: string;
  readonly cwd: string;
  /** Reads an extended config; undefined when it does not exist. */
  readonly readFile: (absolutePath: string) => string | undefined;
  /** Ids of keywarden's built-in rules (for `[extend] useDefault` and disabledRules). */
  readonly builtinRuleIds: ReadonlySet<string>;
}

export interface ImportResult {
  readonly yaml: string;
  /** Everything not converted, or converted only approximately. */
  readonly notes: readonly string[];
  readonly rulesConverted: number;
  readonly rulesSkipped: number;
}

/** A rule after `[extend]` merging, with where it came from. */
interface MergedRule extends GitleaksRule {
  readonly id: string;
  readonly origin: string;
  allowlistsAll: GitleaksAllowlist[];
}

interface MergedConfig {
  useDefault: boolean;
  disabledRules: string[];
  rules: Map<string, MergedRule>;
  globalAllowlists: { list: GitleaksAllowlist; origin: string }[];
}

function unknownKeys(
  value: unknown,
  kind: keyof typeof KNOWN_KEYS,
  where: string,
  notes: string[],
): void {
  if (typeof value !== "object" || value === null) return;
  for (const key of Object.keys(value)) {
    if (!KNOWN_KEYS[kind]!.has(key))
      notes.push(`${where}: field ${key} is not a gitleaks field; ignored`);
  }
}

function parseGitleaks(text: string, file: string, notes: string[]): GitleaksConfig {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) {
      throw new ConfigError(
        `${file}:${error.line}:${error.column}: not valid TOML: ${error.message.split("\n")[0]}`,
        file,
      );
    }
    throw new ConfigError(`${file}: not valid TOML: ${(error as Error).message}`, file);
  }
  const parsed = gitleaksSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(
      `${file}: field ${fieldText(issueFieldPath(issue.path))}: ${issue.message}`,
      file,
    );
  }
  const data = raw as Record<string, unknown>;
  unknownKeys(data, "config", file, notes);
  (Array.isArray(data.rules) ? data.rules : []).forEach((rule: unknown, index: number) => {
    const where = `${file}: rules[${index}]`;
    unknownKeys(rule, "rule", where, notes);
    const r = rule as Record<string, unknown>;
    if (r.allowlist) unknownKeys(r.allowlist, "allowlist", `${where}.allowlist`, notes);
    if (Array.isArray(r.allowlists))
      r.allowlists.forEach((a, i) => {
        unknownKeys(a, "allowlist", `${where}.allowlists[${i}]`, notes);
      });
  });
  return parsed.data;
}

function ruleAllowlists(rule: GitleaksRule, where: string): GitleaksAllowlist[] {
  if (rule.allowlist && rule.allowlists) {
    throw new ConfigError(
      `${where}: both [rules.allowlist] and [[rules.allowlists]]: use only [[rules.allowlists]]`,
    );
  }
  return rule.allowlists ?? (rule.allowlist ? [rule.allowlist] : []);
}

function checkAllowlist(list: GitleaksAllowlist, where: string): void {
  const target = list.regexTarget;
  if (target !== undefined && !["secret", "match", "line"].includes(target)) {
    throw new ConfigError(`${where}: regexTarget "${target}" is not one of secret, match, line`);
  }
  const condition = list.condition?.toUpperCase();
  if (condition !== undefined && condition !== "OR" && condition !== "AND") {
    throw new ConfigError(`${where}: condition "${list.condition}" is not OR or AND`);
  }
  const empty = ![list.regexes, list.paths, list.commits, list.stopwords].some(
    (items) => items && items.length > 0,
  );
  if (empty)
    throw new ConfigError(`${where}: the allowlist has no regexes, paths, commits or stopwords`);
}

/** Where an `[extend] path` may be: beside the config, from the working directory, or above. */
function extendCandidates(path: string, configPath: string, cwd: string): string[] {
  if (isAbsolute(path)) return [path];
  const candidates = [resolve(dirname(configPath), path), resolve(cwd, path)];
  // gitleaks resolves against its working directory; configs written for a repository's root
  // also resolve from the directories above the config.
  for (let dir = dirname(dirname(configPath)); ; dir = dirname(dir)) {
    candidates.push(resolve(dir, path));
    if (dirname(dir) === dir) break;
  }
  return [...new Set(candidates)];
}

/** Loads a config and its `[extend]` chain into one merged config, as gitleaks does. */
function loadMerged(
  options: ImportOptions,
  file: string,
  absolutePath: string,
  text: string,
  depth: number,
  notes: string[],
): MergedConfig {
  const config = parseGitleaks(text, file, notes);
  const merged: MergedConfig = {
    useDefault: false,
    disabledRules: [],
    rules: new Map(),
    globalAllowlists: [],
  };

  if (config.allowlist && config.allowlists) {
    throw new ConfigError(`${file}: both [allowlist] and [[allowlists]]: use only [[allowlists]]`);
  }
  const globals = config.allowlists ?? (config.allowlist ? [config.allowlist] : []);
  globals.forEach((list, index) => {
    checkAllowlist(list, `${file}: allowlists[${index}]`);
  });

  (config.rules ?? []).forEach((rule, index) => {
    const where = `${file}: rules[${index}]`;
    if (!rule.id) throw new ConfigError(`${where}: rule has no id`);
    const lists = ruleAllowlists(rule, `${where} (${rule.id})`);
    lists.forEach((list, i) => {
      checkAllowlist(list, `${where} (${rule.id}) allowlists[${i}]`);
    });
    if (merged.rules.has(rule.id))
      notes.push(
        `${file}: rule ${rule.id} is defined twice; the later one is used (as in gitleaks)`,
      );
    merged.rules.set(rule.id, { ...rule, id: rule.id, origin: file, allowlistsAll: lists });
  });

  const extend = config.extend;
  let baseIds = new Set<string>();
  if (extend?.url)
    notes.push(
      `${file}: [extend] url is not supported (gitleaks does not support it either); ignored`,
    );
  if (extend?.useDefault) merged.useDefault = true;
  if (extend?.path) {
    if (depth >= MAX_EXTEND_DEPTH) {
      notes.push(
        `${file}: [extend] path ${extend.path} not followed: gitleaks stops at ${MAX_EXTEND_DEPTH} levels of extend`,
      );
    } else {
      const found = extendCandidates(extend.path, absolutePath, options.cwd)
        .map((candidate) => ({ candidate, text: options.readFile(candidate) }))
        .find((entry) => entry.text !== undefined);
      if (!found) throw new ConfigError(`${file}: [extend] path ${extend.path}: no such file`);
      const base = loadMerged(options, extend.path, found.candidate, found.text!, depth + 1, notes);
      mergeBase(merged, base, new Set(extend.disabledRules ?? []));
      baseIds = new Set(base.rules.keys());
    }
  }
  // Ids the extended file defined are dropped above; the rest may name built-in rules.
  for (const id of extend?.disabledRules ?? []) if (!baseIds.has(id)) merged.disabledRules.push(id);
  // Base allowlists first, then this file's: the order gitleaks uses.
  merged.globalAllowlists.push(...globals.map((list) => ({ list, origin: file })));

  // Without [extend] a rule needs a regex or a path; with it, it may change an extended rule.
  if (!extend?.path && !extend?.useDefault) {
    for (const [id, rule] of merged.rules) {
      if (!rule.regex && !rule.path)
        throw new ConfigError(`${rule.origin}: rule ${id}: has neither regex nor path`);
    }
  }
  return merged;
}

/** gitleaks' extend: base rules added unless disabled; same-id rules merged field by field. */
function mergeBase(current: MergedConfig, base: MergedConfig, disabled: ReadonlySet<string>): void {
  if (base.useDefault) current.useDefault = true;
  current.disabledRules.push(...base.disabledRules);
  const ordered = new Map<string, MergedRule>();
  for (const [id, baseRule] of base.rules) {
    if (disabled.has(id)) continue;
    const own = current.rules.get(id);
    if (!own) {
      ordered.set(id, baseRule);
      continue;
    }
    ordered.set(id, {
      ...baseRule,
      ...own,
      regex: own.regex ?? baseRule.regex,
      secretGroup: own.secretGroup || baseRule.secretGroup,
      entropy: own.entropy || baseRule.entropy,
      description: own.description || baseRule.description,
      path: own.path ?? baseRule.path,
      keywords: [...(own.keywords ?? []), ...(baseRule.keywords ?? [])],
      tags: [...(own.tags ?? []), ...(baseRule.tags ?? [])],
      allowlistsAll: [...own.allowlistsAll, ...baseRule.allowlistsAll],
    });
  }
  for (const [id, rule] of current.rules) if (!ordered.has(id)) ordered.set(id, rule);
  current.rules = ordered;
  current.globalAllowlists.unshift(...base.globalAllowlists);
}

// ---------------------------------------------------------------------------------------------
// Conversion to keywarden's config.

/** The gitleaks default rules whose work a keywarden built-in rule does. */
function gitleaksRulesDoneBy(builtinId: string): string[] {
  const ids = [...BUILTIN_EQUIVALENTS].filter(([, targets]) => targets.includes(builtinId));
  return ids.length > 0 ? ids.map(([id]) => id) : [builtinId];
}

function mergeAllow(into: AllowConfig, from: AllowConfig): AllowConfig {
  const join = (a?: string[], b?: string[]) => {
    const all = [...(a ?? []), ...(b ?? [])];
    return all.length > 0 ? [...new Set(all)] : undefined;
  };
  const out: Record<string, string[]> = {};
  for (const key of ["secrets", "lines", "stopwords", "paths", "commits"] as const) {
    const value = join(into[key], from[key]);
    if (value) out[key] = value;
  }
  return out as AllowConfig;
}

/** One gitleaks allowlist as a keywarden allow block, or undefined when it cannot be one. */
function convertAllowlist(
  list: GitleaksAllowlist,
  where: string,
  notes: string[],
): AllowConfig | undefined {
  const kinds = [list.regexes, list.paths, list.commits, list.stopwords].filter(
    (items) => items && items.length > 0,
  ).length;
  if (list.condition?.toUpperCase() === "AND" && kinds > 1) {
    // keywarden's allow entries each suffice on their own: as OR this would hide more.
    notes.push(
      `${where}: condition AND over several kinds of entries has no keywarden form; allowlist not converted`,
    );
    return undefined;
  }
  const allow: Record<string, string[]> = {};
  const target = list.regexTarget ?? "secret";
  const regexes: string[] = [];
  for (const regex of list.regexes ?? []) {
    try {
      regexes.push(translateRe2(regex, { allowFlags: false, secretGroup: 0 }).source);
    } catch (error) {
      notes.push(
        `${where}: regex ${JSON.stringify(regex)} not converted: ${(error as Error).message}`,
      );
    }
  }
  if (regexes.length > 0) {
    if (target === "match") {
      notes.push(
        `${where}: regexTarget match becomes a line regex (keywarden tests the secret or the whole line)`,
      );
    }
    allow[target === "secret" ? "secrets" : "lines"] = regexes;
  }
  const paths: string[] = [];
  for (const regex of list.paths ?? []) {
    try {
      const converted = pathRegexToGlobs(regex);
      // Globs looser than the regex would hide findings gitleaks reports: left out instead.
      if (converted.widenings.length > 0) {
        notes.push(
          `${where}: path ${JSON.stringify(regex)} not converted: ${converted.widenings.join("; ")}, which would allow more paths than gitleaks does`,
        );
        continue;
      }
      paths.push(...converted.globs);
      for (const note of converted.notes)
        notes.push(`${where}: path ${JSON.stringify(regex)}: ${note}`);
    } catch (error) {
      notes.push(
        `${where}: path ${JSON.stringify(regex)} not converted: ${(error as PathRegexError).message}`,
      );
    }
  }
  if (paths.length > 0) allow.paths = paths;
  const commits = (list.commits ?? []).filter((commit) => commit.length >= 4);
  if (commits.length < (list.commits ?? []).length)
    notes.push(`${where}: commits shorter than 4 characters dropped`);
  if (commits.length > 0) allow.commits = commits;
  if (list.stopwords && list.stopwords.length > 0)
    allow.stopwords = list.stopwords.filter((word) => word.length > 0);
  return Object.keys(allow).length > 0 ? (allow as AllowConfig) : undefined;
}

interface ConvertedRule {
  readonly raw: Record<string, unknown>;
  readonly gitleaksId: string;
}

function convertRule(
  rule: MergedRule,
  id: string,
  targetedAllow: AllowConfig | undefined,
  idMap: ReadonlyMap<string, string>,
  notes: string[],
  source: string,
): ConvertedRule | undefined {
  const where = `rule ${rule.id}`;
  if (!rule.regex) {
    notes.push(
      `${where}: ${rule.path ? "a path-only rule (reports files by name)" : "has no regex of its own"}: no keywarden form; not converted`,
    );
    return undefined;
  }
  let translated: ReturnType<typeof translateRe2>;
  try {
    translated = translateRe2(
      rule.regex,
      rule.secretGroup !== undefined && rule.secretGroup > 0
        ? { secretGroup: rule.secretGroup }
        : {},
    );
  } catch (error) {
    if (error instanceof Re2Error && /secretGroup/.test(error.message)) {
      throw new ConfigError(`${rule.origin}: ${where}: ${error.message}`);
    }
    notes.push(`${where}: regex not converted (${(error as Error).message}); rule skipped`);
    return undefined;
  }
  for (const note of translated.notes) notes.push(`${where}: ${note}`);

  const keywords = [...new Set((rule.keywords ?? []).map((k) => k.toLowerCase()))];
  // keywarden's prefilter takes keywords of 3+ printable ASCII characters.
  const usable = keywords.filter((k) => k.length >= 3 && /^[\x20-\x7e\t\n]+$/.test(k));
  if (usable.length < keywords.length) {
    notes.push(
      `${where}: keywords shorter than 3 characters or not ASCII dropped${usable.length === 0 ? " (the rule now runs on every file)" : ""}`,
    );
  }
  // gitleaks runs a rule on any file that holds one of its keywords anywhere; keywarden only as
  // far around a keyword as the regex reaches. A keyword no match can spell then finds less than
  // in gitleaks, unless the other keywords are in every match. Said, not changed: running the
  // rule on every file instead would report far more than gitleaks (a 40-hex rule, every SHA).
  const outside = usable.filter(
    (keyword) => !keywordCanOccur(translated.source, translated.flags, keyword),
  );
  const inside = usable.filter((keyword) => !outside.includes(keyword));
  if (
    outside.length > 0 &&
    (inside.length === 0 || !keywordLeads(translated.source, translated.flags, inside))
  ) {
    notes.push(
      `${where}: keywords ${outside.join(", ")} cannot occur in a match of the regex: gitleaks runs the rule on any file holding one, keywarden looks only as far around them as the regex reaches, so a match farther away is not found (add a keyword the match holds, or remove these to run the rule on every file)`,
    );
  }

  let allow: AllowConfig = {};
  rule.allowlistsAll.forEach((list, index) => {
    const converted = convertAllowlist(list, `${where} allowlists[${index}]`, notes);
    if (converted) allow = mergeAllow(allow, converted);
  });
  if (targetedAllow) allow = mergeAllow(allow, targetedAllow);

  let include: string[] | undefined;
  if (rule.path) {
    try {
      const converted = pathRegexToGlobs(rule.path);
      include = [...converted.globs];
      // A looser include only looks in more files: kept, and said.
      for (const note of [...converted.widenings, ...converted.notes])
        notes.push(`${where}: path ${JSON.stringify(rule.path)}: ${note}`);
    } catch (error) {
      notes.push(
        `${where}: path ${JSON.stringify(rule.path)} not converted (${(error as Error).message}); the rule looks in every file`,
      );
    }
  }

  let requires: { rule: string; within: number } | undefined;
  if (rule.required && rule.required.length > 0) {
    const first = rule.required[0]!;
    if (rule.required.length > 1)
      notes.push(`${where}: only the first of ${rule.required.length} required rules is kept`);
    if (first.withinColumns !== undefined)
      notes.push(`${where}: required withinColumns has no keywarden form; ignored`);
    const within = Math.min(50, first.withinLines ?? 50);
    if (first.withinLines === undefined || first.withinLines > 50) {
      notes.push(`${where}: required ${first.id} anywhere in the file becomes within 50 lines`);
    }
    const target = idMap.get(first.id);
    if (target) requires = { rule: target, within };
    else
      notes.push(`${where}: required rule ${first.id} is not in this config; requirement dropped`);
  }

  const provider = id.split("-")[0] || "custom";
  const raw: Record<string, unknown> = {
    id,
    title: rule.description || rule.id,
    provider,
    ...(rule.tags && rule.tags.length > 0 ? { tags: [...new Set(rule.tags)] } : {}),
    description: `Imported from gitleaks (${source}, rule ${rule.id}).${usable.length === 0 ? " No keywords: runs on every file, as in gitleaks." : ""}`,
    pattern: translated.source,
    ...(translated.flags ? { flags: translated.flags } : {}),
    ...(translated.secretGroup ? { secretGroup: translated.secretGroup } : {}),
    keywords: usable,
    ...(rule.entropy ? { entropy: Math.min(8, Math.max(0, rule.entropy)) } : {}),
    ...(Object.keys(allow).length > 0 ? { allow } : {}),
    ...(include ? { paths: { include } } : {}),
    ...(requires ? { requires } : {}),
    ...(rule.skipReport ? { report: false } : {}),
  };
  return { raw, gitleaksId: rule.id };
}

/** Converts a gitleaks config; throws ConfigError where gitleaks itself would refuse it. */
export function importGitleaksConfig(options: ImportOptions): ImportResult {
  const notes: string[] = [];
  const merged = loadMerged(options, options.file, options.absolutePath, options.text, 0, notes);
  const builtin = options.builtinRuleIds;

  // Ids: normalised, unique, and clear of built-in ids when the built-in rules stay on.
  const idMap = new Map<string, string>();
  const taken = new Set<string>();
  const disable = new Set<string>();
  const convertible = [...merged.rules.values()];
  const disabledDefaults = new Set(merged.disabledRules);
  for (const rule of convertible) {
    let id = keywardenRuleId(rule.id) || "gitleaks-rule";
    // The built-in rules doing the work of the gitleaks default rule this one redefines, under
    // its id or another (gitleaks' aws-access-token is keywarden's aws-access-key-id).
    const redefined = merged.useDefault
      ? builtinEquivalents(rule.id).filter((target) => builtin.has(target))
      : [];
    if (redefined.length > 0 && rule.regex) {
      // gitleaks: a rule with a default rule's id replaces it. Here: the built-in is switched
      // off, else it would go on reporting what the new rule's allowlists let pass. One that
      // also does another default rule's work stays on, as for disabledRules.
      for (const target of redefined) {
        const stillOn = gitleaksRulesDoneBy(target).filter(
          (other) => other !== rule.id && !merged.rules.has(other) && !disabledDefaults.has(other),
        );
        if (stillOn.length > 0) {
          notes.push(
            `rule ${rule.id}: redefines a gitleaks default rule; keywarden's ${target} also does the work of ${stillOn.join(", ")}, which stays on; ${target} not disabled`,
          );
          continue;
        }
        disable.add(target);
        notes.push(
          `rule ${rule.id}: replaces the keywarden built-in rule ${target}, which is disabled${target === id ? `; imported as gitleaks-${id}` : ""}`,
        );
      }
      if (builtin.has(id)) id = `gitleaks-${id}`;
    } else if (redefined.length > 0 && !rule.regex) {
      notes.push(
        `rule ${rule.id}: changes a gitleaks default rule; keywarden's built-in ${redefined.join(", ")} cannot be changed from a config; not converted`,
      );
      continue;
    }
    let unique = id;
    for (let n = 2; taken.has(unique); n++) unique = `${id}-${n}`;
    if (unique !== rule.id) {
      if (!id.startsWith("gitleaks-"))
        notes.push(
          `rule ${rule.id}: id is ${unique} in keywarden (.gitleaksignore entries naming ${rule.id} will not match)`,
        );
    }
    taken.add(unique);
    idMap.set(rule.id, unique);
  }

  // Global allowlists: targetRules ones attach to those rules, the others apply to all.
  let globalAllow: AllowConfig = {};
  const targeted = new Map<string, AllowConfig>();
  merged.globalAllowlists.forEach(({ list, origin }, index) => {
    const where = `${origin}: allowlists[${index}]`;
    for (const target of list.targetRules ?? []) {
      if (!merged.rules.has(target))
        throw new ConfigError(`${where}: targetRules names rule ${target}, which does not exist`);
    }
    const converted = convertAllowlist(list, where, notes);
    if (!converted) return;
    if (list.targetRules && list.targetRules.length > 0) {
      for (const target of list.targetRules)
        targeted.set(target, mergeAllow(targeted.get(target) ?? {}, converted));
    } else {
      globalAllow = mergeAllow(globalAllow, converted);
    }
  });

  const rules: Record<string, unknown>[] = [];
  let skipped = 0;
  for (const rule of convertible) {
    const id = idMap.get(rule.id);
    if (!id) {
      skipped++;
      continue;
    }
    const converted = convertRule(rule, id, targeted.get(rule.id), idMap, notes, options.file);
    if (!converted) {
      skipped++;
      continue;
    }
    // The result must load: a translation JavaScript rejects drops the rule, with the reason.
    try {
      const parsed = configSchema.parse({ rules: [converted.raw] }).rules[0]!;
      compileRule(
        { ...parsed, examples: parsed.examples ?? { match: [], nomatch: [] } },
        { file: "import", builtin: false },
      );
      rules.push(converted.raw);
    } catch (error) {
      const message =
        error instanceof Error ? error.message.replace(/^import: /, "") : String(error);
      notes.push(`rule ${rule.id}: converted rule does not load (${message}); not converted`);
      skipped++;
    }
  }
  // Requirements may name a rule that was then dropped.
  const kept = new Set(rules.map((rule) => rule.id as string));
  for (const rule of rules) {
    const requires = rule.requires as { rule: string } | undefined;
    if (requires && !kept.has(requires.rule)) {
      delete rule.requires;
      notes.push(
        `rule ${rule.id as string}: required rule ${requires.rule} was not converted; requirement dropped`,
      );
    }
  }

  const unknownDisabled: string[] = [];
  const disabledIds = new Set(merged.disabledRules);
  for (const id of merged.disabledRules) {
    const targets = builtinEquivalents(id).filter((target) => builtin.has(target));
    if (!merged.useDefault || targets.length === 0) {
      if (!merged.rules.has(id)) unknownDisabled.push(id);
      continue;
    }
    for (const target of targets) {
      const stillOn = gitleaksRulesDoneBy(target).filter((other) => !disabledIds.has(other));
      if (stillOn.length > 0) {
        notes.push(
          `disabledRules ${id}: keywarden's ${target} also does the work of ${stillOn.join(", ")}, which stays on; ${target} not disabled`,
        );
      } else {
        disable.add(target);
        if (target !== keywardenRuleId(id))
          notes.push(`disabledRules ${id}: keywarden's equivalent ${target} is disabled`);
      }
    }
  }
  if (unknownDisabled.length > 0) {
    notes.push(
      `disabledRules ${unknownDisabled.join(", ")}: no keywarden rule with that id or doing that rule's work; nothing to disable`,
    );
  }
  if (merged.useDefault) {
    notes.push(
      "[extend] useDefault: gitleaks' default rules are not copied; keywarden's built-in rules take their place (useDefault: true)",
    );
  }

  const config: Record<string, unknown> = {
    useDefault: merged.useDefault,
    ...(disable.size > 0 ? { disable: [...disable].sort() } : {}),
    ...(Object.keys(globalAllow).length > 0 ? { allow: globalAllow } : {}),
    rules,
  };
  const checked = configSchema.safeParse(config);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new ConfigError(
      `${options.file}: converted config does not validate at ${fieldText(issueFieldPath(issue.path))}: ${issue.message}`,
    );
  }

  const doc = new Document(config);
  const header = [
    ` Converted from the gitleaks config ${options.file} by keywarden import gitleaks.`,
    " Review it before use (README: Switching from gitleaks).",
  ];
  if (notes.length > 0)
    header.push(
      "",
      " Not converted, or converted approximately:",
      ...notes.map((note) => ` - ${note}`),
    );
  doc.commentBefore = header.join("\n");
  const yaml = doc.toString({ lineWidth: 0, singleQuote: true });
  return { yaml, notes, rulesConverted: rules.length, rulesSkipped: skipped };
}
