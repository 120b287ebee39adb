import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { readRegularText } from "../read-regular-file.js";
import {
  assertUniqueIds,
  type CompiledAllow,
  type CompiledRule,
  compileAllow,
  compileRules,
  EMPTY_ALLOW,
} from "./compile-rules.js";
import type { UserConfig } from "./config-schema.js";
import { type FieldPath, fieldText } from "./field-text.js";
import { findUp } from "./find-up.js";
import { loadBuiltinRules } from "./load-rules.js";

export const CONFIG_FILE_NAMES = [".keywarden.yaml", ".keywarden.yml"] as const;
export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

export interface ResolvedConfig {
  readonly rules: readonly CompiledRule[];
  readonly allow: CompiledAllow;
  readonly exclude: readonly string[];
  readonly maxFileSize: number;
  readonly decodeDepth: number;
  /** The config file used, if any. */
  readonly configFile?: string;
}

export interface LoadConfigOptions {
  readonly cwd: string;
  /** --config: an explicit file (must exist). */
  readonly configPath?: string;
  /**
   * Where discovery starts: the scanned directory; it walks up to the repository's top (outside
   * a repository it looks in that folder alone).
   */
  readonly scanRoot?: string;
  /**
   * Every path a scan names, when it names several: their nearest configs must be one and the
   * same, since a scan runs under one config.
   */
  readonly scanRoots?: readonly string[];
  /** --rules: extra rule files or folders given on the command line. */
  readonly ruleFiles?: readonly string[];
  /** --max-file-size from the command line, which wins over the config. */
  readonly maxFileSize?: number;
  /** Config text to use instead of reading a file (the Action reads it from the base commit). */
  readonly configText?: { readonly text: string; readonly name: string };
}

/**
 * A size limit in bytes, from the config's `maxFileSize` or --max-file-size: `0` means no limit
 * (Infinity), as gitleaks' `--max-target-megabytes 0` does, in both places alike.
 */
export function parseSize(value: number | string, where: string): number {
  if (typeof value === "number") return value === 0 ? Number.POSITIVE_INFINITY : value;
  const match = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)(i?)[bB]?$/.exec(value.trim());
  if (!match)
    throw new ConfigError(
      `${where}: "${value}" is not a size (use e.g. 1048576, 500KB, 10MB, or 0 for no limit)`,
    );
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[
    match[2]!.toLowerCase() as "" | "k" | "m" | "g"
  ];
  const bytes = Math.round(Number(match[1]) * unit);
  return bytes === 0 ? Number.POSITIVE_INFINITY : bytes;
}

/**
 * The nearest config file from `start` up to the repository's top, if any: a config above the
 * repository (a home folder's, a CI workspace's) is not the repository's and never applies.
 * Both spellings in one folder are refused rather than one of them silently ignored.
 */
export function findConfigFile(start: string): string | undefined {
  const found = findUp(start, CONFIG_FILE_NAMES, true);
  if (found === undefined) return undefined;
  const folder = dirname(found);
  const both = CONFIG_FILE_NAMES.map((name) => join(folder, name));
  if (both.every((file) => existsSync(file))) {
    throw new ConfigError(
      `${both.join(" and ")}: two config files in one folder; keep one (keywarden would read only ${basename(found)})`,
    );
  }
  return found;
}

/**
 * The one config file for a scan of several paths. Paths under different configs are refused:
 * applying the first path's config to the others would scan them under rules they did not ask
 * for (a folder's disabled rule hiding another folder's key).
 */
function findSharedConfigFile(cwd: string, roots: readonly string[]): string | undefined {
  const found = roots.map((root) => findConfigFile(resolve(cwd, root)));
  const differing = found.findIndex((file) => file !== found[0]);
  if (differing === -1) return found[0];
  const describe = (index: number) => {
    const file = found[index];
    return `${roots[index]} (${file === undefined ? "no config" : relative(cwd, file) || file})`;
  };
  throw new ConfigError(
    `the paths given fall under different configs: ${describe(0)} and ${describe(differing)}; scan them one at a time, or name one config for all with --config`,
  );
}

function readConfigText(options: LoadConfigOptions): { text: string; file: string } | undefined {
  if (options.configText) return { text: options.configText.text, file: options.configText.name };
  const file = options.configPath
    ? resolve(options.cwd, options.configPath)
    : findSharedConfigFile(
        options.cwd,
        options.scanRoots && options.scanRoots.length > 0
          ? options.scanRoots
          : [options.scanRoot ?? "."],
      );
  if (!file) return undefined;
  // A gitleaks user's first try: say how to convert it rather than fail on it as YAML.
  if (/\.toml$/i.test(file)) {
    throw new ConfigError(
      `${options.configPath ?? file}: keywarden's config is YAML; convert a gitleaks config with: keywarden import gitleaks ${options.configPath ?? file}`,
    );
  }
  try {
    return { text: readRegularText(file), file };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : (code ?? String(error));
    throw new ConfigError(`${options.configPath ?? file}: cannot read config file (${reason})`);
  }
}

const NO_CONFIG: UserConfig = {
  useDefault: true,
  disable: [],
  rules: [],
  exclude: [],
  decodeDepth: 1,
};

/**
 * Built-in rules merged with the user's config, compiled and checked. YAML and schema code load
 * only when there is a config or rule file to read, which keeps the pre-commit path lean.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const found = readConfigText(options);
  const display = found ? relative(options.cwd, found.file) || found.file : undefined;
  const parsed = found
    ? (await import("./config-schema.js")).parseConfigText(found.text, display!)
    : undefined;
  const config = parsed?.value ?? NO_CONFIG;
  const at = (path: readonly (string | number)[]) => {
    const line = parsed?.lineOf(path);
    return `${display}${line ? `:${line}` : ""}`;
  };

  const builtin = config.useDefault ? await loadBuiltinRules() : [];
  const knownIds = new Set(builtin.map((rule) => rule.id));
  const ruleFiles = options.ruleFiles ?? [];
  const reader = ruleFiles.length > 0 ? await import("./read-rule-files.js") : undefined;
  const extraFromFiles = ruleFiles.flatMap((path) => {
    const absolute = resolve(options.cwd, path);
    const isFolder = existsSync(absolute) && statSync(absolute).isDirectory();
    const files = isFolder ? reader!.ruleFilesIn(absolute) : [absolute];
    if (files.length === 0)
      throw new ConfigError(`--rules ${path}: a folder with no rule files (*.yaml, *.yml) in it`);
    return files.flatMap((file) => reader!.readRuleFile(file, false, options.cwd));
  });
  const extraFromConfig = config.rules.map((raw, index) => {
    const line = parsed?.lineOf(["rules", index]);
    const fieldLine = parsed && ((field: FieldPath) => parsed.lineOf(["rules", index, ...field]));
    return {
      raw: { ...raw, examples: raw.examples ?? { match: [], nomatch: [] } },
      source: {
        file: display ?? "config",
        builtin: false,
        ...(line ? { line } : {}),
        ...(fieldLine ? { fieldLine } : {}),
      },
    };
  });
  const extraSources = [...extraFromFiles, ...extraFromConfig];
  // The regex parser that works out pattern scopes loads only when there are rules of one's own.
  const scopeOf =
    extraSources.length > 0 ? (await import("./pattern-scope.js")).ruleScope : undefined;
  const extra = compileRules(extraSources, knownIds, scopeOf ? { scopeOf } : {});
  for (const rule of extra) knownIds.add(rule.id);

  for (const [index, id] of config.disable.entries()) {
    if (!knownIds.has(id)) {
      throw new ConfigError(
        `${at(["disable", index])}: field disable: no rule with id "${id}" (see keywarden rules list)`,
      );
    }
  }
  // `disable` switches off the built-in rule of an id, so that a rule of one's own may take the
  // id over (as the duplicate-id error advises); an id no built-in rule has switches off the
  // extra rule of that id.
  const disabled = new Set(config.disable);
  const builtinIds = new Set(builtin.map((rule) => rule.id));
  const rules = [
    ...builtin.filter((rule) => !disabled.has(rule.id)),
    ...extra.filter((rule) => builtinIds.has(rule.id) || !disabled.has(rule.id)),
  ];
  // Ids must stay unique across built-in and user rules: a config cannot quietly replace a
  // built-in rule (and with it the rule's verification host).
  assertUniqueIds(rules);

  return {
    rules,
    allow: config.allow
      ? compileAllow(config.allow, (field) => `${at(field)}: field ${fieldText(field)}`, true)
      : EMPTY_ALLOW,
    exclude: config.exclude,
    maxFileSize:
      options.maxFileSize ??
      (config.maxFileSize !== undefined
        ? parseSize(config.maxFileSize, `${at(["maxFileSize"])}: field maxFileSize`)
        : DEFAULT_MAX_FILE_SIZE),
    decodeDepth: config.decodeDepth,
    ...(found ? { configFile: found.file } : {}),
  };
}
